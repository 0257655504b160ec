"""Background work of the original client's API: thin wrappers."""

from celery import shared_task

from market.compat import services


@shared_task(
    name="market.chunked_uploads_purge_stale", soft_time_limit=120, time_limit=180
)
def chunked_uploads_purge_stale() -> int:
    return services.chunked_uploads_purge_stale()
