"""Liveness checks of the dock's dependencies: database, broker, Celery workers."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection

from bmw.celery import app as celery_app


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str
    latency_ms: float


def _timed(probe: Callable[[], str]) -> CheckResult:
    """Run ``probe``; a returned string is success detail, an exception is failure."""
    start = time.perf_counter()
    try:
        detail, ok = probe(), True
    except Exception as exc:
        message = " ".join(str(exc).split())  # drivers put newlines in messages
        detail, ok = f"{type(exc).__name__}: {message}", False
    return CheckResult(
        ok=ok, detail=detail, latency_ms=(time.perf_counter() - start) * 1e3
    )


def check_database() -> CheckResult:
    def probe() -> str:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            connection.close()  # drop a broken persistent connection; next call retries
            raise
        return f"{connection.vendor} reachable"

    return _timed(probe)


def check_broker() -> CheckResult:
    def probe() -> str:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=3)
            return (
                f"{conn.transport_cls} broker reachable at {conn.hostname or 'local'}"
            )

    return _timed(probe)


def check_worker(timeout: float | None = None) -> CheckResult:
    """Broadcast a ping; healthy as soon as one worker answers within ``timeout``."""

    def probe() -> str:
        replies = celery_app.control.ping(
            timeout=timeout or settings.BMW_HEALTH_PING_TIMEOUT, limit=1
        )
        names = sorted(name for reply in replies or [] for name in reply)
        if not names:
            raise RuntimeError("no Celery worker answered the ping")
        return f"worker {names[0]} answered"

    return _timed(probe)


def check_all() -> dict[str, CheckResult]:
    """All checks; the worker is only pinged when the broker is reachable."""
    database, broker = check_database(), check_broker()
    worker = (
        check_worker()
        if broker.ok
        else CheckResult(False, "broker unavailable: cannot ping workers", 0.0)
    )
    return {"database": database, "broker": broker, "worker": worker}
