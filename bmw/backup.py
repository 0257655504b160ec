"""Backups of the dock: the database and the stored files in one archive; restore.

An archive is a tar file (gzip-compressed if its name ends in ``.gz`` or ``.tgz``):

* ``db.jsonl.gz``: every row of every table, as Django's JSON Lines (times to the
  microsecond); foreign keys are primary keys, except those to content types and
  permissions, which every migrated database has under its own ids: natural keys;
* ``files/<name>``: each stored file a row names (packages, stat specs, example specs,
  world engines), under its name in the storage;
* ``manifest.json``, last: the migrations applied, the rows per model, and the size and
  SHA-256 of every other member.

Consistency: the rows are read in one read-only snapshot (PostgreSQL: a REPEATABLE READ
transaction; SQLite: one read transaction, which WAL keeps a snapshot without blocking
writers), and the files copied after it are exactly those its rows name. The dock
stores a file before the row naming it commits and never rewrites one in place (an
upload gets a new name), so every file the snapshot names is there when the copy
starts. One deleted since (a re-seeded example spec) makes the backup start over.

Not backed up: content types and permissions (``migrate`` makes them) and the staged
chunks of unfinished compat uploads (their clients send them again).

A restore goes into an empty instance (migrated to the same migrations, no rows, none of
the archive's files in the storage) and is all or nothing: the archive is verified
first; the rows are loaded and the files written in one transaction, which commits only
once every file has been read back from the storage and matched its checksum; on any
error the files written are deleted again.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import time as time_of_day
from importlib import metadata
from pathlib import Path
from typing import IO, Any, cast

import django
from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from tqdm import tqdm

from bmw.storage import CHUNK, STORAGE_ERRORS

FORMAT, FORMAT_VERSION = "bmw-backup", 1
DB_MEMBER, MANIFEST_MEMBER, FILES_PREFIX = "db.jsonl.gz", "manifest.json", "files/"
ARCHIVE_PREFIX = "bmw-backup-"  # archives made in a directory: bmw-backup-<UTC time>
# Model (label) -> why its rows are not in a backup.
NOT_BACKED_UP = {
    "contenttypes.contenttype": "made by migrate",
    "auth.permission": "made by migrate",
    "market.chunkedupload": "staged chunks of unfinished compat uploads",
}
NATURAL_KEY_MODELS = {"contenttypes.contenttype", "auth.permission"}
MAX_MANIFEST_BYTES = 256 * 2**20
ATTEMPTS = 3  # backups started over when a file went between snapshot and copy

Log = Callable[[str], None]


class BackupError(Exception):
    """A backup, check or restore that cannot go on; the message says why."""


def backed_up_models() -> list[type[models.Model]]:
    """Every model whose rows a backup holds, by label."""
    return sorted(
        (
            model
            for model in apps.get_models()
            if model._meta.managed
            and not model._meta.proxy
            and model._meta.label_lower not in NOT_BACKED_UP
        ),
        key=lambda model: model._meta.label_lower,
    )


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def safe_storage_name(name: str) -> bool:
    """A relative name without ``..``: what the dock stores, and nothing that could
    escape the storage's root when an altered archive names it."""
    parts = name.split("/")  # a leading "/" or a "//" gives an empty part
    return (
        "\\" not in name
        and "\0" not in name
        and not any(part in ("", ".", "..") for part in parts)
    )


def _dock_version() -> str:
    try:
        return metadata.version("beimingwu")
    except metadata.PackageNotFoundError:
        return "unknown"


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to ms)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time_of_day):
            return o.isoformat()
        return super().default(o)


class _RowSerializer(jsonl.Serializer):
    """JSON Lines of the rows; notes the stored files they name and counts them."""

    _current: dict[str, Any]

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.counts: Counter[str] = Counter()

    def handle_field(self, obj: Any, field: Any) -> None:
        super().handle_field(obj, field)
        if isinstance(field, models.FileField) and self._current[field.name]:
            self.files.add(str(self._current[field.name]))

    def handle_fk_field(self, obj: Any, field: Any) -> None:
        label = field.remote_field.model._meta.label_lower
        self.use_natural_foreign_keys = label in NATURAL_KEY_MODELS
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        label = field.remote_field.model._meta.label_lower
        self.use_natural_foreign_keys = label in NATURAL_KEY_MODELS
        super().handle_m2m_field(obj, field)

    def end_object(self, obj: Any) -> None:
        super().end_object(obj)
        self.counts[obj._meta.label_lower] += 1


class _HashingReader:
    """Reads a file through, counting and hashing; not seekable (streams)."""

    closed = False

    def __init__(
        self, raw: IO[bytes], size: int = 0, on_read: Callable[[int], Any] | None = None
    ) -> None:
        self.raw, self.size, self.on_read = raw, size, on_read
        self.sha = hashlib.sha256()
        self.count = 0

    def read(self, n: int | None = -1) -> bytes:
        data = self.raw.read(-1 if n is None else n)
        self.sha.update(data)
        self.count += len(data)
        if self.on_read is not None:
            self.on_read(len(data))
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def drain(self) -> None:
        while self.read(CHUNK):
            pass

    def hexdigest(self) -> str:
        return self.sha.hexdigest()

    def as_file(self) -> IO[bytes]:
        return cast(IO[bytes], self)


def _bar(total: int, what: str, progress: bool) -> tqdm[Any]:
    return tqdm(
        total=total or None,
        desc=what,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        disable=not progress,
        file=sys.stderr,
        leave=False,
    )


def _migrations(using: str) -> dict[str, list[str]]:
    """The applied migrations, by app."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# ------------------------------------------------------------------ backup


@contextmanager
def _read_snapshot(using: str) -> Iterator[str]:
    """A read-only transaction that sees one state of the whole database."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError(
            "a backup must not run inside a transaction (it needs its own snapshot)"
        )
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:  # the transaction's first statement
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
            yield "PostgreSQL, one REPEATABLE READ read-only transaction"
    elif connection.vendor == "sqlite":
        # DEFERRED, not the dock's IMMEDIATE: readers do not block the dock's writers;
        # under WAL the transaction keeps the snapshot its first read took.
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield "SQLite, one read transaction"
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
    else:
        raise BackupError(f"unsupported database: {connection.vendor}")


@dataclass
class _Dump:
    snapshot: str
    migrations: dict[str, list[str]]
    counts: dict[str, int]
    files: set[str]


def _dump_rows(stream: IO[str], using: str) -> _Dump:
    serializer = _RowSerializer()
    with _read_snapshot(using) as snapshot:
        migrations = _migrations(using)
        for model in backed_up_models():
            queryset = model._base_manager.using(using).order_by("pk")
            m2m = [
                f.name
                for f in model._meta.many_to_many
                if f.remote_field.through._meta.auto_created  # type: ignore[union-attr]
            ]
            if m2m:
                queryset = queryset.prefetch_related(*m2m)
            serializer.serialize(
                queryset.iterator(chunk_size=500), stream=stream, cls=_Encoder
            )
    counts = {model._meta.label_lower: 0 for model in backed_up_models()}
    counts.update(serializer.counts)
    return _Dump(snapshot, migrations, counts, serializer.files)


def _add_member(
    tar: tarfile.TarFile,
    name: str,
    file: IO[bytes],
    size: int,
    on_read: Callable[[int], Any] | None = None,
) -> dict[str, Any]:
    """Stream ``size`` bytes of ``file`` into the archive; their size and SHA-256."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(time.time()), 0o600
    reader = _HashingReader(file, size, on_read)
    tar.addfile(info, reader.as_file())
    return {"size": size, "sha256": reader.hexdigest()}


def _still_named(names: set[str], using: str) -> set[str]:
    """Those of ``names`` that a row names now."""
    named: set[str] = set()
    for model in backed_up_models():
        for field in file_fields(model):
            named.update(
                model._base_manager.using(using)
                .filter(**{f"{field.name}__in": names})
                .values_list(field.name, flat=True)
            )
    return named


class _StartOver(Exception):
    pass


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    attempts: int

    @property
    def rows(self) -> int:
        return sum(self.manifest["rows"].values())

    @property
    def file_bytes(self) -> int:
        return sum(f["size"] for f in self.manifest["files"])


def archive_path(output: Path, *, compress: bool, now: datetime | None = None) -> Path:
    """Where to write: in ``output`` if it is a directory, a timestamped name."""
    if output.is_dir():
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        return output / f"{ARCHIVE_PREFIX}{stamp}.tar{'.gz' if compress else ''}"
    if output.exists():
        raise BackupError(f"{output}: exists; a backup never overwrites a file")
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent}: no such directory")
    return output


def _compressed(path: Path) -> bool:
    return path.name.endswith((".gz", ".tgz"))


def backup_create(
    path: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    allow_missing: bool = False,
    progress: bool = False,
    log: Log = lambda line: None,
) -> BackupResult:
    """Write a backup archive to ``path`` (a new file; see :func:`archive_path`).

    The archive appears only once complete (written beside it, synced, renamed);
    it is readable by its owner only: it holds password and token hashes.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            manifest = _backup_attempt(path, using, allow_missing, progress, log)
        except _StartOver as exc:
            log(f"{exc}; starting again ({attempt}/{ATTEMPTS})")
            continue
        return BackupResult(path, manifest, attempt)
    raise BackupError(
        f"files kept changing during the backup ({ATTEMPTS} attempts); try later"
    )


def _backup_attempt(
    path: Path, using: str, allow_missing: bool, progress: bool, log: Log
) -> dict[str, Any]:
    started = datetime.now(UTC)
    fd, partial_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".partial", dir=path.parent
    )
    partial = Path(partial_name)
    try:
        with os.fdopen(fd, "wb") as raw:
            pax = tarfile.PAX_FORMAT
            with (
                tarfile.open(fileobj=raw, mode="w:gz", format=pax)
                if _compressed(path)
                else tarfile.open(fileobj=raw, mode="w", format=pax)
            ) as tar:
                manifest = _write_members(
                    tar, path.parent, using, allow_missing, progress, log
                )
                manifest["created_at"] = started.isoformat()
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                _add_member(tar, MANIFEST_MEMBER, io.BytesIO(data), len(data))
            raw.flush()
            os.fsync(raw.fileno())
        if path.exists():
            raise BackupError(f"{path}: exists; a backup never overwrites a file")
        partial.replace(path)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _write_members(
    tar: tarfile.TarFile,
    workdir: Path,
    using: str,
    allow_missing: bool,
    progress: bool,
    log: Log,
) -> dict[str, Any]:
    # 1. The rows, from one snapshot (gzip-compressed to a temporary file first: a
    # tar member's size goes before its data).
    with tempfile.TemporaryFile(dir=workdir) as dump_file:
        with (
            gzip.GzipFile(fileobj=dump_file, mode="wb", mtime=0) as gz,
            io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as text,
        ):
            dump = _dump_rows(text, using)
        size = dump_file.tell()
        dump_file.seek(0)
        db_entry = _add_member(tar, DB_MEMBER, dump_file, size)
    log(
        f"database: {sum(dump.counts.values())} rows of {len(dump.counts)} models "
        f"({dump.snapshot})"
    )
    # 2. The files those rows name, copied after the snapshot.
    files: list[dict[str, Any]] = []
    missing: set[str] = set()
    with _bar(0, "files", progress) as bar:
        for name in sorted(dump.files):
            if not safe_storage_name(name):
                raise BackupError(f"a row names the stored file {name!r}: not a name")
            try:
                file = default_storage.open(name, "rb")
                size = file.size
            except FileNotFoundError:
                missing.add(name)
                continue
            except STORAGE_ERRORS as exc:
                raise BackupError(f"{name}: the storage failed: {exc}") from exc
            bar.total = (bar.total or 0) + size
            with file:
                try:
                    member = FILES_PREFIX + name
                    entry = _add_member(tar, member, file, size, bar.update)
                except STORAGE_ERRORS as exc:  # incl. "unexpected end of data"
                    raise BackupError(f"{name}: copying it failed: {exc}") from exc
            files.append({"name": name, **entry})
    if missing:
        lost = _still_named(missing, using)
        if missing - lost:
            raise _StartOver(f"{len(missing - lost)} file(s) went after the snapshot")
        if not allow_missing:
            shown = ", ".join(sorted(lost)[:10])
            raise BackupError(
                f"{len(lost)} stored file(s) that rows name are missing from the "
                f"storage: {shown} (--allow-missing backs up the rest)"
            )
        log(f"warning: {len(lost)} file(s) missing from the storage: recorded as such")
    log(f"files: {len(files)}, {sum(f['size'] for f in files)} bytes")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "dock_version": _dock_version(),
        "django_version": django.get_version(),
        "database": {
            "vendor": connections[using].vendor,
            "snapshot": dump.snapshot,
            "member": DB_MEMBER,
            **db_entry,
        },
        "storage": default_storage.__class__.__name__,
        "migrations": dump.migrations,
        "rows": dump.counts,
        "not_backed_up": NOT_BACKED_UP,
        "files": files,
        "missing_files": sorted(missing),
    }


def backups_prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest archives made in ``directory``."""
    archives = sorted(
        p
        for p in directory.glob(f"{ARCHIVE_PREFIX}*.tar*")
        if p.name.endswith((".tar", ".tar.gz")) and p.is_file()
    )
    old = archives[: max(len(archives) - keep, 0)]
    for archive in old:
        archive.unlink()
    return old


# ------------------------------------------------------------------ verification


def _count_rows(reader: _HashingReader) -> Counter[str]:
    counts: Counter[str] = Counter()
    with gzip.GzipFile(fileobj=reader.as_file(), mode="rb") as gz:
        for number, line in enumerate(gz, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            model = row.get("model") if isinstance(row, dict) else None
            if not isinstance(model, str):
                raise ValueError(f"line {number} is not a row")
            counts[model] += 1
    return counts


def _manifest_check(manifest: Any) -> None:
    """Raise KeyError/TypeError/ValueError unless ``manifest`` has the right shape."""
    if not isinstance(manifest, dict):
        raise TypeError("not an object")
    shapes = {"database": dict, "rows": dict, "migrations": dict, "files": list}
    for key, shape in shapes.items():
        if not isinstance(manifest[key], shape):
            raise TypeError(f"{key}: not a {shape.__name__}")
    entries = [manifest["database"], *manifest["files"]]
    for entry in entries:
        if not (isinstance(entry["size"], int) and isinstance(entry["sha256"], str)):
            raise TypeError(f"{entry}: size or sha256 missing")
    names = [entry["name"] for entry in manifest["files"]]
    if len(set(names)) != len(names):
        raise ValueError("a file is listed twice")
    for name in names:
        if not (isinstance(name, str) and safe_storage_name(name)):
            raise ValueError(f"bad file name {name!r}")
    if not all(isinstance(n, int) for n in manifest["rows"].values()):
        raise TypeError("rows: not counts")


def _manifest_parse(archive: Path, data: bytes | None) -> dict[str, Any]:
    if data is None:
        raise BackupError(f"{archive}: no {MANIFEST_MEMBER} (incomplete archive?)")
    try:
        manifest = json.loads(data)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{archive}: not a dock backup")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"{archive}: format version {manifest.get('format_version')}; this "
                f"dock reads version {FORMAT_VERSION}"
            )
        _manifest_check(manifest)
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{archive}: {MANIFEST_MEMBER} is damaged ({exc})") from exc
    return manifest


def _expected_members(manifest: dict[str, Any]) -> dict[str, tuple[int, str]]:
    database = manifest["database"]
    expected = {DB_MEMBER: (database["size"], database["sha256"])}
    for entry in manifest["files"]:
        expected[FILES_PREFIX + entry["name"]] = (entry["size"], entry["sha256"])
    return expected


def backup_verify(archive: Path, *, progress: bool = False) -> dict[str, Any]:
    """Read the whole archive; check every member against the manifest and the rows
    against its counts. Returns the manifest; raises :class:`BackupError`."""
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    seen: dict[str, tuple[int, str]] = {}
    rows: Counter[str] | None = None
    manifest_data: bytes | None = None
    where = ""  # the member being read, for errors
    try:
        with (
            # (the bar counts the members' bytes: the file's size unless compressed)
            _bar(
                0 if _compressed(archive) else archive.stat().st_size,
                "verifying",
                progress,
            ) as bar,
            tarfile.open(archive, mode="r|*") as tar,
        ):
            for member in tar:
                where = f"{member.name}: "
                if not member.isfile():
                    raise BackupError(f"{archive}: {member.name}: not a regular file")
                if member.name in seen or (
                    member.name == MANIFEST_MEMBER and manifest_data is not None
                ):
                    raise BackupError(f"{archive}: {member.name} appears twice")
                file = tar.extractfile(member)
                if file is None:  # not for a regular file
                    raise BackupError(f"{archive}: {member.name}: unreadable")
                if member.name == MANIFEST_MEMBER:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise BackupError(f"{archive}: {MANIFEST_MEMBER} is too large")
                    manifest_data = file.read()
                    continue
                reader = _HashingReader(file, on_read=bar.update)
                if member.name == DB_MEMBER:
                    rows = _count_rows(reader)
                reader.drain()
                seen[member.name] = (reader.count, reader.hexdigest())
                where = ""
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as exc:
        # ValueError: JSON (JSONDecodeError), UTF-8 (UnicodeDecodeError), gzip
        raise BackupError(f"{archive}: {where}not a readable backup ({exc})") from exc
    manifest = _manifest_parse(archive, manifest_data)
    problems: list[str] = []
    expected = _expected_members(manifest)
    for name, (size, sha256) in expected.items():
        if name not in seen:
            problems.append(f"{name}: missing")
        elif seen[name][0] != size:
            problems.append(f"{name}: {seen[name][0]} bytes, the manifest says {size}")
        elif seen[name][1] != sha256:
            problems.append(f"{name}: SHA-256 differs from the manifest's")
    problems += [f"{name}: not in the manifest" for name in seen.keys() - expected]
    declared = {label: n for label, n in manifest["rows"].items() if n}
    if rows is not None and dict(rows) != declared:
        problems.append(f"{DB_MEMBER}: rows per model differ from the manifest's")
    if problems:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise BackupError(f"{archive}: damaged or altered: {shown}{more}")
    return manifest


# ------------------------------------------------------------------ restore


def _target_check(archive: Path, manifest: dict[str, Any], using: str) -> None:
    """Refuse unless the instance is empty and on the backup's migrations."""
    here, there = _migrations(using), manifest["migrations"]
    if here != there:
        mine = {(a, n) for a, names in here.items() for n in names}
        theirs = {(a, n) for a, names in there.items() for n in names}
        only_there = ", ".join(f"{a}.{n}" for a, n in sorted(theirs - mine)) or "none"
        only_here = ", ".join(f"{a}.{n}" for a, n in sorted(mine - theirs)) or "none"
        raise BackupError(
            f"{archive}: the database's migrations differ from the backup's (only in "
            f"the backup: {only_there}; only here: {only_here}). Restore with the dock "
            f"version that made it ({manifest.get('dock_version')}), or first migrate "
            "this empty database to the backup's migrations (manage.py migrate APP "
            "MIGRATION), restore, then migrate."
        )
    known = {model._meta.label_lower for model in backed_up_models()}
    unknown = sorted(set(manifest["rows"]) - known)
    if unknown:
        raise BackupError(f"{archive}: rows of models this dock lacks: {unknown}")
    filled = {
        model._meta.label_lower: n
        for model in backed_up_models()
        if (n := model._base_manager.using(using).count())
    }
    if filled:
        shown = ", ".join(f"{label}: {n}" for label, n in filled.items())
        raise BackupError(
            f"the database is not empty ({shown}): restore into a freshly migrated "
            "database (manage.py migrate only; ensure_admin, make run and the demo "
            "market add rows)"
        )
    try:
        names = [entry["name"] for entry in manifest["files"]]
        present = [name for name in names if default_storage.exists(name)]
    except STORAGE_ERRORS as exc:
        raise BackupError(f"the storage could not be reached: {exc}") from exc
    if present:
        raise BackupError(
            f"the storage already holds {len(present)} of the backup's files "
            f"({', '.join(present[:5])}): restore into an empty storage"
        )


def _load_rows(stream: IO[bytes], using: str) -> Counter[str]:
    """Load the rows as they were (keys, hashes, times); the caller's transaction."""
    connection = connections[using]
    counts: Counter[str] = Counter()
    loaded: set[type[models.Model]] = set()
    deferred = []
    with (
        gzip.GzipFile(fileobj=stream, mode="rb") as gz,
        io.TextIOWrapper(gz, encoding="utf-8") as text,
        connection.constraint_checks_disabled(),
    ):
        for obj in serializers.deserialize(
            "jsonl", text, using=using, handle_forward_references=True
        ):
            obj.save(using=using)
            if obj.deferred_fields:
                deferred.append(obj)
            counts[obj.object._meta.label_lower] += 1
            loaded.add(type(obj.object))
        for obj in deferred:
            obj.save_deferred_fields(using=using)
    connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
    # New rows must get ids after the restored ones (PostgreSQL's sequences).
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), backed_up_models()):
            cursor.execute(sql)
    return counts


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    rows: dict[str, int]
    files: int
    file_bytes: int


def backup_restore(
    archive: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    progress: bool = False,
    log: Log = lambda line: None,
) -> RestoreResult:
    """Restore an archive into this empty instance: all of it, or nothing."""
    manifest = backup_verify(archive, progress=progress)
    log(f"verified {archive.name}: made {manifest.get('created_at')}")
    _target_check(archive, manifest, using)
    expected = _expected_members(manifest)
    files = {entry["name"]: entry for entry in manifest["files"]}
    total = sum(entry["size"] for entry in files.values())
    written: list[str] = []
    rows: Counter[str] | None = None
    try:
        with (
            transaction.atomic(using=using),
            _bar(total + manifest["database"]["size"], "restoring", progress) as bar,
            tarfile.open(archive, mode="r|*") as tar,
        ):
            for member in tar:
                if member.name == MANIFEST_MEMBER:
                    continue
                file = tar.extractfile(member)
                changed = BackupError(
                    f"{archive}: {member.name} changed since verified"
                )
                if file is None or member.name not in expected:
                    raise changed
                reader = _HashingReader(file, member.size, bar.update)
                if member.name == DB_MEMBER:
                    rows = _load_rows(reader.as_file(), using)
                    log(f"database: {sum(rows.values())} rows loaded")
                else:
                    name = member.name.removeprefix(FILES_PREFIX)
                    saved = default_storage.save(name, File(reader.as_file(), name))
                    written.append(saved)
                    if saved != name:
                        raise BackupError(f"{name}: the storage stored it as {saved}")
                reader.drain()
                if (reader.count, reader.hexdigest()) != expected[member.name]:
                    raise changed
            declared = {label: n for label, n in manifest["rows"].items() if n}
            if rows is None or dict(rows) != declared:
                raise BackupError(
                    f"{archive}: the rows loaded differ from its manifest"
                )
            for model in backed_up_models():
                label = model._meta.label_lower
                if model._base_manager.using(using).count() != declared.get(label, 0):
                    raise BackupError(f"{label}: the restored row count is wrong")
            log(f"files: {len(written)} written; reading them back")
            for name, entry in files.items():
                with default_storage.open(name, "rb") as stored:
                    check = _HashingReader(stored)
                    check.drain()
                if (check.count, check.hexdigest()) != (entry["size"], entry["sha256"]):
                    raise BackupError(
                        f"{name}: the stored copy differs from the archive"
                    )
    except BaseException as exc:
        for name in written:
            try:
                default_storage.delete(name)
            except STORAGE_ERRORS:
                log(f"warning: could not delete {name} again")
        if isinstance(exc, DeserializationError | DatabaseError):
            raise BackupError(f"{archive}: loading the rows failed: {exc}") from exc
        if isinstance(exc, STORAGE_ERRORS):
            raise BackupError(f"the storage failed: {exc}") from exc
        if isinstance(exc, tarfile.TarError | EOFError | zlib.error):
            raise BackupError(f"{archive}: not readable: {exc}") from exc
        raise
    assert rows is not None
    return RestoreResult(manifest, dict(rows), len(written), total)
