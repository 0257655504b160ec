"""Compat fixtures: the official package, its semantic spec, and the original
``LearnwareClient``'s requests replayed through Django's test client."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import OFFICIAL_ZIP, TABLE_SPEC

CHUNK_SIZE = 1024 * 1024  # the original client's chunk size
PREFIX = "/api/compat/v1"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def package_bytes() -> bytes:
    return OFFICIAL_ZIP.read_bytes()


@pytest.fixture
def semantic_spec() -> dict[str, Any]:
    return copy.deepcopy(json.loads(TABLE_SPEC.read_text()))


def with_extra_file(data: bytes, name: str, content: bytes) -> bytes:
    """The package plus one stored (uncompressed) file: new hash, same model."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr(name, content)
    return out.getvalue()


@pytest.fixture
def big_package_bytes(package_bytes: bytes) -> bytes:
    """A valid package of ~2.5 MiB (3 chunks): the official one plus random bytes."""
    blob = random.Random(0).randbytes(int(2.5 * CHUNK_SIZE))
    return with_extra_file(package_bytes, "data/blob.bin", blob)


def md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


@dataclass
class OriginalClient:
    """The requests the original ``learnware.client.LearnwareClient`` makes.

    Same paths, methods, bodies (JSON vs multipart, field names, 1 MiB chunks keyed
    by MD5) and the ``Authorization: Bearer`` header after ``login``.
    """

    client: Any
    headers: dict[str, str] = field(default_factory=dict)

    def post_json(self, path: str, body: Any = None) -> Any:
        if body is None:  # requests.post(url) with no body at all
            return self.client.post(PREFIX + path, headers=self.headers)
        return self.client.post(
            PREFIX + path,
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )

    def post_multipart(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(PREFIX + path, data, headers=self.headers)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(PREFIX + path, params, headers=self.headers)

    def is_connected(self) -> bool:
        return self.post_json("/auth/login_by_token").status_code != 404

    def login(self, email: str, token: str) -> Any:
        response = self.post_json(
            "/auth/login_by_token", {"email": email, "token": token}
        )
        result = response.json()
        if result["code"] == 0:
            self.headers = {"Authorization": f"Bearer {result['data']['token']}"}
        return result

    def chunk(self, file_hash: str, begin: int, data: bytes) -> Any:
        from django.core.files.uploadedfile import SimpleUploadedFile

        # requests names a bytes file part after its field: filename="chunk_file"
        part = SimpleUploadedFile("chunk_file", data, "application/octet-stream")
        return self.post_multipart(
            "/user/chunked_upload",
            {"chunk_file": part, "file_hash": file_hash, "chunk_begin": begin},
        ).json()

    def upload_chunks(self, data: bytes) -> list[Any]:
        file_hash = md5(data)
        return [
            self.chunk(file_hash, begin, data[begin : begin + CHUNK_SIZE])
            for begin in range(0, len(data), CHUNK_SIZE)
        ]

    def add_uploaded(self, file_hash: str, spec: dict[str, Any]) -> Any:
        body = {"file_hash": file_hash, "semantic_specification": json.dumps(spec)}
        return self.post_json("/user/add_learnware_uploaded", body).json()

    def upload_learnware(self, data: bytes, spec: dict[str, Any]) -> Any:
        for result in self.upload_chunks(data):
            assert result["code"] == 0, result
        return self.add_uploaded(md5(data), spec)
