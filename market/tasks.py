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
