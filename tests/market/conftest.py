"""Market fixtures and helpers: the original's official learnware package, its semantic
spec, package variants, and publishing through the API with a real check worker."""

from __future__ import annotations

import copy
import io
import json
import time
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from moto.server import ThreadedMotoServer

from accounts.models import User
from market.models import LearnwareVersion
from tests.conftest import OFFICIAL_ZIP, TABLE_SPEC, free_port


@pytest.fixture
def package_bytes() -> bytes:
    """The original package's official-format learnware (6 features, 3 classes)."""
    return OFFICIAL_ZIP.read_bytes()


@pytest.fixture
def semantic_spec() -> dict[str, Any]:
    return copy.deepcopy(json.loads(TABLE_SPEC.read_text()))


FINAL = {"check_failed", "awaiting_review", "approved", "rejected"}


def rezip(
    data: bytes,
    *,
    extra: dict[str, bytes] | None = None,
    replace: dict[str, bytes] | None = None,
) -> bytes:
    """The package with files replaced (by name) and extra files added.

    Extra files alone give a different hash and the same model.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, (replace or {}).get(item.filename) or src.read(item))
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def client_for(user: User) -> Client:
    """A Django test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def post_package(client: Client, package: bytes, spec: dict[str, Any] | str) -> Any:
    """POST an upload (multipart: the semantic spec and the zip) through the API."""
    return client.post(
        "/api/learnwares/",
        {
            "semantic_spec": spec if isinstance(spec, str) else json.dumps(spec),
            "package": SimpleUploadedFile("lw.zip", package, "application/zip"),
        },
    )


def mark_checked(learnware_id: int) -> LearnwareVersion:
    """Mark the newest version as having passed its checks (what the worker does)."""
    version = LearnwareVersion.objects.filter(learnware_id=learnware_id).latest(
        "number"
    )
    LearnwareVersion.objects.filter(id=version.id).update(
        status=LearnwareVersion.Status.AWAITING_REVIEW
    )
    version.refresh_from_db()
    return version


def upload_and_wait(
    client: Client, package: bytes, spec: dict[str, Any], *, timeout: float = 240
) -> dict[str, Any]:
    """Upload through the API and wait for the worker's checks to end.

    Returns the version's final JSON, with ``seen``: the statuses polled on the way.
    """
    response = post_package(client, package, spec)
    assert response.status_code == 201, response.content
    version_id = response.json()["version"]["id"]
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/api/versions/{version_id}/").json()
        seen.append(body["status"])
        if body["status"] in FINAL:
            body["seen"] = seen
            return body
        time.sleep(0.3)
    pytest.fail(f"version {version_id} not checked in time; statuses seen: {seen[-5:]}")


def publish(
    owner: Client, reviewer: Client, package: bytes, spec: dict[str, Any]
) -> int:
    """Upload, let the worker check it, approve it; returns the learnware id."""
    body = upload_and_wait(owner, package, spec)
    assert body["status"] == "awaiting_review", body.get("failure_reason")
    approved = reviewer.post(
        f"/api/versions/{body['id']}/review/",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert approved.status_code == 200, approved.content
    return int(body["learnware_id"])


def table_package(package_bytes: bytes, X: Any, *, n_points: int = 10) -> bytes:
    """The official package turned into a learnware of ``X.shape[1]`` columns: its
    stat.json the RKME of ``X``, the model's declared input shape to match."""
    from learnware_core.specification.rkme import RKMETableSpecification

    d = int(X.shape[1])
    stat = RKMETableSpecification(n_points=n_points, random_state=0).fit(X)
    with zipfile.ZipFile(io.BytesIO(package_bytes)) as zf:
        manifest = zf.read("learnware.yaml").replace(b"  - 6\n", f"  - {d}\n".encode())
        code = zf.read("__init__.py").replace(
            b"input_shape=(6,)", f"input_shape=({d},)".encode()
        )
    return rezip(
        package_bytes,
        replace={
            "stat.json": json.dumps(stat.to_dict()).encode(),
            "learnware.yaml": manifest,
            "__init__.py": code,
        },
    )


def table_spec(
    semantic_spec: dict[str, Any], name: str, columns: list[str]
) -> dict[str, Any]:
    """The semantic spec of a table learnware named ``name`` with these columns."""
    return {
        **semantic_spec,
        "Name": {"Type": "String", "Values": name},
        "Input": {
            "Dimension": len(columns),
            "Description": {str(i): text for i, text in enumerate(columns)},
        },
    }


def publish_unchecked(
    owner: Client, reviewer: Client, package: bytes, spec: dict[str, Any]
) -> int:
    """Upload through the API, mark it checked (no worker), approve it; its id."""
    response = post_package(owner, package, spec)
    assert response.status_code == 201, response.content
    version = mark_checked(response.json()["id"])
    approved = reviewer.post(
        f"/api/versions/{version.id}/review/",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert approved.status_code == 200, approved.content
    return int(response.json()["id"])


# An S3-compatible bucket: a real server (moto's) on loopback, spoken to over HTTP.
KEY, SECRET, REGION = "bmw-test-key", "bmw-test-secret", "us-east-1"
PREFIX = "dock"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server on a free loopback port."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_client(s3_endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
    )


def s3_storages(
    endpoint: str, bucket: str, base: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """``base`` (the STORAGES setting) with the default storage in ``bucket``.

    The options are those bmw/settings/base.py builds from the BMW_S3_* variables.
    """
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": REGION,
        "access_key": KEY,
        "secret_key": SECRET,
        "location": PREFIX,
        "signature_version": "s3v4",
        "addressing_style": "path",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "max_memory_size": 16 << 20,
        **extra,
    }
    default = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    return {**base, "default": default}
