"""Backups: backup_dock, verify_backup and restore_dock on a populated dock.

A dock with accounts (an admin with a password, API tokens), learnwares with several
versions and their packages, reviews, notices, audit entries, a world engine ... is
backed up and restored into a second, empty instance: its own PostgreSQL database,
migrated by ``manage.py migrate`` in a subprocess, and its own media folder. Every row
of every table must come back with the same values (keys, hashes, times to the
microsecond) and every stored file byte for byte.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import uuid
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg2  # type: ignore[import-untyped]
import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.test import Client
from django.utils import timezone

from accounts import services as account_services
from accounts.models import AuditEntry, EmailToken, User
from accounts.tokens import token_hash
from bmw import backup, jobs
from market import services
from market.models import (
    CheckStep,
    ChunkedUpload,
    ExampleSpec,
    Learnware,
    LearnwareVersion,
    SystemSpec,
    UsageDay,
    WorldEngineVersion,
)
from tests.conftest import PASSWORD, REPO, database_url, process_env
from tests.market.conftest import mark_checked, rezip, s3_storages

pytestmark = pytest.mark.django_db(transaction=True)
SECRET_KEY = "test-backup-secret-key-not-for-production-0123456789abcdefghij"


@pytest.fixture(autouse=True)
def _no_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing enqueued: a Celery worker that other tests started would otherwise
    check these versions (and change their rows) during a comparison."""
    monkeypatch.setattr(jobs, "send_task", lambda *args, **kwargs: None)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


# ------------------------------------------------------------------ the dock


def _populate(package_bytes: bytes, semantic_spec: dict[str, Any]) -> dict[str, Any]:
    """A dock with a bit of everything; returns the objects the tests look at."""
    now = timezone.now()
    admin = User.objects.create_superuser("root@example.org", PASSWORD)
    reviewer = User.objects.create_user(
        "rita@example.org", PASSWORD, role="reviewer", email_verified_at=now
    )
    owner = User.objects.create_user(
        "alice@example.org", PASSWORD, display_name="Alice", email_verified_at=now
    )
    other = User.objects.create_user("bob@example.org", PASSWORD)
    token = account_services.api_token_create(user=owner, name="laptop")
    old = account_services.api_token_create(user=owner, name="old")
    account_services.api_token_revoke(user=owner, api_token_id=old.api_token.id)
    account_services.api_token_create(
        user=admin, name="ops", expires_at=now + timedelta(days=30)
    )
    EmailToken.objects.create(
        user=other,
        purpose=EmailToken.Purpose.VERIFY_EMAIL,
        token_hash="ab" * 32,
        expires_at=now + timedelta(days=2),
    )
    # Foreign keys to permissions and content types (natural keys in the archive).
    group = Group.objects.create(name="curators")
    group.permissions.add(Permission.objects.get(codename="change_learnware"))
    other.groups.add(group)
    other.user_permissions.add(Permission.objects.get(codename="view_learnware"))

    packages = iter(
        rezip(package_bytes, extra={"NOTES.txt": f"variant {n}".encode()})
        for n in range(10)
    )

    def upload(learnware: Learnware | None = None) -> LearnwareVersion:
        file = SimpleUploadedFile("lw.zip", next(packages), "application/zip")
        if learnware is None:
            learnware = services.learnware_create(
                owner=owner, semantic_spec=semantic_spec, package=file
            )
        else:
            learnware.refresh_from_db()
            services.learnware_version_create(
                learnware=learnware, by=owner, package=file
            )
        return mark_checked(learnware.id)

    def review(version: LearnwareVersion, reason: str = "") -> None:
        services.learnware_version_review(
            version=version, reviewer=reviewer, approve=not reason, reason=reason
        )

    # One learnware with four versions: approved, rejected, approved (live), queued.
    v1 = upload()
    review(v1)
    first = v1.learnware
    review(upload(first), reason="the model does not load")
    v3 = upload(first)
    review(v3)
    upload(first)
    LearnwareVersion.objects.filter(learnware=first, number=4).update(
        status=LearnwareVersion.Status.QUEUED
    )
    CheckStep.objects.create(
        version=v3,
        position=0,
        name="structure",
        status=CheckStep.Status.PASSED,
        message="ok",
        log="zip: 4 files",
        started_at=now,
        duration_s=0.125,
    )
    first.refresh_from_db()
    services.learnware_update(
        learnware=first,
        by=owner,
        semantic_spec={
            **semantic_spec,
            "Description": {"Type": "String", "Values": "Edited: 北冥坞 ✓"},
        },
    )
    Learnware.objects.filter(id=first.id).update(
        text_embedding=bytes(range(256)), downloads=7
    )
    # One approved, then deleted (soft: rows and packages stay); one awaiting review.
    deleted = upload()
    review(deleted)
    services.learnware_delete(learnware=deleted.learnware, by=owner)
    upload()

    account_services.user_role_set(actor=admin, user_id=other.id, role="reviewer")
    account_services.user_deactivate(actor=admin, user_id=other.id)
    services.notification_mark_read(user=owner)
    UsageDay.objects.create(day=date(2024, 5, 1), kind=UsageDay.Kind.SEARCH, count=12)
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Learnware),
        object_id=str(first.id),
        object_repr=str(first),
        action_flag=CHANGE,
        change_message="[]",
    )
    example = ExampleSpec(
        key="flights-jfk", name="JFK", data_type="Table", stat_spec_type="RKME"
    )
    example.stat_spec_file.save("flights-jfk.json", ContentFile(b'{"z": [1, 2]}'))
    engine = WorldEngineVersion(
        version="0f" * 16,
        state=WorldEngineVersion.State.READY,
        triggered_by=admin,
        config={"net": {"hidden": 16}},
        candidates=[v3.id],
        learnware_count=1,
        metrics={"loss": 0.5},
        finished_at=now,
    )
    engine.engine_file.save("engine.bin", ContentFile(bytes(range(256)) * 64))
    SystemSpec.objects.create(engine=engine, learnware_version=v3, spec={"z": [0.5]})
    # Not backed up: a compat upload's staged chunks.
    ChunkedUpload.objects.create(user=owner, file_hash="0" * 32, received_bytes=0)
    Client().force_login(owner)  # a session row
    return {"owner": owner, "token": token.token, "first": first}


@pytest.fixture
def dock(
    media: Path, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> dict[str, Any]:
    return _populate(package_bytes, semantic_spec)


def _backup(directory: Path, *args: str) -> Path:
    directory.mkdir(exist_ok=True)
    out = io.StringIO()
    call_command("backup_dock", "--output", str(directory), *args, stdout=out)
    (archive,) = directory.glob("bmw-backup-*.tar*")
    assert f"to {archive}" in out.getvalue()
    return archive


# ------------------------------------------------------------------ the empty instance


@pytest.fixture
def target(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A second instance: an empty, migrated database of its own, an empty media
    folder, and the environment that runs manage.py on them."""
    source = connection.settings_dict
    name = f"{source['NAME']}_restore"
    admin_url = database_url({**source, "NAME": "postgres"})
    url = database_url({**source, "NAME": name})

    def recreate(create: bool) -> None:
        conn = psycopg2.connect(admin_url)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                cursor.execute(f'CREATE DATABASE "{name}"')
        conn.close()

    recreate(create=True)
    env = process_env(
        DATABASE_URL=url,
        DJANGO_SECRET_KEY=SECRET_KEY,
        BMW_STATE_DIR=str(tmp_path / "target-state"),
        BMW_MEDIA_ROOT=str(tmp_path / "target-media"),
    )
    _manage(env, "migrate", "--noinput", "-v", "0")
    try:
        yield {"env": env, "url": url, "media": tmp_path / "target-media"}
    finally:
        recreate(create=False)


def _manage(env: dict[str, str], *args: str, ok: bool = True) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    output = done.stdout + done.stderr
    assert (done.returncode == 0) == ok, output
    return output


# ------------------------------------------------------------------ comparing


def _table_rows(cursor: Any, model: type[models.Model]) -> dict[str, list[tuple]]:
    """Every row of the model's table (and of its many-to-many tables), sorted; keys
    to content types and permissions as natural keys (each database has its own)."""
    cursor.execute("SELECT id, app_label, model FROM django_content_type")
    types = {row[0]: row[1:] for row in cursor.fetchall()}
    cursor.execute("SELECT id, content_type_id, codename FROM auth_permission")
    perms = {row[0]: (types[row[1]], row[2]) for row in cursor.fetchall()}
    natural = {"contenttypes.contenttype": types, "auth.permission": perms}

    def select(meta: Any, fields: Sequence[Any]) -> list[tuple]:
        columns = ", ".join(f'"{f.column}"' for f in fields)
        cursor.execute(f'SELECT {columns} FROM "{meta.db_table}"')
        rows = []
        for row in cursor.fetchall():
            values = []
            for field, value in zip(fields, row, strict=True):
                if field.is_relation and value is not None:
                    value = natural.get(field.related_model._meta.label_lower, {}).get(
                        value, value
                    )
                values.append(bytes(value) if isinstance(value, memoryview) else value)
            rows.append(tuple(values))
        return sorted(rows, key=repr)

    tables = {model._meta.db_table: select(model._meta, model._meta.concrete_fields)}
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through._meta  # type: ignore[union-attr]
        if through.auto_created:  # its own ids are not kept
            fields = [f for f in through.concrete_fields if not f.primary_key]
            tables[through.db_table] = select(through, fields)
    return tables


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stored_names() -> set[str]:
    names: set[str] = set()
    for model in backup.backed_up_models():
        for field in backup.file_fields(model):
            names.update(model._base_manager.values_list(field.name, flat=True))
    return names - {""}


def _compare(source: Any, restored: Any) -> None:
    """Every table of the restored database equals the source's."""
    with source.cursor() as mine, restored.cursor() as theirs:
        for model in backup.backed_up_models():
            expected = _table_rows(mine, model)
            assert _table_rows(theirs, model) == expected, model._meta.label
        # What the issue names, spelled out (the loop above compares every column).
        theirs.execute("SELECT count(*) FROM market_learnware")
        assert theirs.fetchone()[0] == Learnware.objects.count() == 3
        theirs.execute("SELECT count(*) FROM market_learnwareversion")
        # 6 uploaded, 1 the edit's (the same package: files stored once)
        assert theirs.fetchone()[0] == LearnwareVersion.objects.count() == 7
        theirs.execute("SELECT count(*) FROM accounts_user")
        assert theirs.fetchone()[0] == User.objects.count() == 4
        theirs.execute("SELECT count(*) FROM accounts_auditentry")
        assert theirs.fetchone()[0] == AuditEntry.objects.count() == 8
        theirs.execute(
            "SELECT password FROM accounts_user WHERE email = %s", ["root@example.org"]
        )
        assert (
            theirs.fetchone()[0] == User.objects.get(email="root@example.org").password
        )
        theirs.execute("SELECT count(*) FROM market_chunkedupload")  # staging only
        assert theirs.fetchone()[0] == 0
        # New rows get ids after the restored ones.
        for model in (User, Learnware, LearnwareVersion):
            table = model._meta.db_table
            theirs.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
            theirs.execute(f"SELECT last_value FROM {theirs.fetchone()[0]}")
            assert theirs.fetchone()[0] == model.objects.order_by("-id")[0].id


# ------------------------------------------------------------------ tests


def test_restore_into_an_empty_instance_brings_back_every_row_and_file(
    dock: dict[str, Any], media: Path, tmp_path: Path, target: dict[str, Any]
) -> None:
    archive = _backup(tmp_path / "backups", "--verify")
    assert archive.stat().st_mode & 0o077 == 0  # password and token hashes inside

    # A storage holding one of the archive's files is not empty: refused, and the
    # database is left as it was.
    example = ExampleSpec.objects.get().stat_spec_file.name
    (target["media"] / example).parent.mkdir(parents=True)
    shutil.copy(media / example, target["media"] / example)
    output = _manage(target["env"], "restore_dock", str(archive), ok=False)
    assert f"the storage already holds 1 of the backup's files ({example})" in output
    (target["media"] / example).unlink()

    output = _manage(target["env"], "restore_dock", str(archive))
    assert "Restored" in output, output

    source = psycopg2.connect(database_url(connection.settings_dict))
    restored = psycopg2.connect(target["url"])
    try:
        _compare(source, restored)
        with restored.cursor() as cursor:  # the owner's API token still works
            cursor.execute(
                "SELECT u.email FROM accounts_apitoken t JOIN accounts_user u "
                "ON u.id = t.user_id WHERE t.token_hash = %s AND t.revoked_at IS NULL",
                [token_hash(dock["token"])],
            )
            assert cursor.fetchall() == [("alice@example.org",)]
    finally:
        source.close()
        restored.close()

    # Every stored file, byte for byte, and nothing else.
    names = _stored_names()
    assert len(names) == 6 * 2 + 2  # packages + stat specs; example spec; engine
    for name in names:
        assert _sha256(target["media"] / name) == _sha256(media / name), name
    for version in LearnwareVersion.objects.all():
        assert _sha256(target["media"] / version.package.name) == version.package_sha256
    copied = {
        str(p.relative_to(target["media"]))
        for p in target["media"].rglob("*")
        if p.is_file()
    }
    assert copied == names

    # The restored instance is no longer empty: a second restore is refused, and
    # changes nothing.
    output = _manage(target["env"], "restore_dock", str(archive), ok=False)
    assert "the database is not empty (accounts.apitoken: 3" in output
    assert "nothing was changed" in output


def _tampered(archive: Path, tmp_path: Path, member_name: str) -> Path:
    """A copy of ``archive`` with one byte of ``member_name``'s data flipped."""
    with tarfile.open(archive) as tar:
        offset = tar.getmember(member_name).offset_data
    data = bytearray(archive.read_bytes())
    data[offset + 10] ^= 0xFF
    copy = tmp_path / "tampered.tar"
    copy.write_bytes(bytes(data))
    return copy


def test_damaged_archives_are_rejected_before_anything_is_written(
    dock: dict[str, Any], tmp_path: Path
) -> None:
    archive = _backup(tmp_path / "backups")
    call_command("verify_backup", str(archive), stdout=io.StringIO())
    version = LearnwareVersion.objects.order_by("id")[0]
    member = backup.FILES_PREFIX + version.package.name

    tampered = _tampered(archive, tmp_path, member)
    with pytest.raises(CommandError, match=f"{member}: SHA-256 differs"):
        call_command("verify_backup", str(tampered))
    # Verification comes first: the refusal names the damage, not this database.
    with pytest.raises(CommandError, match="SHA-256 differs"):
        call_command("restore_dock", str(tampered))

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match=r"truncated\.tar: "):
        call_command("verify_backup", str(truncated))

    db = _tampered(archive, tmp_path, backup.DB_MEMBER)
    with pytest.raises(CommandError, match=re.escape(backup.DB_MEMBER)):
        call_command("verify_backup", str(db))


def test_restore_refuses_other_migrations(dock: dict[str, Any], tmp_path: Path) -> None:
    archive = _backup(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar]  # type: ignore[union-attr]
    altered = tmp_path / "altered.tar"
    with tarfile.open(altered, "w") as tar:
        for member, data in members:
            if member.name == backup.MANIFEST_MEMBER:
                manifest = json.loads(data)
                manifest["migrations"]["market"].append("9999_from_the_future")
                data = json.dumps(manifest).encode()
                member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    call_command("verify_backup", str(altered), stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"only in the backup: market\.9999_from"):
        call_command("restore_dock", str(altered))


def test_a_missing_stored_file_stops_the_backup_unless_allowed(
    dock: dict[str, Any], media: Path, tmp_path: Path
) -> None:
    example = ExampleSpec.objects.get()
    (media / example.stat_spec_file.name).unlink()
    with pytest.raises(
        CommandError, match=f"missing from the storage: {example.stat_spec_file.name}"
    ):
        call_command("backup_dock", "--output", str(tmp_path))
    assert not list(tmp_path.glob("*.tar"))
    assert not list(tmp_path.glob(".*partial"))

    archive = _backup(tmp_path / "backups", "--allow-missing")
    manifest = backup.backup_verify(archive)
    assert manifest["missing_files"] == [example.stat_spec_file.name]
    assert manifest["rows"]["market.examplespec"] == 1


def test_backups_in_a_directory_keep_the_newest(media: Path, tmp_path: Path) -> None:
    User.objects.create_user("solo@example.org", PASSWORD)
    directory = tmp_path / "backups"
    directory.mkdir()
    for stamp in ("20240101T000000Z", "20240102T000000Z", "20240103T000000Z"):
        (directory / f"bmw-backup-{stamp}.tar").write_bytes(b"")
    (directory / "notes.txt").write_text("kept")
    out = io.StringIO()
    call_command(
        "backup_dock", "--output", str(directory), "--gzip", "--keep", "2", stdout=out
    )
    names = sorted(p.name for p in directory.iterdir())
    assert len(names) == 3
    assert names[0] == "bmw-backup-20240103T000000Z.tar"
    assert names[1].endswith(".tar.gz")
    assert names[2] == "notes.txt"
    manifest = backup.backup_verify(directory / names[1])
    assert manifest["rows"]["accounts.user"] == 1
    with pytest.raises(CommandError, match="never overwrites"):
        call_command("backup_dock", "--output", str(directory / names[1]))


def _dump_rows(archive: Path) -> list[dict[str, Any]]:
    """The rows in an archive, many-to-many lists sorted."""
    with tarfile.open(archive) as tar:
        member = tar.extractfile(backup.DB_MEMBER)
        assert member is not None
        rows = [
            json.loads(line) for line in gzip.decompress(member.read()).splitlines()
        ]
    for row in rows:
        for name, value in row["fields"].items():
            if name in ("groups", "user_permissions", "permissions"):
                row["fields"][name] = sorted(value, key=repr)
    return rows


def test_a_postgresql_backup_restores_into_the_embedded_sqlite_default(
    dock: dict[str, Any], tmp_path: Path
) -> None:
    """The archive is database-neutral: restored into SQLite (``make run``'s default)
    and backed up from there, the rows and files are the same."""
    archive = _backup(tmp_path / "backups")
    env = process_env(
        DJANGO_SECRET_KEY=SECRET_KEY,
        BMW_STATE_DIR=str(tmp_path / "embedded"),
    )
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "restore_dock", str(archive))
    again = tmp_path / "again"
    again.mkdir()
    _manage(env, "backup_dock", "--output", str(again))
    (copy,) = again.glob("bmw-backup-*.tar")

    first, second = backup.backup_verify(archive), backup.backup_verify(copy)
    assert second["database"]["vendor"] == "sqlite"
    assert second["rows"] == first["rows"]
    assert second["files"] == first["files"]  # names, sizes, SHA-256
    assert _dump_rows(copy) == _dump_rows(archive)


def test_backup_and_restore_through_an_s3_bucket(
    settings: Any,
    s3_endpoint: str,
    s3_client: Any,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
    tmp_path: Path,
) -> None:
    """Files are read and written through the default storage: an S3 bucket too."""
    bucket = f"bmw-backup-{uuid.uuid4().hex[:8]}"
    s3_client.create_bucket(Bucket=bucket)
    local = settings.STORAGES
    settings.STORAGES = s3_storages(s3_endpoint, bucket, local, location="dock")
    owner = User.objects.create_user("alice@example.org", PASSWORD)
    learnware = services.learnware_create(
        owner=owner,
        semantic_spec=semantic_spec,
        package=SimpleUploadedFile("lw.zip", package_bytes),
    )
    learnware.refresh_from_db()
    services.learnware_version_create(
        learnware=learnware,
        by=owner,
        package=SimpleUploadedFile("lw.zip", rezip(package_bytes, extra={"v": b"2"})),
    )
    archive = _backup(tmp_path / "backups")
    source = psycopg2.connect(database_url(connection.settings_dict))
    try:
        with source.cursor() as cursor:
            before = [_table_rows(cursor, m) for m in backup.backed_up_models()]
    finally:
        source.close()

    # An empty instance: the tables flushed (content types and permissions made
    # again), a new place in the bucket.
    call_command("flush", "--no-input", verbosity=0)
    settings.STORAGES = s3_storages(s3_endpoint, bucket, local, location="restored")
    call_command("restore_dock", str(archive), stdout=io.StringIO())

    restored = psycopg2.connect(database_url(connection.settings_dict))
    try:
        with restored.cursor() as cursor:
            after = [_table_rows(cursor, m) for m in backup.backed_up_models()]
    finally:
        restored.close()
    assert after == before
    names = _stored_names()
    assert len(names) == 4
    for name in names:
        original = s3_client.get_object(Bucket=bucket, Key=f"dock/{name}")
        copy = s3_client.get_object(Bucket=bucket, Key=f"restored/{name}")
        assert copy["Body"].read() == original["Body"].read(), name


def test_a_file_replaced_during_the_backup_makes_it_start_over(
    dock: dict[str, Any], media: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """The snapshot named a file that went before it was copied (a replaced example
    spec): the backup starts over, and is consistent."""
    dump_rows = backup._dump_rows

    def then_replace(stream: Any, using: str) -> Any:
        dumped = dump_rows(stream, using)
        example = ExampleSpec.objects.get()
        if example.stat_spec_file.name in dumped.files:  # only the first time
            example.stat_spec_file.delete(save=False)
            example.stat_spec_file.save("flights-jfk-2.json", ContentFile(b"{}"))
        return dumped

    monkeypatch.setattr(backup, "_dump_rows", then_replace)
    out = io.StringIO()
    call_command("backup_dock", "--output", str(tmp_path), stdout=out)
    assert "1 file(s) went after the snapshot; starting again (1/3)" in out.getvalue()
    (archive,) = tmp_path.glob("bmw-backup-*.tar")
    names = {entry["name"] for entry in backup.backup_verify(archive)["files"]}
    assert ExampleSpec.objects.get().stat_spec_file.name in names
    assert names == _stored_names()


def test_rows_written_during_the_backup_are_not_in_it(
    dock: dict[str, Any], tmp_path: Path, monkeypatch: Any
) -> None:
    """One snapshot: a user and an audit entry committed (by another connection)
    while the tables are being read are in no table of the archive."""
    serialize = backup._RowSerializer.serialize
    late: list[int] = []

    def meanwhile() -> None:
        try:
            user = User.objects.create_user("late@example.org", PASSWORD)
            account_services.audit_record(
                actor=user, action=AuditEntry.Action.USER_ROLE, target=user
            )
            late.append(user.id)
        finally:
            connection.close()

    def and_write(self: Any, queryset: Any, **options: Any) -> Any:
        result = serialize(self, queryset, **options)
        if not late:  # after the first table (accounts.apitoken)
            thread = threading.Thread(target=meanwhile)
            thread.start()
            thread.join()
        return result

    monkeypatch.setattr(backup._RowSerializer, "serialize", and_write)
    archive = _backup(tmp_path / "backups")
    assert late
    assert User.objects.count() == 5
    manifest = backup.backup_verify(archive)
    assert manifest["rows"]["accounts.user"] == 4
    assert manifest["rows"]["accounts.auditentry"] == AuditEntry.objects.count() - 1
    users = [r for r in _dump_rows(archive) if r["model"] == "accounts.user"]
    assert late[0] not in {row["pk"] for row in users}


def test_a_restore_that_fails_midway_leaves_nothing_behind(
    dock: dict[str, Any], media: Path, tmp_path: Path, settings: Any
) -> None:
    """Rows that do not load (here: versions whose uploader is not in the archive)
    roll back, and the files already written are deleted again."""
    archive = _backup(tmp_path / "backups")
    broken = tmp_path / "broken.tar"
    with tarfile.open(archive) as tar, tarfile.open(broken, "w") as out:
        members = {m.name: (m, tar.extractfile(m).read()) for m in tar}  # type: ignore[union-attr]
        rows = gzip.decompress(members[backup.DB_MEMBER][1]).splitlines()
        kept = [r for r in rows if json.loads(r)["model"] != "accounts.user"]
        db = gzip.compress(b"\n".join(kept) + b"\n")
        manifest = json.loads(members.pop(backup.MANIFEST_MEMBER)[1])
        manifest["database"].update(size=len(db), sha256=hashlib.sha256(db).hexdigest())
        manifest["rows"]["accounts.user"] = 0
        members[backup.DB_MEMBER] = (members[backup.DB_MEMBER][0], db)
        members[backup.MANIFEST_MEMBER] = (
            tarfile.TarInfo(backup.MANIFEST_MEMBER),
            json.dumps(manifest).encode(),
        )
        for member, data in members.values():
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    call_command("verify_backup", str(broken), stdout=io.StringIO())

    call_command("flush", "--no-input", verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    with pytest.raises(CommandError, match=r"nothing was changed: .*loading the rows"):
        call_command("restore_dock", str(broken), stdout=io.StringIO())
    assert not [p for p in (tmp_path / "empty-media").rglob("*") if p.is_file()]
    for model in backup.backed_up_models():
        assert not model._base_manager.exists(), model
