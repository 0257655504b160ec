"""A dock's dependencies of its own, to stop and restart in fault tests.

The machine's shared PostgreSQL and Redis serve every other test; these run a private
PostgreSQL cluster (``initdb`` in a temporary folder) and a private ``redis-server``
on free ports, so a test can take them away and bring them back.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import free_port


def _run(args: list[str], *, as_postgres: bool = False) -> str:
    if as_postgres and os.geteuid() == 0:  # PostgreSQL refuses to run as root
        args = ["runuser", "-u", "postgres", "--", *args]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        output = done.stdout + done.stderr
        raise RuntimeError(f"{args}: exit {done.returncode}\n{output}")
    return done.stdout


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait(predicate: object, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what}: not ready after {timeout}s")


@dataclass
class PrivatePostgres:
    """A throwaway PostgreSQL cluster (trust auth) on 127.0.0.1:``port``."""

    port: int = field(default_factory=free_port)
    folder: Path = field(
        default_factory=lambda: Path(tempfile.mkdtemp(prefix="bmw-fault-pg-"))
    )

    @staticmethod
    def _bin(name: str) -> str:
        found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
        if not found:
            raise RuntimeError(f"PostgreSQL's {name} is not installed")
        return found[-1]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/dock"

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        data = str(self.folder / "data")
        _run(
            [self._bin("initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-N"],
            as_postgres=True,
        )
        self.start()
        _run(
            [
                self._bin("createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "dock",
            ]
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        _run(
            [
                self._bin("pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-o",
                options,
                "-l",
                str(self.folder / "server.log"),
                "-w",
                "start",
            ],
            as_postgres=True,
        )
        _wait(lambda: _listening(self.port), "private PostgreSQL")

    def stop(self) -> None:
        """Fast shutdown: open connections are dropped, as in a restart."""
        _run(
            [
                self._bin("pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
            as_postgres=True,
        )

    def query(self, sql: str) -> list[tuple[object, ...]]:
        import psycopg2  # type: ignore[import-untyped]

        url = self.url.replace("postgres://", "postgresql://")
        with psycopg2.connect(url) as conn, conn.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())

    def destroy(self) -> None:
        if _listening(self.port):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class PrivateRedis:
    """A ``redis-server`` on 127.0.0.1:``port`` that keeps nothing on disk (as the
    machine's): a restart forgets every queued message."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(lambda: _listening(self.port), "private Redis")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # as a crash: no chance to save or hand over
            self.process.wait()
        _wait(lambda: not _listening(self.port), "private Redis to stop")
