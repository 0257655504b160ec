"""Fail loudly at start-up when a configured service cannot be reached.

Called by the WSGI/ASGI entry points and the Celery worker: a wrong ``DATABASE_URL``
or ``REDIS_URL`` stops the process with a message naming the variable, instead of a
traceback in the first request.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from bmw import health

logger = logging.getLogger(__name__)


def verify_services() -> None:
    """Raise :class:`ImproperlyConfigured` naming the variable of a dead service."""
    problems = []
    database = health.check_database()
    if not database.ok:
        problems.append(
            f"DATABASE_URL: cannot use the database {_describe_database()} "
            f"({database.detail})"
        )
    broker = health.check_broker()
    if not broker.ok:
        var = "REDIS_URL" if settings.REDIS_URL else "BMW_STATE_DIR (filesystem broker)"
        problems.append(f"{var}: cannot reach the message broker ({broker.detail})")
    if problems:
        raise ImproperlyConfigured("; ".join(problems))
    logger.info("database and broker reachable")


def _describe_database() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite file {db['NAME']}"
    return f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 'default'}/{db['NAME']}"
