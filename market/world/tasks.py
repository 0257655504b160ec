"""Background work of the specification world (queue ``batch``): thin wrappers."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from accounts.models import User
from market.world import services
from market.world.services import ACTIVATE_TASK, SYSTEM_SPEC_TASK, TRAIN_TASK


@shared_task(
    name=TRAIN_TASK,
    acks_late=True,  # safe: the service claims the version by conditional update
    reject_on_worker_lost=True,
    soft_time_limit=settings.BMW_WORLD_TRAIN_TIME_LIMIT_S - 30,
    time_limit=settings.BMW_WORLD_TRAIN_TIME_LIMIT_S,
)
def world_engine_train(version_id: int) -> str | None:
    """Train, regenerate and activate a queued specification-world version."""
    row = services.world_engine_train(version_id=version_id)
    return None if row is None else row.state


@shared_task(
    name=ACTIVATE_TASK,
    soft_time_limit=settings.BMW_WORLD_TRAIN_TIME_LIMIT_S - 30,
    time_limit=settings.BMW_WORLD_TRAIN_TIME_LIMIT_S,
)
def world_engine_activate(version: str, user_id: int | None = None) -> str:
    """Generate a version's missing system specs, then activate it (rollback)."""
    by = User.objects.filter(id=user_id).first() if user_id else None
    return services.activate_engine_version(version=version, by=by).state


@shared_task(
    name=SYSTEM_SPEC_TASK,
    soft_time_limit=120,
    time_limit=180,
)
def world_system_spec_generate(version_id: int) -> bool:
    """A newly approved table learnware's system spec under the active engine."""
    return services.world_system_spec_generate(version_id=version_id) is not None


@shared_task(
    name="market.world_engine_retrain_scheduled", soft_time_limit=60, time_limit=90
)
def world_engine_retrain_scheduled() -> int | None:
    row = services.world_retrain_scheduled()
    return None if row is None else row.id
