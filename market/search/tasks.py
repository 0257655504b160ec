"""The search task: runs on a search worker (queue ``search``), which holds the
market's index in memory. JSON in and out (:mod:`market.search.protocol`)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from market.search.protocol import SEARCH_TASK, SearchQuery


@shared_task(name=SEARCH_TASK, soft_time_limit=30, time_limit=60)
def learnware_search(query: dict[str, Any]) -> dict[str, Any]:
    # Deferred: every worker imports this module; only search workers need the index.
    from market.search.index import INDEX

    return INDEX.search(SearchQuery.from_dict(query)).to_dict()
