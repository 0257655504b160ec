"""Queueing background work: the one way the apps send a Celery task.

Tasks are sent **by name** (``"market.learnware_version_check"``), so the code that
queues work never imports the module that does it: a task module imports its
service, never the other way round (no import cycles; the routes in settings pick
the queue by name).

:func:`enqueue_on_commit` sends a task once the surrounding transaction commits (a
worker never looks for a row that is not there yet) and survives a broker outage:
the failure is logged, the request still succeeds, and the work is picked up by
whatever ``recovered_by`` names (for checks, the stale-check sweep).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app
from celery.result import AsyncResult
from django.db import transaction

from bmw.outages import BROKER, BROKER_ERRORS, unavailable_dependency

logger = logging.getLogger(__name__)


def send_task(name: str, args: tuple[Any, ...] = (), **options: Any) -> AsyncResult:
    """Send the task called ``name`` now (raises the broker's errors)."""
    return current_app.send_task(name, args=args, **options)


def enqueue(name: str, *args: Any, recovered_by: str, **options: Any) -> bool:
    """Send task ``name`` now; False (logged) if the broker is unreachable.

    Nobody waits for an enqueued task's result, so it is sent with
    ``ignore_result``: the web process does not subscribe to its result channel (a
    subscription to a Redis that went away is retried for 20 s, then Celery's
    ``RuntimeError``, chained from the connection error, is what reaches here).
    """
    options.setdefault("ignore_result", True)
    try:
        send_task(name, args, **options)
    except Exception as exc:
        if not isinstance(exc, BROKER_ERRORS) and unavailable_dependency(exc) != BROKER:
            raise
        logger.warning(
            "%s%r not queued (%s); %s picks it up", name, args, exc, recovered_by
        )
        return False
    return True


def enqueue_on_commit(name: str, *args: Any, recovered_by: str, **options: Any) -> None:
    """Send task ``name`` after the current transaction commits (now if none is open).

    ``options`` go to ``send_task`` (e.g. ``task_id``). A broker outage is logged,
    not raised: ``recovered_by`` names what queues the work again.
    """
    transaction.on_commit(
        lambda: enqueue(name, *args, recovered_by=recovered_by, **options)
    )
