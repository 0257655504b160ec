"""Files in an S3-compatible bucket: upload, download and the checks' local copy.

The bucket lives in a real S3-compatible server (moto's) on loopback; the dock talks
to it over HTTP through django-storages, as it would to MinIO, Ceph or AWS S3.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from storages.backends.s3 import S3Storage

from accounts.models import User
from bmw.storage import StorageUnavailable, local_copy
from market.models import LearnwareVersion
from tests.conftest import free_port, run_python
from tests.market.conftest import KEY, PREFIX, SECRET, s3_storages


@pytest.fixture
def bucket(settings: Any, s3_endpoint: str, s3_client: Any) -> str:
    """A fresh bucket as the default storage for this test.

    Assigning ``settings.STORAGES`` sends ``setting_changed``; Django's own receiver
    (django.test.signals.storages_changed) then drops the cached storages and resets
    ``default_storage``, here and again when pytest-django restores the setting.
    """
    name = f"bmw-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name)
    settings.STORAGES = s3_storages(s3_endpoint, name, settings.STORAGES)
    return name


def _keys(s3_client: Any, bucket: str) -> list[str]:
    listing = s3_client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_settings_override_switches_default_storage_and_back(
    s3_endpoint: str,
) -> None:
    from django.conf import settings

    s3 = s3_storages(s3_endpoint, "any-bucket", settings.STORAGES)
    with override_settings(STORAGES=s3):
        assert isinstance(default_storage, S3Storage)
        assert default_storage.bucket_name == "any-bucket"
    assert default_storage.__class__ is FileSystemStorage


@pytest.mark.django_db
def test_upload_stores_package_and_stat_spec_in_the_bucket_and_downloads_them(
    bucket: str,
    s3_client: Any,
    user: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    assert default_storage.__class__ is S3Storage
    client = Client()
    client.force_login(user)

    response = client.post(
        "/api/learnwares/",
        {
            "semantic_spec": json.dumps(semantic_spec),
            "package": SimpleUploadedFile("lw.zip", package_bytes, "application/zip"),
        },
    )

    assert response.status_code == 201, response.content
    version = LearnwareVersion.objects.get()
    package_key = f"{PREFIX}/{version.package.name}"
    spec_key = f"{PREFIX}/{version.stat_spec_file.name}"
    assert version.package.name.startswith("packages/")
    assert version.package.name.endswith(f"{version.package_sha256}.zip")
    assert version.stat_spec_file.name.startswith("stat-specs/")
    assert _keys(s3_client, bucket) == sorted([package_key, spec_key])
    stored = s3_client.get_object(Bucket=bucket, Key=package_key)["Body"].read()
    assert stored == package_bytes
    stat = json.loads(s3_client.get_object(Bucket=bucket, Key=spec_key)["Body"].read())
    assert stat["type"] == version.stat_spec_type == "RKMETableSpecification"
    acl = s3_client.get_object_acl(Bucket=bucket, Key=package_key)
    assert not [g for g in acl["Grants"] if "URI" in g["Grantee"]]  # nothing public

    download = client.get(f"/api/versions/{version.id}/download/")

    assert download.status_code == 200
    assert download["Content-Length"] == str(len(package_bytes))
    assert download["Content-Type"] == "application/zip"
    assert download.getvalue() == package_bytes
    download.close()

    with local_copy(version.package) as path:
        assert path.is_file()
        assert path.read_bytes() == package_bytes
        copied = path
    assert not copied.exists()  # a temporary copy, removed afterwards


def test_unreachable_bucket_is_a_transient_storage_error(settings: Any) -> None:
    """The check task retries on StorageUnavailable; S3 errors are not OSErrors."""
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    no_retries = Config(retries={"max_attempts": 1, "mode": "standard"})
    settings.STORAGES = s3_storages(
        dead, "gone", settings.STORAGES, client_config=no_retries
    )
    version = LearnwareVersion(package="packages/2025/01/x.zip")

    with pytest.raises(StorageUnavailable) as raised, local_copy(version.package):
        pass
    assert isinstance(raised.value.__cause__, EndpointConnectionError)


@pytest.mark.parametrize(
    ("missing", "present"),
    [
        (("BMW_S3_ACCESS_KEY_ID", "BMW_S3_SECRET_ACCESS_KEY"), ()),
        (("BMW_S3_SECRET_ACCESS_KEY",), ("BMW_S3_ACCESS_KEY_ID",)),
        (("BMW_S3_ACCESS_KEY_ID",), ("BMW_S3_SECRET_ACCESS_KEY",)),
    ],
    ids=["no-keys", "no-secret", "no-key-id"],
)
def test_bucket_without_credentials_stops_start_up_naming_the_variable(
    missing: tuple[str, ...], present: tuple[str, ...]
) -> None:
    env = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "REDIS_URL": "redis://127.0.0.1:6379/6",
        "BMW_S3_BUCKET": "bmw-files",
        **dict.fromkeys(missing, ""),
        **dict.fromkeys(present, "set"),
    }

    result = run_python("import bmw.wsgi", **env)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert f"{missing[0]}: must be set when BMW_S3_BUCKET is set" in last_line


def test_bucket_settings_from_the_environment(s3_endpoint: str) -> None:
    result = run_python(
        "import bmw.wsgi\n"
        "from django.core.files.storage import default_storage as s\n"
        "print(s.__class__.__name__, s.bucket_name, s.endpoint_url, s.region_name,"
        " s.location, s.default_acl, s.file_overwrite, s.querystring_auth,"
        " s.signature_version, s.addressing_style)",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        REDIS_URL="redis://127.0.0.1:6379/6",
        BMW_S3_BUCKET="bmw-files",
        BMW_S3_ACCESS_KEY_ID=KEY,
        BMW_S3_SECRET_ACCESS_KEY=SECRET,
        BMW_S3_ENDPOINT_URL=s3_endpoint,
        BMW_S3_REGION="",
        BMW_S3_PREFIX="/dock/",
        BMW_S3_ADDRESSING_STYLE="",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "bmw-files",
        s3_endpoint,
        "us-east-1",
        "dock",
        "private",
        "False",
        "True",
        "s3v4",
        "path",
    ]


def test_default_storage_is_the_filesystem_again() -> None:
    """After the bucket tests, the local default is back (the override was undone)."""
    assert default_storage.__class__ is FileSystemStorage
