"""The embedded default's filesystem broker writes each message atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from kombu import Connection

import bmw.celery  # noqa: F401  (registers the transport under "filesystem")
from bmw.broker import TMP_PREFIX, Transport


@pytest.fixture
def connection(tmp_path: Path) -> Any:
    folder = tmp_path / "queue"
    folder.mkdir()
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }
    with Connection("filesystem://", transport_options=options) as conn:
        yield conn


def test_filesystem_urls_use_the_atomic_transport(connection: Any) -> None:
    assert isinstance(connection.transport, Transport)


def test_a_message_appears_under_its_final_name_only_when_complete(
    connection: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = connection.default_channel
    folder = Path(channel.data_folder_out)
    seen: list[tuple[list[str], int]] = []
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        # At the moment of the rename: no *.msg file yet, the whole body written.
        seen.append(
            (sorted(p.name for p in folder.glob("*.msg")), Path(src).stat().st_size)
        )
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    payload = {"body": "x" * 100_000, "properties": {}}
    channel._put("jobs", payload)

    [(visible, size)] = seen
    assert visible == []  # a consumer could not have picked up a partial file
    assert size > 100_000
    names = [p.name for p in folder.iterdir()]
    assert len(names) == 1
    assert names[0].endswith(".jobs.msg")
    assert not names[0].startswith(TMP_PREFIX)
    assert channel._get("jobs") == payload
