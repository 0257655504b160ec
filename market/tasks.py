"""Background work of the market: thin wrappers calling one service each."""

from typing import Any

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings

from market.storage import StorageUnavailable


@shared_task(
    name="market.learnware_version_check",
    base=DjangoTask,  # delay_on_commit() (the app's default too; explicit for typing)
    acks_late=True,  # safe: the service claims by conditional update (idempotent)
    reject_on_worker_lost=True,  # a killed worker's message goes back to the queue
    autoretry_for=(StorageUnavailable,),  # transient only; a bad package is a result
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=settings.BMW_CHECK_TIME_LIMIT_S - 30,
    time_limit=settings.BMW_CHECK_TIME_LIMIT_S,
)
def learnware_version_check(version_id: int) -> None:
    from market import services  # deferred: services imports this module to enqueue

    services.learnware_version_check(version_id=version_id)


@shared_task(name="market.checks_requeue_stale", soft_time_limit=60, time_limit=90)
def checks_requeue_stale() -> int:
    from market import services

    return services.checks_requeue_stale()


@shared_task(
    name="market.chunked_uploads_purge_stale", soft_time_limit=120, time_limit=180
)
def chunked_uploads_purge_stale() -> int:
    from market.compat import services as compat_services

    return compat_services.chunked_uploads_purge_stale()


@shared_task(name="market.learnware_search", soft_time_limit=30, time_limit=60)
def learnware_search(query: dict[str, Any]) -> dict[str, Any]:
    """Runs on a search worker (queue ``search``), which holds the index in memory."""
    from market import selectors

    return selectors.learnware_search_execute(query)


@shared_task(
    name="market.learnware_predict",
    track_started=True,  # the web tells a job still queued from one running
    soft_time_limit=settings.BMW_CHECK_TIME_LIMIT_S - 30,  # may build an environment
    time_limit=settings.BMW_CHECK_TIME_LIMIT_S,
)
def learnware_predict(job: dict[str, Any]) -> dict[str, Any]:
    """Hosted inference on an ``ml`` worker, in the sandbox of the checks."""
    from market import inference

    return inference.learnware_predict_run(job)


@shared_task(
    name="market.inference_inputs_purge_stale", soft_time_limit=120, time_limit=180
)
def inference_inputs_purge_stale() -> int:
    from market import inference

    return inference.inference_inputs_purge_stale()


@shared_task(
    name="market.world_engine_train",
    acks_late=True,  # safe: the service claims the version by conditional update
    reject_on_worker_lost=True,
    soft_time_limit=settings.BMW_WORLD_TRAIN_TIME_LIMIT_S - 30,
    time_limit=settings.BMW_WORLD_TRAIN_TIME_LIMIT_S,
)
def world_engine_train(version_id: int) -> str | None:
    """Train, regenerate and activate a queued specification-world version."""
    from market import services

    row = services.world_engine_train(version_id=version_id)
    return None if row is None else row.state


@shared_task(
    name="market.world_engine_activate",
    soft_time_limit=settings.BMW_WORLD_TRAIN_TIME_LIMIT_S - 30,
    time_limit=settings.BMW_WORLD_TRAIN_TIME_LIMIT_S,
)
def world_engine_activate(version: str, user_id: int | None = None) -> str:
    """Generate a version's missing system specs, then activate it (rollback)."""
    from accounts.models import User
    from market import services

    by = User.objects.filter(id=user_id).first() if user_id else None
    return services.activate_engine_version(version=version, by=by).state


@shared_task(
    name="market.world_system_spec_generate",
    base=DjangoTask,  # delay_on_commit()
    soft_time_limit=120,
    time_limit=180,
)
def world_system_spec_generate(version_id: int) -> bool:
    """A newly approved table learnware's system spec under the active engine."""
    from market import services

    return services.world_system_spec_generate(version_id=version_id) is not None


@shared_task(
    name="market.world_engine_retrain_scheduled", soft_time_limit=60, time_limit=90
)
def world_engine_retrain_scheduled() -> int | None:
    from market import services

    row = services.world_retrain_scheduled()
    return None if row is None else row.id
