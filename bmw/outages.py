"""Which exceptions mean "a dependency is down" (so: 503 + ``Retry-After``, not 500).

The database (PostgreSQL or SQLite), the cache and the broker (Redis) can restart
under a running dock. Requests that need them fail while they are away; the dock's
500 handler (:func:`bmw.views.handler500`) answers those with a 503 the client can
retry, and the connections recover by themselves (``CONN_HEALTH_CHECKS``, redis-py's
and kombu's reconnects).
"""

from __future__ import annotations

from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

RETRY_AFTER_S = 10  # about how long a restart of PostgreSQL or Redis takes

#: Raised by ``Task.delay`` when the broker cannot be reached.
BROKER_ERRORS: tuple[type[Exception], ...] = (
    BrokerOperationalError,
    RedisConnectionError,
    RedisTimeoutError,
)
BROKER = "cache or message broker"
_CAUSES: tuple[tuple[tuple[type[Exception], ...], str], ...] = (
    ((DatabaseOperationalError, DatabaseInterfaceError), "database"),
    (BROKER_ERRORS, BROKER),
)


def unavailable_dependency(exc: BaseException | None) -> str | None:
    """The dependency whose outage ``exc`` (or an exception it chains) reports."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        for types, name in _CAUSES:
            if isinstance(exc, types):
                return name
        exc = exc.__cause__ or exc.__context__
    return None
