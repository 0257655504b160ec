"""A live dock for the client and CLI tests: gunicorn and a real Celery worker on the
test database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port, start_web


@pytest.fixture(scope="module")
def dock(
    celery_worker_process: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The dock's base URL: gunicorn storing packages where the worker reads them."""
    log = tmp_path_factory.mktemp("web") / "web.log"
    port = free_port()
    web = start_web(dict(celery_worker_process), log, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        web.stop()


@pytest.fixture(autouse=True)
def _no_saved_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The client must not pick up the developer's own token or URL."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("BMW_TOKEN", raising=False)
    monkeypatch.delenv("BMW_URL", raising=False)
