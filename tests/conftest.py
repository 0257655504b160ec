"""Shared fixtures. Imports nothing from Django at module level, so ``tests/core``
runs with ``-p no:django``; Django-dependent fixtures import inside their bodies."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
# ../shared beside the repo (CI lays it there), or $BMW_SHARED_DIR.
SHARED = Path(os.environ.get("BMW_SHARED_DIR", REPO.parent / "shared"))
OFFICIAL = SHARED / "fixtures" / "official"  # files made by the original package
OFFICIAL_ZIP = OFFICIAL / "learnware" / "official_format.zip"
TABLE_SPEC = OFFICIAL / "semantic" / "table_classification.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_url(settings_dict: dict[str, Any]) -> str:
    """The URL of a Django database (used to point subprocesses at the test DB)."""
    user = settings_dict.get("USER") or "postgres"
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def process_env(**overrides: str) -> dict[str, str]:
    """A production-settings environment for a dock subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        DJANGO_SETTINGS_MODULE="bmw.settings.base",
        DJANGO_SECRET_KEY="test-subprocess-secret-not-for-production-0123456789abcdef",
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    env.update(overrides)
    return env


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -c code`` in the repository, :func:`process_env`, output captured."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=process_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


@dataclass
class Process:
    popen: subprocess.Popen[str]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def start_process(args: list[str], env: dict[str, str], log: Path) -> Process:
    handle = log.open("w")
    popen = subprocess.Popen(
        args, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT, text=True
    )
    return Process(popen, log)


def wait_until(predicate: Any, *, timeout: float, what: str, process: Process) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(
                f"{what}: process exited early:\n{process.output()[-3000:]}"
            )
        if predicate():
            return
        time.sleep(0.2)
    raise RuntimeError(
        f"{what}: not ready after {timeout}s:\n{process.output()[-3000:]}"
    )


def start_worker(
    env: dict[str, str],
    log: Path,
    hostname: str,
    *,
    queues: str = "interactive,batch,search",
    concurrency: int = 2,
) -> Process:
    """Start a real Celery worker and wait until it answers pings."""
    proc = start_process(
        [
            str(VENV_BIN / "celery"),
            "-A",
            "bmw",
            "worker",
            "--pool",
            "threads",
            "--concurrency",
            str(concurrency),
            "--queues",
            queues,
            "--hostname",
            hostname,
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        env,
        log,
    )
    wait_until(
        lambda: "ready." in proc.output(),
        timeout=60,
        what="celery worker",
        process=proc,
    )
    return proc


def start_beat(env: dict[str, str], log: Path) -> Process:
    """Start Celery beat (periodic jobs); its schedule file sits beside ``log``."""
    return start_process(
        [
            str(VENV_BIN / "celery"),
            "-A",
            "bmw",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(log.with_suffix(".schedule")),
            "--pidfile=",
        ],
        env,
        log,
    )


def start_web(env: dict[str, str], log: Path, port: int) -> Process:
    """Start the production web server (gunicorn); wait until it accepts connections."""
    proc = start_process(
        [
            str(VENV_BIN / "gunicorn"),
            "bmw.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
        ],
        env,
        log,
    )

    def accepting() -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    wait_until(accepting, timeout=60, what="gunicorn", process=proc)
    return proc


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """A real Celery worker on the test database and the test Redis (not eager mode).

    Yields the worker's environment (incl. its e-mail folder). Tests that need the
    worker to see their rows use ``@pytest.mark.django_db(transaction=True)``.
    """
    from django.conf import settings
    from django.db import connection

    tmp = tmp_path_factory.mktemp("worker")
    env = process_env(
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL=settings.REDIS_URL,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        DJANGO_EMAIL_FILE_PATH=str(tmp / "mail"),
        BMW_STATE_DIR=str(tmp / "state"),
        BMW_MEDIA_ROOT=str(tmp / "media"),  # tests storing files must use it too
        BMW_ENV_CACHE_DIR=os.environ.get("BMW_TEST_ENV_CACHE", "/tmp/bmw-test-envs"),
    )
    proc = start_worker(env, tmp / "worker.log", "test-worker@%h")
    try:
        yield env
    finally:
        proc.stop()


# ---------------------------------------------------------------- personas
# Verified, active accounts, one per role (healthchecks style). Sign one in with
# ``client.force_login(user)``; their password is PASSWORD.
PASSWORD = "correct-horse-battery-staple-9"


def _persona(email: str, role: str) -> Any:
    from django.utils import timezone

    from accounts.models import User

    return User.objects.create_user(
        email,
        PASSWORD,
        role=role,
        is_superuser=role == "admin",
        display_name=email.split("@", 1)[0].title(),
        email_verified_at=timezone.now(),
    )


@pytest.fixture
def user(db: None) -> Any:
    return _persona("alice@example.org", "user")


@pytest.fixture
def other_user(db: None) -> Any:
    return _persona("bob@example.org", "user")


@pytest.fixture
def reviewer(db: None) -> Any:
    return _persona("rita@example.org", "reviewer")


@pytest.fixture
def admin(db: None) -> Any:
    return _persona("root@example.org", "admin")
