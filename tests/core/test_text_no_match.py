"""Text search says "no good match" to unrelated queries (TEXT_NO_MATCH_SCORE)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks._text_markets import TextQuery
from benchmarks.text_trust import Scored, calibrate, rates
from learnware_core.search import semantic
from learnware_core.search.semantic import (
    TEXT_NO_MATCH_SCORE,
    embed_learnware_text,
    rank_text,
)

NAMES = [
    "Arrival delay: JetBlue Airways from JFK",
    "Clothing photos: mostly Sandal and Sneaker",
    "Gloss topics: living things, objects, mind",
    "Wine recognition dataset",
]
DESCRIPTIONS = [
    "Predicts the arrival delay (minutes) of JetBlue Airways flights leaving John F "
    "Kennedy Intl (JFK), from the scheduled and actual departure, the flight time "
    "and the distance.",
    "Classifies 28x28 grey product photos (Fashion-MNIST) into the 10 Fashion-MNIST "
    "classes.",
    "Tells which of five broad topics an English dictionary definition is about.",
    "Chemical analysis of wines grown in one region of Italy by three cultivators.",
]


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    """The real offline MiniLM (a few seconds to load)."""
    return embed_learnware_text(NAMES, DESCRIPTIONS)


def _answers(query: str, vectors: np.ndarray | None) -> list[int]:
    order, _ = rank_text(query, NAMES, vectors, min_score=TEXT_NO_MATCH_SCORE)
    return order.tolist()


def test_the_constant_is_exported() -> None:
    assert "TEXT_NO_MATCH_SCORE" in semantic.__all__
    assert 0.0 < TEXT_NO_MATCH_SCORE < 0.5


@pytest.mark.parametrize(
    "query",
    [
        "zebra crossing sentiment",  # issue 21: 11 learnwares at 26-30 % before
        "stock price forecasting",
        "translate English to French",
        "credit card fraud detection",
        "predict house prices",
    ],
)
def test_unrelated_queries_get_no_good_match(vectors: np.ndarray, query: str) -> None:
    assert _answers(query, vectors) == []


@pytest.mark.parametrize(
    ("query", "learnware"),
    [
        ("forecast airline arrival delays", 0),  # paraphrases
        ("sneaker and sandal pictures", 1),
        ("classify dictionary definitions by topic", 2),
        ("grape cultivar from chemical analysis", 3),  # no shared word
        ("jetblue arival dealy", 0),  # typos of the name
        ("Clothing photos", 1),  # part of the name
    ],
)
def test_related_queries_find_their_learnware(
    vectors: np.ndarray, query: str, learnware: int
) -> None:
    found = _answers(query, vectors)
    assert found[:1] == [learnware]


def test_exact_name_still_scores_one_and_comes_first(vectors: np.ndarray) -> None:
    order, scores = rank_text(
        "wine recognition dataset", NAMES, vectors, min_score=TEXT_NO_MATCH_SCORE
    )
    assert order[0] == 3
    assert scores[0] == 1.0


def test_names_only_keep_typos_and_drop_loose_likeness() -> None:
    """Without vectors, a typo of a name still answers; one shared word does not."""
    assert _answers("wine recogniton", None)[:1] == [3]
    assert _answers("speech recognition for mandarin", None) == []


def test_calibration_takes_the_middle_of_the_separating_interval() -> None:
    def scored(best: float, related: bool) -> Scored:
        query = TextQuery("demo", "q", "paraphrase" if related else "unrelated")
        if related:
            query = TextQuery("demo", "q", "paraphrase", ("x",))
        return Scored(query, best, best, related, "x")

    sample = [scored(s, True) for s in (0.4, 0.5, 0.9)] + [
        scored(s, False) for s in (0.1, 0.2, 0.3)
    ]
    chosen = calibrate(sample)
    assert chosen["threshold"] == pytest.approx(0.35)
    assert chosen["balanced_error"] == 0.0
    assert rates(sample, 0.35) == {
        "text_no_match_rate": 1.0,
        "text_false_no_match_rate": 0.0,
    }
