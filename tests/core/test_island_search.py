"""Island search: the user's island by meaning, ranking under the island's kernel,
combinations within one island, calibrated confidence and "no good match".

Markets are small, seeded and in raw units. Column meaning matters in most tests, so
they use the real offline MiniLM (loaded once for the module); the mixture pruning
and confidence mechanics use a hashing encoder with identical descriptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from learnware_core.islands import ColumnSpace, IslandMap, default_column_space
from learnware_core.search.island_search import (
    CONFIDENCE_COEFFICIENTS,
    CONFIDENCE_FEATURES,
    IslandSearcher,
    confidence_from_features,
)
from learnware_core.specification.rkme import RKMETableSpecification
from tests.core.test_rkme_text import HashingEncoder

FLIGHT = [
    "Departure delay in minutes",
    "Scheduled departure hour of the day",
    "Flight distance in miles",
    "Time in the air, minutes",
]
HEADER = ["air_time", "distance", "dep_delay", "sched_dep_hour"]
HEADER_ORDER = (3, 2, 0, 1)  # user column k is FLIGHT[HEADER_ORDER[k]]
PARAPHRASE = [
    "Distance flown (miles)",
    "Delay at departure (min)",
    "Hour the flight was scheduled to leave",
    "Air time in minutes",
]
PARAPHRASE_ORDER = (2, 0, 1, 3)
PENGUINS = [
    "Bill length in millimetres",
    "Flipper length in millimetres",
    "Body mass in grams",
    "Island where the penguin was observed",
]
# Raw units: delay, hour, miles, minutes; each "airport" shifts them.
AIRPORTS = {
    "JFK": (10.0, 9.0, 1500.0, 180.0),
    "ORD": (25.0, 15.0, 700.0, 95.0),
    "SFO": (5.0, 19.0, 2500.0, 300.0),
}
SCALES = (15.0, 3.0, 300.0, 30.0)


def spec(
    columns: Sequence[str],
    *,
    task: str = "Regression",
    outputs: Sequence[str] = ("Arrival delay in minutes",),
) -> dict[str, Any]:
    return {
        "Data": {"Type": "Class", "Values": ["Table"]},
        "Task": {"Type": "Class", "Values": [task]},
        "Input": {
            "Dimension": len(columns),
            "Description": {str(i): t for i, t in enumerate(columns)},
        },
        "Output": {
            "Dimension": len(outputs),
            "Description": {str(i): t for i, t in enumerate(outputs)},
        },
    }


def rows(airport: str, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.asarray(AIRPORTS[airport]) + rng.normal(size=(n, 4)) * SCALES


def rkme(X: np.ndarray, gamma: Any, seed: int = 0) -> RKMETableSpecification:
    return RKMETableSpecification(gamma=gamma, n_points=30, random_state=seed).fit(X)


@pytest.fixture(scope="module")
def space() -> ColumnSpace:
    return default_column_space()


@pytest.fixture(scope="module")
def market(space: ColumnSpace) -> IslandSearcher:
    """Three airports' delay regressors (gammas 0.1, 1.0, median) and classifiers
    on the same columns, all described in the developers' words."""
    searcher = IslandSearcher(IslandMap(space))
    gammas: list[float | str] = [0.1, 1.0, "median"]
    for i, airport in enumerate(AIRPORTS):
        X = rows(airport, 400, seed=i)
        searcher.add(f"reg/{airport}", spec(FLIGHT), rkme(X, gammas[i], seed=i))
        searcher.add(
            f"clf/{airport}",
            spec(FLIGHT, task="Classification", outputs=("on time", "delayed")),
            rkme(X, 0.1, seed=10 + i),
        )
    return searcher


def user_spec(
    airport: str, columns: Sequence[str], order: Sequence[int], gamma: float | str
) -> RKMETableSpecification:
    X = rows(airport, 300, seed=99)
    return rkme(X[:, list(order)], gamma, seed=5)


def test_header_user_with_odd_gamma_finds_own_learnware(market: IslandSearcher) -> None:
    found = market.search(
        spec(HEADER), user_spec("ORD", HEADER, HEADER_ORDER, 1e-7), top_k=3
    )

    assert not found.no_match
    top = found.results[0]
    assert top.key == "reg/ORD"
    # the learnware's column j is fed by the user's column that holds FLIGHT[j]
    assert top.column_map == tuple(HEADER_ORDER.index(j) for j in range(4))
    assert top.confidence > found.results[1].confidence
    assert 0.0 < top.confidence < 1.0


def test_paraphrased_median_gamma_user_is_not_refused_and_ranked_right(
    market: IslandSearcher,
) -> None:
    found = market.search(
        spec(PARAPHRASE),
        user_spec("SFO", PARAPHRASE, PARAPHRASE_ORDER, "median"),
    )

    assert not found.no_match
    assert [r.key for r in found.results][:1] == ["reg/SFO"]
    assert all(str(r.key).startswith("reg/") for r in found.results)


def test_classifier_user_gets_classifiers_only(market: IslandSearcher) -> None:
    found = market.search(
        spec(FLIGHT, task="Classification", outputs=("delayed", "on time")),
        rkme(rows("JFK", 300, seed=7), 0.1),
    )

    assert found.results[0].key == "clf/JFK"
    assert all(str(r.key).startswith("clf/") for r in found.results)


def test_mixture_never_mixes_classifiers_and_regressors(
    market: IslandSearcher,
) -> None:
    X = np.vstack([rows("JFK", 200, seed=3), rows("SFO", 200, seed=4)])
    found = market.search(spec(FLIGHT), rkme(X, 0.1))

    assert found.mixture is not None
    weights = dict(zip(found.mixture.keys, found.mixture.weights, strict=True))
    assert all(str(k).startswith("reg/") for k in weights)
    assert weights.get("reg/JFK", 0.0) + weights.get("reg/SFO", 0.0) >= 0.7
    assert all(w >= 0.1 for w in weights.values())
    assert sum(found.mixture.weights) == pytest.approx(1.0)
    assert 0.0 < found.mixture.confidence < 1.0


def test_unrelated_user_gets_no_match_with_a_reason(market: IslandSearcher) -> None:
    rng = np.random.default_rng(0)
    X = np.asarray([44.0, 200.0, 4200.0, 1.0]) + rng.normal(size=(200, 4)) * [
        5.0,
        14.0,
        800.0,
        0.8,
    ]
    found = market.search(
        spec(PENGUINS, task="Classification", outputs=("Adelie", "Gentoo")),
        rkme(X, 0.1),
    )

    assert found.no_match
    assert found.results == ()
    assert found.mixture is None
    assert found.reason is not None
    assert "no good match" in found.reason


def test_user_with_another_output_on_the_same_columns_gets_no_match(
    market: IslandSearcher,
) -> None:
    found = market.search(
        spec(FLIGHT, task="Classification", outputs=("a", "b", "c", "d")),
        rkme(rows("JFK", 200, seed=8), 0.1),
    )

    assert found.no_match


# ----------------------------------------------------- mechanics (hashing encoder)


def test_zero_weight_members_are_dropped_and_removal_refits() -> None:
    columns = ["alpha column", "beta column", "gamma column"]
    searcher = IslandSearcher(IslandMap(ColumnSpace(HashingEncoder())))
    rng = np.random.default_rng(0)
    centres = {"a": (0.0, 0.0, 0.0), "b": (6.0, 0.0, 0.0), "far": (0.0, 60.0, 0.0)}
    for key, centre in centres.items():
        X = np.asarray(centre) + rng.normal(size=(300, 3))
        searcher.add(key, spec(columns), rkme(X, 0.5))
    # a copy of "a" far from both others adds nothing: its weight must not appear
    searcher.add("a-copy", spec(columns), rkme(rng.normal(size=(300, 3)), 0.5, 3))
    X = np.vstack(
        [
            rng.normal(size=(200, 3)),
            np.asarray(centres["b"]) + rng.normal(size=(200, 3)),
        ]
    )
    found = searcher.search(columns, rkme(X, 0.1, seed=4))

    assert found.mixture is not None
    assert "far" not in found.mixture.keys
    assert all(w >= searcher.min_weight for w in found.mixture.weights)
    assert len(found.mixture.keys) == len(found.mixture.weights) >= 2

    searcher.remove("far")
    assert len(searcher) == 3
    assert "far" not in {r.key for r in searcher.search(columns, rkme(X, 0.1)).results}


def test_confidence_is_monotone_in_distance_and_margin() -> None:
    base = np.array([-1.0, 0.0, 1.0, 0.5, 1.0, 1.0])
    closer, wider = base.copy(), base.copy()
    closer[0] -= 1.0
    wider[2] += 1.0
    c = confidence_from_features(np.vstack([base, closer, wider]))

    assert len(CONFIDENCE_COEFFICIENTS) == len(CONFIDENCE_FEATURES) + 1
    assert c[1] > c[0]
    assert c[2] > c[0]
    assert ((c > 0) & (c < 1)).all()


def test_learnware_headed_by_bare_letters_is_found_and_fully_fed(
    space: ColumnSpace,
) -> None:
    # ORD's developer named two columns "x" and "y" (distance, air time): their
    # descriptions match nothing, their marginals match the user's own columns
    searcher = IslandSearcher(IslandMap(space))
    for i, airport in enumerate(("JFK", "SFO")):
        searcher.add(f"reg/{airport}", spec(FLIGHT), rkme(rows(airport, 400, i), 0.1))
    headers = ["dep_delay", "sched_dep_hour", "x", "y"]
    searcher.add("reg/ORD", spec(headers), rkme(rows("ORD", 400, 2), 0.1))

    found = searcher.search(
        spec(PARAPHRASE), user_spec("ORD", PARAPHRASE, PARAPHRASE_ORDER, "median")
    )

    assert not found.no_match
    top = found.results[0]
    assert top.key == "reg/ORD"
    assert top.column_map == tuple(PARAPHRASE_ORDER.index(j) for j in range(4))
    assert top.missing_columns == ()


def test_the_answers_reason_says_each_clause_once_top_result_first() -> None:
    from learnware_core.search.island_search import IslandResult, _answer_reason

    def result(key: str, reason: str | None) -> IslandResult:
        return IslandResult(
            key=key,
            island_id=0,
            mmd2=0.1,
            confidence=0.5,
            column_map=(0, 1),
            missing_columns=(),
            features=(),
            reason=reason,
        )

    lacks = "your data lacks 1 of this learnware's 8 columns"
    match = "7 of your 7 described columns match 7 of the island's 8"
    results = [
        result("a", f"{match}; {lacks}"),
        result("b", None),
        result("c", f"{match}; 2 of the island's 8 columns are missing; {lacks}"),
        result("d", f"{match}; {lacks}"),
    ]
    assert _answer_reason(results) == (
        f"{match}; {lacks}; 2 of the island's 8 columns are missing"
    )
    assert _answer_reason([result("b", None)]) is None


def test_a_column_of_implausible_values_is_left_unfed_not_paired(
    market: IslandSearcher,
) -> None:
    """The user's flight date (a decimal year, ~2013) is described a bit like the
    learnwares' departure hour (9-19) and is the only column left for it: feeding
    it would compare, and later predict from, a year as an hour."""
    X = rows("ORD", 300, seed=99)
    X[:, 1] = np.random.default_rng(3).uniform(2013.0, 2014.0, size=300)
    columns = [FLIGHT[0], "Flight date (year, fractional)", FLIGHT[2], FLIGHT[3]]

    found = market.search(spec(columns), rkme(X, "median", seed=5), top_k=3)

    assert not found.no_match
    top = found.results[0]
    assert top.key == "reg/ORD"
    assert top.column_map[1] == -1  # the hour column: imputed, not fed the year
    assert 1 in top.missing_columns
    assert top.column_map[0] == 0
    assert top.column_map[2:] == (2, 3)
