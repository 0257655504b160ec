"""Market fixtures: the original's official learnware package and its semantic spec."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from typing import Any

import pytest

from tests.conftest import OFFICIAL_ZIP, TABLE_SPEC


@pytest.fixture
def package_bytes() -> bytes:
    """The original package's official-format learnware (6 features, 3 classes)."""
    return OFFICIAL_ZIP.read_bytes()


@pytest.fixture
def semantic_spec() -> dict[str, Any]:
    return copy.deepcopy(json.loads(TABLE_SPEC.read_text()))


def rezip(data: bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    """The same package with extra files: a different hash, the same model."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()
