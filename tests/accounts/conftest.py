"""Fixtures for the accounts tests: an API client, delivered e-mails, a clock."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _throttle_counters_reset() -> Iterator[None]:
    cache.clear()  # throttle counters live in the cache (Redis db of this run)
    yield
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    client = APIClient()
    client.default_format = "json"
    return client


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> list[mail.EmailMessage]:
    """E-mails sent through the real task body (locmem backend), without a broker.

    Sending it (:func:`bmw.jobs.send_task`) runs the task in-process (``apply``) for
    this test only; other tasks are not sent. Services
    enqueue on commit, which the test transaction never does: wrap the request in
    ``django_capture_on_commit_callbacks(execute=True)``.
    """
    from accounts import tasks
    from bmw import jobs

    def run_now(name: str, args: Any = (), **_options: Any) -> Any:
        if name == tasks.user_email_send.name:
            return tasks.user_email_send.apply(args=args, throw=True)
        return None

    monkeypatch.setattr(jobs, "send_task", run_now)
    return mail.outbox


def link_token(message: mail.EmailMessage) -> str:
    """The token in the link of a verification or reset e-mail."""
    match = re.search(r"\?token=([A-Za-z0-9_-]+)", str(message.body))
    assert match, message.body
    return match.group(1)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """``django.utils.timezone.now`` under the test's control."""
    from django.utils import timezone

    clock = Clock(timezone.now())
    now: Callable[[], datetime] = lambda: clock.now  # noqa: E731
    monkeypatch.setattr(timezone, "now", now)
    return clock
