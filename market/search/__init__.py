"""Search: tag filters in the database, ranking on search workers that hold the
market's index in memory, answers in the web's terms.

Public surface: :func:`learnware_search` with :class:`SearchFilters` and its
:class:`SearchOutcome`; the input parsers :func:`stat_spec_parse` and
:func:`input_description_parse`; :class:`SearchUnavailable` (503). The messages
between web and worker are :mod:`market.search.protocol`; the worker's index is
:mod:`market.search.index` (started by :func:`warm_up_in_background`).
"""

from market.search.web import (
    SearchFilters,
    SearchHit,
    SearchMultiple,
    SearchOutcome,
    SearchUnavailable,
    input_description_parse,
    learnware_search,
    stat_spec_parse,
)

__all__ = [
    "SearchFilters",
    "SearchHit",
    "SearchMultiple",
    "SearchOutcome",
    "SearchUnavailable",
    "input_description_parse",
    "learnware_search",
    "stat_spec_parse",
]
