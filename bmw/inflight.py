"""Jobs in flight per caller: a bounded count of a caller's waiting requests.

A search or prediction holds a web thread and a worker slot until it is answered;
:func:`in_flight` lets each caller (a user, or an anonymous address) have at most
``limit`` of one kind at a time, counted in the shared cache (Redis in production)
under a key that expires by itself, so a web process that died mid-request cannot
lock a caller out for longer than ``ttl_s``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache

from bmw.errors import RateLimitedError

logger = logging.getLogger(__name__)


def _key(kind: str, caller: str) -> str:
    return f"bmw:in-flight:{kind}:{caller}"


@contextmanager
def in_flight(
    caller: str, *, kind: str, limit: int, ttl_s: float, retry_after_s: int
) -> Iterator[None]:
    """Count one ``kind`` job of ``caller`` while the block runs.

    Raises :class:`RateLimitedError` (429 with ``Retry-After``) if ``caller`` already
    has ``limit`` in flight. An empty ``caller`` is not counted.
    """
    if not caller:
        yield
        return
    key = _key(kind, caller)
    cache.add(key, 0, timeout=max(1, int(ttl_s)))
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=max(1, int(ttl_s)))
        count = 1
    if count > limit:
        _release(key)
        raise RateLimitedError(
            f"Too many {kind} requests of yours are still running (at most {limit} "
            f"at a time); retry in {retry_after_s} s",
            retry_after_s=retry_after_s,
            extra={"in_flight_limit": limit},
        )
    try:
        yield
    finally:
        _release(key)


def _release(key: str) -> None:
    try:
        left = cache.decr(key)
    except ValueError:  # the key expired meanwhile: nothing left to give back
        logger.debug("in-flight counter %s expired before its release", key)
        return
    if left < 0:  # released into a counter that expired and started again
        cache.delete(key)


def in_flight_count(caller: str, *, kind: str) -> int:
    """How many ``kind`` jobs of ``caller`` are counted now (for tests, the admin)."""
    value = cache.get(_key(kind, caller))
    return int(value) if value else 0
