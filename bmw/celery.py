"""The Celery application: configured from Django settings (``CELERY_*``)."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import worker_init
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bmw.settings.base")
# The embedded default's filesystem broker, with atomic message writes (bmw.broker).
TRANSPORT_ALIASES["filesystem"] = "bmw.broker:Transport"

# DjangoTask adds delay_on_commit()/apply_async_on_commit(): enqueue after the
# surrounding transaction commits, so a worker never looks for a row that isn't there.
app = Celery("bmw", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _verify_services_on_worker_start(**_: Any) -> None:
    """Refuse to start a worker whose database or broker is unreachable."""
    from django.core.exceptions import ImproperlyConfigured

    from bmw.startup import verify_services

    try:
        verify_services()
    except ImproperlyConfigured as exc:
        # Celery swallows exceptions from signal receivers; SystemExit gets through.
        raise SystemExit(f"ImproperlyConfigured: {exc}") from exc
