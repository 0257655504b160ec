"""/healthz reports database, broker and worker, each for real; 503 when one is down."""

from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection
from django.test import Client

from tests.conftest import database_url, free_port, process_env, start_web, start_worker

pytestmark = [pytest.mark.integration]


@pytest.mark.django_db(transaction=True)
def test_healthz_is_200_when_database_broker_and_worker_are_up(
    client: Client, celery_worker_process: dict[str, Any]
) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "worker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["database"]["detail"] == "postgresql reachable"
    assert body["checks"]["broker"]["detail"].startswith("redis broker reachable")
    assert "test-worker@" in body["checks"]["worker"]["detail"]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db(transaction=True)
def test_healthz_over_http_reports_missing_worker_then_recovers(tmp_path: Path) -> None:
    # A broker database (Redis db 14) no worker listens on: the web server is fine,
    # the worker check fails; once a worker starts there, /healthz turns 200.
    env = process_env(
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL="redis://127.0.0.1:6379/14",
        BMW_HEALTH_PING_TIMEOUT="1.0",
        BMW_STATE_DIR=str(tmp_path / "state"),
    )
    port = free_port()
    web = start_web(env, tmp_path / "web.log", port)
    try:
        down = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=30)
        assert down.status_code == 503
        assert down.headers["Retry-After"] == "10"
        checks = down.json()["checks"]
        assert checks["database"]["ok"]
        assert checks["broker"]["ok"]
        assert not checks["worker"]["ok"]
        assert (
            checks["worker"]["detail"]
            == "RuntimeError: no Celery worker answered the ping"
        )

        worker = start_worker(env, tmp_path / "worker.log", "late-worker@%h")
        try:
            up = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=30)
            assert up.status_code == 200, up.text
            assert "late-worker@" in up.json()["checks"]["worker"]["detail"]
        finally:
            worker.stop()
    finally:
        web.stop()
