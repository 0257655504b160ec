"""Background work of the market's checks (queue ``batch``): thin wrappers calling
one service each."""

from celery import shared_task
from django.conf import settings

from bmw.storage import StorageUnavailable
from market import services
from market.services import CHECK_TASK


@shared_task(
    name=CHECK_TASK,
    acks_late=True,  # safe: the service claims by conditional update (idempotent)
    reject_on_worker_lost=True,  # a killed worker's message goes back to the queue
    autoretry_for=(StorageUnavailable,),  # transient only; a bad package is a result
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=settings.BMW_CHECK_TIME_LIMIT_S - 30,
    time_limit=settings.BMW_CHECK_TIME_LIMIT_S,
)
def learnware_version_check(version_id: int) -> None:
    services.learnware_version_check(version_id=version_id)


@shared_task(name="market.checks_requeue_stale", soft_time_limit=60, time_limit=90)
def checks_requeue_stale() -> int:
    return services.checks_requeue_stale()
