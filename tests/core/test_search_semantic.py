"""Semantic ranking: exact names first, typos tolerated, meaning-based matches."""

from __future__ import annotations

import numpy as np
import pytest

from learnware_core.errors import SpecificationError
from learnware_core.search.semantic import (
    embed_learnware_text,
    embed_query,
    matches_tags,
    name_similarities,
    name_similarity,
    rank_text,
)
from learnware_core.specification.semantic import IODescription, SemanticSpec

NAMES = [
    "Flight delay regressor",
    "Flight delay",
    "House price model",
    "Sentiment classifier",
]


def test_name_similarity_exact_substring_typo_unrelated() -> None:
    assert name_similarity("flight delay", "Flight  Delay!") == 1.0
    assert name_similarity("delay", "Flight delay regressor") == 0.95
    typo = name_similarity("fligth dealy", "Flight delay regressor")
    unrelated = name_similarity("fligth dealy", "Sentiment classifier")
    assert typo > 0.6 > unrelated
    assert name_similarity("", "anything") == 0.0


@pytest.mark.parametrize("seed", range(6))
def test_name_similarities_equal_name_similarity_to_the_bit(seed: int) -> None:
    """The vectorised bit-parallel version computes exactly the plain definition:
    typos, transpositions, repeated words, queries and names over 64 characters
    (the other bit-parallel orientation and the plain fallback), non-ASCII."""
    rng = np.random.default_rng(seed)
    alphabet = list("ab c-d,Dé ß") if seed % 2 else list("ab ")

    def text(longest: int) -> str:
        return "".join(rng.choice(alphabet, size=int(rng.integers(0, longest + 1))))

    for _ in range(25):
        query = text(100 if rng.random() < 0.3 else 15)
        names = [text(90 if rng.random() < 0.1 else 25) for _ in range(40)]
        names += [query.upper(), f"x {query} y", "", *NAMES]
        expected = [name_similarity(query, name) for name in names]
        assert name_similarities(query, names).tolist() == expected


def test_rank_text_puts_the_exact_name_first() -> None:
    order, scores = rank_text("flight delay", NAMES, None)
    assert order[0] == 1
    assert scores[0] == 1.0
    assert order[1] == 0
    assert np.all(np.diff(scores) <= 0)


def test_rank_text_tolerates_typos() -> None:
    order, _ = rank_text("sentimnet clasifier", NAMES, None)
    assert order[0] == 3


def test_rank_text_ranks_by_meaning_with_stored_vectors() -> None:
    # Toy vectors: axis 0 = travel, axis 1 = housing, axis 2 = text.
    vectors = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
    order, scores = rank_text(
        "real estate valuation",
        NAMES,
        vectors,
        query_vector=np.array([0, 1, 0], dtype=np.float32),
    )
    assert order[0] == 2
    assert scores.min() >= 0.0
    assert scores.max() < 1.0
    with pytest.raises(SpecificationError):
        rank_text("x", NAMES, vectors[:2], query_vector=vectors[0])


def test_matches_tags_exact_sets() -> None:
    spec = SemanticSpec(
        data="Text",
        task="Classification",
        library="PyTorch",
        scenarios=("Internet", "Business"),
        license="MIT",
        name="Sentiment classifier",
        description="Classifies reviews as positive or negative.",
        output=IODescription(2),
    )
    assert matches_tags(spec, {"data": {"Text"}, "scenario": {"Business"}})
    assert matches_tags(spec.to_dict(), {"task": set(), "license": {"MIT"}})
    assert not matches_tags(spec, {"library": {"Scikit-learn"}})
    with pytest.raises(SpecificationError, match="unknown tag filter"):
        matches_tags(spec, {"colour": {"red"}})


def test_minilm_meaning_match_without_shared_words() -> None:
    """Loads the real offline all-MiniLM-L6-v2 (a few seconds)."""
    names = ["Housing model", "Airline model", "Review model"]
    descriptions = [
        "Estimates the sale value of residential property from its features.",
        "Forecasts how late departures from New York airports will be.",
        "Tells whether a product review is positive or negative.",
    ]
    vectors = embed_learnware_text(names, descriptions)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    order, _ = rank_text(
        "predict house prices",
        names,
        vectors,
        query_vector=embed_query("predict house prices"),
    )
    assert order[0] == 0
    order, _ = rank_text("flight delays", names, vectors)
    assert order[0] == 1
