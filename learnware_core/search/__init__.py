"""Search: statistical (MMD) index, mixtures of learnwares, semantic ranking.

Pure Python/numpy; meant to be held in memory by a long-lived worker (see
:class:`~learnware_core.search.index.StatIndex`).
"""

from learnware_core.search.index import (
    SearchResult,
    StatIndex,
    feature_space_key,
    score_from_mmd2,
    spec_resolution,
)
from learnware_core.search.mixture import MixtureResult, search_mixture

__all__ = [
    "MixtureResult",
    "SearchResult",
    "StatIndex",
    "feature_space_key",
    "score_from_mmd2",
    "search_mixture",
    "spec_resolution",
]
