"""Faults: PostgreSQL and Redis restart, search and check workers die mid-work.

A dock of its own (gunicorn, a check worker, a search worker, beat) on a private
PostgreSQL cluster and a private Redis (tests/market/fault_stack.py), so taking them
away leaves every other test alone. While a dependency is down, requests that need
it get a 503 with ``Retry-After``; once it is back the dock recovers by itself,
every upload is checked exactly once more or less but stored exactly once, and no
version is left queued or checking. (A check worker killed mid-check:
test_check_pipeline.py.)
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import (
    REPO,
    Process,
    free_port,
    process_env,
    start_beat,
    start_web,
    start_worker,
)
from tests.market.conftest import FINAL, rezip
from tests.market.fault_stack import PrivatePostgres, PrivateRedis

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

SLOW_MODEL = (  # a model whose load takes 4 s: time to pull a dependency away
    b"import time\n"
    b"import numpy as np\n"
    b"from learnware.model import BaseModel\n"
    b"class Model(BaseModel):\n"
    b"    def __init__(self):\n"
    b"        super().__init__(input_shape=(6,), output_shape=(3,))\n"
    b"        time.sleep(4)\n"
    b"    def predict(self, X):\n"
    b"        return np.full((len(X), 3), 1 / 3)\n"
)
IN_BETWEEN = ("queued", "checking")
CREATE_USER = """
from accounts.models import User
from accounts.services import api_token_create
from django.utils import timezone
user = User.objects.create_user(
    "faults@example.org", "correct-horse-battery-staple-9",
    display_name="Faults", email_verified_at=timezone.now(),
)
print(api_token_create(user=user, name="faults").token)
"""


@dataclass
class Dock:
    url: str
    token: str
    env: dict[str, str]
    folder: Path
    postgres: PrivatePostgres
    redis: PrivateRedis
    processes: dict[str, Process]

    def start(self, name: str) -> None:
        log = self.folder / f"{name}-{time.monotonic_ns()}.log"
        if name == "search":
            self.processes[name] = start_worker(
                self.env, log, "search@%h", queues="search", concurrency=1
            )
        elif name == "check":
            self.processes[name] = start_worker(
                self.env, log, "check@%h", queues="interactive,batch", concurrency=1
            )
        elif name == "beat":
            self.processes[name] = start_beat(self.env, log)
        else:
            raise ValueError(name)

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.popen.send_signal(signal.SIGKILL)
        process.popen.wait()

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        return requests.request(
            method, f"{self.url}{path}", headers=headers, timeout=60, **kwargs
        )

    def upload(self, package: bytes, spec: dict[str, Any]) -> requests.Response:
        return self.request(
            "POST",
            "/api/learnwares/",
            data={"semantic_spec": json.dumps(spec)},
            files={"package": ("lw.zip", package)},
        )

    def versions(self) -> list[tuple[object, ...]]:
        """(id, status, check attempts, package hash) of every version, by id."""
        return self.postgres.query(
            "SELECT id, status, check_attempts, package_sha256 "
            "FROM market_learnwareversion ORDER BY id"
        )

    def status(self, version_id: int) -> str:
        return str(self.request("GET", f"/api/versions/{version_id}/").json()["status"])

    def wait_status(self, version_id: int, wanted: set[str], timeout: float) -> str:
        deadline = time.monotonic() + timeout
        seen = ""
        while time.monotonic() < deadline:
            response = self.request("GET", f"/api/versions/{version_id}/")
            if response.status_code == 200:
                seen = response.json()["status"]
                if seen in wanted:
                    return seen
            time.sleep(0.3)
        logs = {n: p.output()[-2000:] for n, p in self.processes.items()}
        pytest.fail(f"version {version_id}: {seen!r} after {timeout}s\n{logs}")

    def wait_ok(self, path: str, timeout: float = 60) -> requests.Response:
        deadline = time.monotonic() + timeout
        while True:
            try:
                response = self.request("GET", path)
                if response.status_code == 200:
                    return response
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{path} did not recover within {timeout}s")
            time.sleep(0.5)


@pytest.fixture(scope="module")
def dock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dock]:
    folder = tmp_path_factory.mktemp("faults")
    postgres, redis = PrivatePostgres(), PrivateRedis()
    postgres.create()
    redis.start()
    env = process_env(
        DATABASE_URL=postgres.url,
        REDIS_URL=redis.url,
        BMW_STATE_DIR=str(folder / "state"),
        BMW_MEDIA_ROOT=str(folder / "media"),
        BMW_ENV_CACHE_DIR="/tmp/bmw-test-envs",
        BMW_CHECK_STALE_AFTER_S="30",  # > the slowest check step here
        BMW_CHECK_REQUEUE_EVERY_S="2",
        BMW_SEARCH_TIMEOUT_S="5",
        BMW_WORLD_RETRAIN_EVERY="0",
        BMW_WORLD_RETRAIN_INTERVAL_S="0",
        BMW_CHECKS_PENDING_MAX="100",  # uploads pile up while a fault is on
    )
    manage = [sys.executable, str(REPO / "manage.py")]
    dock = None
    try:
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=REPO)
        token = subprocess.run(
            [*manage, "shell", "-c", CREATE_USER],
            env=env,
            check=True,
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        port = free_port()
        web = start_web(env, folder / "web.log", port)
        dock = Dock(f"http://127.0.0.1:{port}", token, env, folder, postgres, redis, {})
        dock.processes["web"] = web
        for name in ("check", "search", "beat"):
            dock.start(name)
        yield dock
    finally:
        for process in dock.processes.values() if dock else ():
            process.stop()
        redis.stop()
        postgres.destroy()


@pytest.fixture
def package(package_bytes: bytes) -> Callable[[], bytes]:
    """Distinct slow packages (each upload a new hash: no duplicate-package 409)."""
    count = iter(range(10**6))

    def make() -> bytes:
        return rezip(
            package_bytes,
            replace={"__init__.py": SLOW_MODEL},
            extra={f"notes-{next(count)}-{time.time_ns()}.txt": b"x"},
        )

    return make


def _assert_503(response: requests.Response, dependency: str) -> None:
    assert response.status_code == 503, (response.status_code, response.text[:500])
    assert int(response.headers["Retry-After"]) > 0
    body = response.json()
    assert dependency in body["message"], body


def _assert_settled(dock: Dock, expected: int) -> None:
    """Every upload stored once, none left in between."""
    versions = dock.versions()
    assert len(versions) == expected, versions
    assert len({v[3] for v in versions}) == expected, versions
    assert not [v for v in versions if v[1] in IN_BETWEEN], versions


def test_postgres_restart_mid_check(
    dock: Dock, package: Any, semantic_spec: dict[str, Any]
) -> None:
    before = len(dock.versions())
    first = dock.upload(package(), semantic_spec)
    assert first.status_code == 201, first.text
    first_id = first.json()["version"]["id"]
    dock.wait_status(first_id, {"checking"}, timeout=60)

    dock.postgres.stop()  # mid-check: the model is loading in the sandbox
    try:
        _assert_503(dock.request("GET", "/api/learnwares/"), "database")
        _assert_503(dock.request("GET", f"/api/versions/{first_id}/"), "database")
        _assert_503(dock.upload(package(), semantic_spec), "database")
        health = dock.request("GET", "/healthz")
        assert health.status_code == 503
        assert health.headers["Retry-After"]
    finally:
        dock.postgres.start()

    dock.wait_ok("/api/learnwares/")  # the web reconnects by itself
    second = dock.upload(package(), semantic_spec)
    assert second.status_code == 201, second.text
    for version_id in (first_id, second.json()["version"]["id"]):
        assert dock.wait_status(version_id, FINAL, timeout=240) == "awaiting_review"
    _assert_settled(dock, before + 2)  # the 503'd upload stored nothing


def test_redis_restart_loses_queued_messages_not_uploads(
    dock: Dock, package: Any, semantic_spec: dict[str, Any]
) -> None:
    before = len(dock.versions())
    running = dock.upload(package(), semantic_spec).json()["version"]["id"]
    waiting = dock.upload(package(), semantic_spec).json()["version"]["id"]
    dock.wait_status(running, {"checking"}, timeout=60)
    assert dock.status(waiting) == "queued"  # its message waits in Redis

    dock.redis.stop()  # Redis keeps nothing on disk: the queued message is gone
    try:
        browse = dock.request("GET", "/api/learnwares/")
        assert browse.status_code == 200, browse.text  # browsing needs no Redis
        _assert_503(
            dock.request("POST", "/api/learnwares/search/", json={"query": "x"}),
            "broker",
        )
        health = dock.request("GET", "/healthz")
        assert health.status_code == 503
        assert health.headers["Retry-After"]
        # An upload is stored and its check queued once the broker is back.
        accepted = dock.upload(package(), semantic_spec)
        assert accepted.status_code == 201, accepted.text
        assert accepted.json()["version"]["status"] == "queued"
    finally:
        dock.redis.start()

    dock.wait_ok("/healthz", timeout=90)  # workers and beat reconnect by themselves
    searched = dock.request("POST", "/api/learnwares/search/", json={"query": "x"})
    assert searched.status_code == 200, searched.text
    ids = (running, waiting, accepted.json()["version"]["id"])
    for version_id in ids:
        assert dock.wait_status(version_id, FINAL, timeout=240) == "awaiting_review"
    _assert_settled(dock, before + 3)


def test_search_worker_killed_mid_search_then_replaced(dock: Dock) -> None:
    query = {"query": "classification"}
    assert dock.request("POST", "/api/learnwares/search/", json=query).ok

    answers: list[requests.Response] = []
    pending = threading.Thread(
        target=lambda: answers.append(
            dock.request("POST", "/api/learnwares/search/", json=query)
        )
    )
    pending.start()
    time.sleep(0.3)
    dock.kill("search")
    pending.join(timeout=30)
    started = time.monotonic()
    after = dock.request("POST", "/api/learnwares/search/", json=query)
    _assert_503(after, "search worker")
    assert time.monotonic() - started < 15  # the configured 5 s wait, not a hang
    # The one in flight was either answered before the kill or told to retry.
    assert len(answers) == 1
    assert answers[0].status_code in (200, 503), answers[0].text

    dock.start("search")
    assert dock.request("POST", "/api/learnwares/search/", json=query).ok
