"""A throw-away dock for benchmarks: the embedded default in a temporary folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from benchmarks._shared import REPO

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Dock:
    """A dock on the embedded default in ``state``: web + worker processes."""

    def __init__(self, state: Path, *, redis_url: str = "") -> None:
        self.state = state
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="bmw.settings.base",
            DJANGO_SECRET_KEY="benchmark-only-secret-not-for-production-0123456789abcdef",
            BMW_STATE_DIR=str(state),
            BMW_ENV_CACHE_DIR=str(state / "envs"),  # empty: the first build is fresh
            **({"REDIS_URL": redis_url} if redis_url else {}),
            PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        )
        self.env = env
        self.procs: list[subprocess.Popen[bytes]] = []

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"],
            cwd=REPO,
            env=self.env,
            check=True,
        )

    def start(self, *, search: bool = False) -> None:
        """Migrate, start gunicorn + a check worker (+ a search worker), wait."""
        self.migrate()
        celery = [str(BIN / "celery"), "-A", "bmw", "worker", "--loglevel", "WARNING"]
        web = [str(BIN / "gunicorn"), "bmw.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        processes = [
            [*web, "--workers", "2", "--threads", "4"],
            [*celery, "--queues", "default,ml", "--concurrency", "2"],
        ]
        if search:
            search_queue = ["--queues", "search", "--hostname", "search@%h"]
            threads = ["--pool", "threads", "--concurrency", "4"]
            processes.append([*celery, *search_queue, *threads])
        log = (self.state / "dock.log").open("wb")
        for argv in processes:
            self.procs.append(
                subprocess.Popen(argv, cwd=REPO, env=self.env, stdout=log, stderr=log)
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(
            f"the dock did not become healthy; see {self.state}/dock.log"
        )

    def django(self) -> None:
        """Set Django up in this process, on the dock's database and storage."""
        os.environ.update(
            {k: self.env[k] for k in ("BMW_STATE_DIR", "DJANGO_SECRET_KEY")}
        )
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
        if "REDIS_URL" in self.env:
            os.environ["REDIS_URL"] = self.env["REDIS_URL"]
        os.environ["DJANGO_SETTINGS_MODULE"] = "bmw.settings.base"
        import django

        django.setup()

    def token(self, email: str = "bench@example.org", role: str | None = None) -> str:
        """Create a verified user (``role``: default the model's) and an API token
        directly in the dock's database."""
        self.django()
        from django.utils import timezone

        from accounts.models import User
        from accounts.services import api_token_create

        extra = {"role": role} if role else {}
        user = User.objects.create_user(
            email, "bench-password-1", email_verified_at=timezone.now(), **extra
        )
        return api_token_create(user=user, name="benchmark").token

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
