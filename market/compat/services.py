"""Writes only the compat API needs: staging chunked uploads of the original client.

The original ``LearnwareClient`` sends a package in 1 MiB chunks keyed by the MD5 of
the whole file, then asks for the staged file to become a learnware. Here the staging
is bound to the uploader, size-limited, resumable (a chunk sent again overwrites the
earlier one) and its MD5 is verified before :func:`market.services.learnware_create`
sees it. Each chunk is a separate file in the default storage, so this works with
remote (S3-like) storage too.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
from collections.abc import Mapping
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from bmw.errors import ApplicationError, ConflictError, NotFoundError, TooLargeError
from bmw.storage import STORAGE_ERRORS
from market import selectors, services
from market.models import ChunkedUpload, Learnware, LearnwareVersion

logger = logging.getLogger(__name__)

MAX_CHUNK_BYTES = 16 * 2**20  # the original client sends 1 MiB; allow some slack
MAX_OPEN_UPLOADS = 3  # unfinished uploads per user (each up to the package limit)
STAGING_TTL = timedelta(hours=24)  # an upload untouched this long is abandoned
_MD5_RE = re.compile(r"[0-9a-f]{32}")
_COPY_CHUNK = 1 << 20


class StagingError(ApplicationError):
    """A chunked-upload problem; ``kind`` says which (the compat API maps it)."""

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message, extra={"kind": kind})
        self.kind = kind


class StagingTooLarge(StagingError, TooLargeError):
    """A chunk or the whole package is over its limit."""


class StagingConflict(StagingError, ConflictError):
    """The package already is a learnware, or too many uploads are open."""


class StagingMissing(StagingError, NotFoundError):
    """The staged upload or one of its chunks is gone."""


def _normalised_hash(file_hash: str) -> str:
    value = file_hash.strip().lower()
    if not _MD5_RE.fullmatch(value):
        raise StagingError(
            "file_hash: expected the 32-character MD5 hex of the whole file",
            kind="parameters",
        )
    return value


def _chunk_name(upload: ChunkedUpload, offset: int) -> str:
    return f"compat-uploads/{upload.user_id}/{upload.id}/{offset:012d}.part"


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except STORAGE_ERRORS:  # best effort: a purge run removes leftovers later
            logger.warning("could not delete staged chunk %s", name, exc_info=True)


def _chunk_names(upload: ChunkedUpload) -> list[str]:
    return [str(entry["name"]) for entry in upload.chunks.values()]


def _discard(upload: ChunkedUpload) -> None:
    """Delete the staging row now and its chunk files once the transaction commits."""
    names = _chunk_names(upload)
    upload.delete()
    transaction.on_commit(lambda: _delete_files(names))


def _existing_learnware_id(file_hash: str, user: User) -> int | None:
    """A learnware ``user`` may see with this package (only those are duplicates: a
    copy of someone's unlisted package is not refused, so nothing is revealed)."""
    return (
        LearnwareVersion.objects.filter(
            package_md5=file_hash,
            learnware__in=Learnware.objects.filter(selectors.learnware_visible_q(user)),
        )
        .values_list("learnware_id", flat=True)
        .first()
    )


def _staging_for(*, user: User, file_hash: str) -> ChunkedUpload:
    """``user``'s staging row for ``file_hash``, created if needed (within limits)."""
    upload = ChunkedUpload.objects.filter(user=user, file_hash=file_hash).first()
    if upload is not None:
        return upload
    with transaction.atomic():
        _purge(ChunkedUpload.objects.filter(user=user))
    if ChunkedUpload.objects.filter(user=user).count() >= MAX_OPEN_UPLOADS:
        raise StagingConflict(
            f"Too many unfinished uploads (at most {MAX_OPEN_UPLOADS}); finish "
            "one, or wait a day for abandoned ones to expire.",
            kind="too_many",
        )
    try:
        with transaction.atomic():
            return ChunkedUpload.objects.create(user=user, file_hash=file_hash)
    except IntegrityError:  # a concurrent first chunk created it
        return ChunkedUpload.objects.get(user=user, file_hash=file_hash)


def chunked_upload_write(
    *, user: User, file_hash: str, chunk_begin: int, chunk: IO[bytes]
) -> ChunkedUpload:
    """Store one chunk of ``user``'s upload of the file whose MD5 is ``file_hash``.

    Side effects: a chunk file in storage (replacing one sent earlier at the same
    offset); the staging row. A first chunk (offset 0) of a package that already is a
    learnware is refused, as the original does.
    """
    file_hash = _normalised_hash(file_hash)
    if chunk_begin < 0:
        raise StagingError("chunk_begin: must be >= 0", kind="parameters")
    data = chunk.read(MAX_CHUNK_BYTES + 1)
    if len(data) > MAX_CHUNK_BYTES:
        raise StagingTooLarge(
            f"chunk_file: over the limit of {MAX_CHUNK_BYTES} bytes per chunk",
            kind="too_large",
        )
    limit = settings.BMW_MAX_PACKAGE_BYTES
    if chunk_begin + len(data) > limit:
        raise StagingTooLarge(
            f"package: over the limit of {limit} bytes",
            kind="too_large",
        )
    if chunk_begin == 0 and _existing_learnware_id(file_hash, user) is not None:
        raise StagingConflict(
            "Learnware already exists: a learnware with this file hash was uploaded.",
            kind="duplicate",
        )

    staging = _staging_for(user=user, file_hash=file_hash)
    with transaction.atomic():
        # Row lock: chunks of one upload sent in parallel update ``chunks`` in turn.
        upload = ChunkedUpload.objects.select_for_update().filter(id=staging.id).first()
        if upload is None:  # finished or purged meanwhile: start a new staging
            return chunked_upload_write(
                user=user,
                file_hash=file_hash,
                chunk_begin=chunk_begin,
                chunk=ContentFile(data),
            )
        key = str(chunk_begin)
        previous = upload.chunks.get(key)
        received = upload.received_bytes - (int(previous["size"]) if previous else 0)
        if received + len(data) > limit:
            raise StagingTooLarge(
                f"package: over the limit of {limit} bytes",
                kind="too_large",
            )
        # A new name (the storage avoids clashes); the replaced file goes on commit.
        stored = default_storage.save(
            _chunk_name(upload, chunk_begin), ContentFile(data)
        )
        upload.chunks[key] = {"name": stored, "size": len(data)}
        upload.received_bytes = received + len(data)
        upload.save(update_fields=["chunks", "received_bytes", "updated_at"])
        if previous:
            old = [str(previous["name"])]
            transaction.on_commit(lambda: _delete_files(old))
    return upload


def _assemble(upload: ChunkedUpload, out: IO[bytes]) -> tuple[int, str]:
    """Write the chunks in offset order into ``out``: (size, md5 hex).

    Overlapping chunks are allowed (a resumed upload with another chunk size); the
    later offset wins where they overlap. A gap means the upload is incomplete.
    """
    md5 = hashlib.md5(usedforsecurity=False)
    end = 0
    for offset, entry in sorted((int(k), v) for k, v in upload.chunks.items()):
        if offset > end:
            raise StagingError(
                f"Upload incomplete: bytes {end}-{offset - 1} were never received.",
                kind="incomplete",
            )
        with default_storage.open(str(entry["name"]), "rb") as part:
            part.seek(end - offset)  # skip what earlier chunks already covered
            while block := part.read(_COPY_CHUNK):
                out.write(block)
                md5.update(block)
                end += len(block)
    out.seek(0)
    return end, md5.hexdigest()


def chunked_upload_finish(
    *, user: User, file_hash: str, semantic_spec: Mapping[str, Any]
) -> Learnware:
    """Turn ``user``'s staged upload into a learnware (:func:`learnware_create`).

    The assembled file must have the announced MD5, else the staging is discarded
    (start again). If the learnware is refused (bad spec, bad package, duplicate) the
    staging is kept, so the client can retry without uploading again. Side effects:
    those of ``learnware_create``; the staging row and chunk files are removed.
    """
    file_hash = _normalised_hash(file_hash)
    mismatch = ""
    with transaction.atomic():
        upload = (
            ChunkedUpload.objects.select_for_update()
            .filter(user=user, file_hash=file_hash)
            .first()
        )
        if upload is None or not upload.chunks:
            raise StagingMissing(
                "No uploaded file with this file_hash: send it with chunked_upload "
                "first.",
                kind="missing",
            )
        with tempfile.TemporaryFile(prefix="bmw-compat-") as assembled:
            size, md5 = _assemble(upload, assembled)
            if md5 == file_hash:
                package = UploadedFile(
                    file=assembled,
                    name=f"{file_hash}.zip",
                    content_type="application/zip",
                    size=size,
                )
                learnware = services.learnware_create(
                    owner=user, semantic_spec=semantic_spec, package=package
                )
                _discard(upload)
                return learnware
            mismatch = md5
    with transaction.atomic():  # committed, unlike work undone by the raise below
        _discard(upload)
    raise StagingError(
        f"The uploaded file's MD5 is {mismatch}, not the announced {file_hash}; "
        "upload it again.",
        kind="hash_mismatch",
    )


def _purge(uploads: QuerySet[ChunkedUpload]) -> int:
    stale = list(uploads.filter(updated_at__lt=timezone.now() - STAGING_TTL))
    for upload in stale:
        _discard(upload)
    return len(stale)


@transaction.atomic
def chunked_uploads_purge_stale() -> int:
    """Delete uploads untouched for :data:`STAGING_TTL`; returns how many.

    Also run lazily whenever a user starts a new upload; meant for a beat job too.
    """
    return _purge(ChunkedUpload.objects.all())
