"""Islands under the dock's churn: learnwares removed, re-added and all removed
(a re-approval, a deletion, an index reconciled with the database)."""

from __future__ import annotations

import numpy as np

from learnware_core.search.island_search import IslandSearcher
from learnware_core.specification.rkme import RKMETableSpecification

COLUMNS = ["age in years", "yearly income", "total debt"]
SEMANTIC = {
    "Data": {"Type": "Class", "Values": ["Table"]},
    "Task": {"Type": "Class", "Values": ["Regression"]},
    "Input": {
        "Dimension": 3,
        "Description": {str(i): c for i, c in enumerate(COLUMNS)},
    },
    "Output": {"Dimension": 1, "Description": {"0": "credit score"}},
}


def _rkme(shift: float, seed: int) -> RKMETableSpecification:
    X = np.random.default_rng(seed).normal(loc=shift, size=(200, 3))
    return RKMETableSpecification(n_points=10, random_state=0).fit(X)


def test_a_learnware_removed_and_added_again_is_found_again() -> None:
    searcher = IslandSearcher()
    near, far = _rkme(0.0, 1), _rkme(4.0, 2)
    searcher.add("near", SEMANTIC, near)
    searcher.remove("near")  # the only described member: no live column text
    searcher.add("far", SEMANTIC, far)
    searcher.add("near", SEMANTIC, near)

    found = searcher.search(["age", "income", "debt"], _rkme(0.0, 3))

    assert [r.key for r in found.results][:1] == ["near"]


def test_a_map_emptied_by_removals_answers_no_match() -> None:
    searcher = IslandSearcher()
    searcher.add("a", SEMANTIC, _rkme(0.0, 1))
    searcher.remove("a")

    found = searcher.search(["age", "income", "debt"], _rkme(0.0, 3))

    assert found.no_match
    assert found.results == ()
