"""Package files: hashing and local access through Django's storage (local or S3)."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files import File
from django.core.files.storage import default_storage

CHUNK = 1 << 20


# What reading or writing a stored file can raise: local I/O, or botocore's errors
# (S3 unreachable, access denied ...), which are not OSErrors.
STORAGE_ERRORS: tuple[type[Exception], ...] = (OSError, BotoCoreError, ClientError)


class StorageUnavailable(RuntimeError):
    """The file store could not be reached (transient: worth a retry)."""


def file_digests(file: IO[bytes]) -> tuple[str, str, int]:
    """Stream ``file`` once: (sha256, md5, size). Leaves the position at the start."""
    sha, md5, size = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
    file.seek(0)
    for chunk in iter(lambda: file.read(CHUNK), b""):
        sha.update(chunk)
        md5.update(chunk)
        size += len(chunk)
    file.seek(0)
    return sha.hexdigest(), md5.hexdigest(), size


@contextmanager
def local_copy(file: File) -> Iterator[Path]:
    """A local path to a stored file (the file itself on local filesystem storage)."""
    name = file.name
    if not name:
        raise ValueError("the file has no name in storage")
    try:
        local = Path(default_storage.path(name))
    except NotImplementedError:  # remote storage (S3 ...): copy to a temporary file
        local = None
    if local is not None:
        if not local.is_file():  # e.g. the volume holding the media is not mounted
            raise StorageUnavailable(f"{name} is not in the file store")
        yield local
        return
    with tempfile.TemporaryDirectory(prefix="bmw-package-") as tmp:
        copy = Path(tmp) / "package.zip"
        try:
            with default_storage.open(name, "rb") as src, copy.open("wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
        # botocore's errors (S3 unreachable, denied ...) are not OSErrors
        except STORAGE_ERRORS as exc:
            raise StorageUnavailable(str(exc)) from exc
        yield copy
