from typing import Any

from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "market"
    verbose_name = "Market"

    def ready(self) -> None:
        from celery.signals import worker_ready

        worker_ready.connect(_warm_up_search_index, weak=False)


def _warm_up_search_index(sender: Any = None, **_: Any) -> None:
    """Workers that serve the ``search`` queue build the market index right away."""
    consumer = getattr(sender, "task_consumer", None)
    if "search" in {queue.name for queue in getattr(consumer, "queues", ())}:
        from market.search.index import warm_up_in_background

        warm_up_in_background()
