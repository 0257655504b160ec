"""bmw.jobs.enqueue: fire-and-forget, and a broker outage never fails the request."""

from __future__ import annotations

from typing import Any

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from bmw import jobs


def _sending(monkeypatch: pytest.MonkeyPatch, fail: BaseException | None) -> list[Any]:
    sent: list[Any] = []

    def send_task(name: str, args: tuple[Any, ...] = (), **options: Any) -> None:
        sent.append((name, args, options))
        if fail is not None:
            raise fail

    monkeypatch.setattr(jobs, "send_task", send_task)
    return sent


def test_enqueued_tasks_do_not_subscribe_to_their_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent = _sending(monkeypatch, None)
    assert jobs.enqueue("market.x", 7, recovered_by="the sweep", task_id="t1")
    assert sent == [("market.x", (7,), {"ignore_result": True, "task_id": "t1"})]


def test_celerys_result_store_giving_up_on_redis_is_a_broker_outage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # what Celery raises after 20 s of retrying the result subscription
    try:
        try:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379")
        except RedisConnectionError as cause:
            raise RuntimeError("Retry limit exceeded ...") from cause
    except RuntimeError as exc:
        gave_up = exc
    _sending(monkeypatch, gave_up)
    assert jobs.enqueue("market.x", 7, recovered_by="the sweep") is False


def test_other_errors_are_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    _sending(monkeypatch, RuntimeError("a bug"))
    with pytest.raises(RuntimeError, match="a bug"):
        jobs.enqueue("market.x", recovered_by="the sweep")
