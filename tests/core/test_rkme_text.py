"""RKME for text: encoder recording and refusal, languages, round trips, distances.

All tests but the last two use a deterministic hashing bag-of-words encoder; the last
two load the real offline all-MiniLM-L6-v2 (a few seconds, once per process).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from learnware_core.encoders import (
    MINILM_NAME,
    MINILM_SHA256,
    EncoderError,
    MiniLMEncoder,
    TextEncoder,
    minilm_model_dir,
)
from learnware_core.errors import SpecificationError
from learnware_core.package import inspect_package, write_package
from learnware_core.specification.base import get_spec_class, load_spec
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.semantic import SemanticSpec
from learnware_core.specification.text import (
    ORIGINAL_TEXT_ENCODER,
    RKMETextSpecification,
    detect_languages,
)

TOPICS: dict[str, list[str]] = {
    "sport": [
        "match",
        "goal",
        "striker",
        "team",
        "league",
        "coach",
        "referee",
        "stadium",
        "season",
        "player",
        "score",
        "penalty",
        "midfield",
        "keeper",
        "tournament",
    ],
    "finance": [
        "stock",
        "market",
        "bond",
        "investor",
        "bank",
        "interest",
        "inflation",
        "dividend",
        "portfolio",
        "price",
        "trading",
        "shares",
        "fund",
        "earnings",
        "currency",
    ],
    "cooking": [
        "recipe",
        "oven",
        "flour",
        "butter",
        "sugar",
        "garlic",
        "onion",
        "simmer",
        "bake",
        "dough",
        "sauce",
        "pepper",
        "salt",
        "kitchen",
        "spoon",
    ],
}
GERMAN = [
    "Das Wetter ist heute sehr schön und warm.",
    "Ich habe gestern ein gutes Buch gelesen.",
    "Wir fahren morgen mit dem Zug nach Berlin.",
    "Die Kinder spielen im Garten mit dem Hund.",
]
ENGLISH = [
    "The weather is very nice and warm today.",
    "I read a good book yesterday evening.",
    "We are taking the train to London tomorrow.",
    "The children are playing in the garden with the dog.",
]


class HashingEncoder:
    """Deterministic toy encoder: normalised sum of per-word random vectors."""

    def __init__(self, name: str = "test/hashing-bow", dim: int = 24) -> None:
        self._name = name
        self._dim = dim
        self.calls = 0

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        return self._dim

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.calls += 1
        E = np.zeros((len(texts), self._dim))
        for i, text in enumerate(texts):
            for word in text.lower().split():
                seed = zlib.crc32(word.encode("utf-8"))
                E[i] += np.random.default_rng(seed).normal(size=self._dim)
        norms = np.linalg.norm(E, axis=1, keepdims=True)
        return E / np.maximum(norms, 1e-12)


def topic_texts(topic: str, n: int, seed: int) -> list[str]:
    """``n`` short pseudo-sentences of 6-10 words from one topic's vocabulary."""
    rng = np.random.default_rng(seed)
    words = TOPICS[topic]
    return [
        " ".join(rng.choice(words, size=int(rng.integers(6, 11)))) for _ in range(n)
    ]


def fit_text(texts: Sequence[str], **kwargs: object) -> RKMETextSpecification:
    params: dict[str, object] = {
        "encoder": HashingEncoder(),
        "n_points": 10,
        "random_state": 0,
        "language_detector": None,
    }
    params.update(kwargs)
    return RKMETextSpecification(**params).fit(texts)  # type: ignore[arg-type]


def test_hashing_encoder_satisfies_the_protocol() -> None:
    assert isinstance(HashingEncoder(), TextEncoder)
    assert isinstance(MiniLMEncoder(), TextEncoder)


def test_text_spec_round_trips_through_json_with_original_keys_and_extras() -> None:
    spec = fit_text(
        topic_texts("sport", 60, seed=1), language_detector=lambda t: ["en"]
    )

    data = json.loads(json.dumps(spec.to_dict()))
    again = RKMETextSpecification.from_dict(data)

    assert set(data) == {
        "z",
        "beta",
        "gamma",
        "num_points",
        "type",
        "language",
        "encoder",
    }
    assert data["type"] == "RKMETextSpecification"
    assert data["encoder"] == "test/hashing-bow"
    assert data["language"] == ["en"]
    assert data["num_points"] == 60
    assert np.shape(data["z"]) == (10, 24)
    assert_allclose(again.z_, spec.z_, rtol=0, atol=0)
    assert_allclose(again.beta_, spec.beta_, rtol=0, atol=0)
    assert again.encoder_name_ == spec.encoder_name_
    assert again.language_ == ["en"]
    assert spec.dist(again) == pytest.approx(0.0, abs=1e-12)


def test_text_spec_is_registered_and_loads_by_type() -> None:
    spec = fit_text(topic_texts("finance", 30, seed=2))

    loaded = load_spec(spec.to_dict())

    assert get_spec_class("RKMETextSpecification") is RKMETextSpecification
    assert isinstance(loaded, RKMETextSpecification)


def test_text_spec_dist_refuses_specs_from_different_encoders() -> None:
    texts = topic_texts("sport", 40, seed=3)
    a = fit_text(texts, encoder=HashingEncoder(name="test/encoder-a"))
    b = fit_text(texts, encoder=HashingEncoder(name="test/encoder-b"))

    assert not a.is_compatible(b)
    with pytest.raises(SpecificationError, match="test/encoder-a") as info:
        a.dist(b)
    assert "test/encoder-b" in str(info.value)
    with pytest.raises(SpecificationError, match="different encoders"):
        a.inner_product(b)


def test_text_spec_from_original_file_is_taken_as_original_encoder() -> None:
    ours = fit_text(topic_texts("sport", 40, seed=4))
    original = {k: v for k, v in ours.to_dict().items() if k != "encoder"}

    loaded = RKMETextSpecification.from_dict(original)

    assert loaded.encoder_name_ == ORIGINAL_TEXT_ENCODER
    with pytest.raises(SpecificationError, match="paraphrase-multilingual"):
        ours.dist(loaded)


def test_text_spec_is_not_comparable_with_a_table_spec() -> None:
    text = fit_text(topic_texts("sport", 40, seed=5))
    rng = np.random.default_rng(5)
    table = RKMETableSpecification(n_points=5, random_state=0).fit(
        rng.normal(size=(50, 24))
    )

    assert not text.is_compatible(table)
    with pytest.raises(SpecificationError, match="cannot compare"):
        text.dist(table)


def test_text_spec_same_topic_is_closer_than_other_topics() -> None:
    sport_a = fit_text(topic_texts("sport", 80, seed=10))
    sport_b = fit_text(topic_texts("sport", 80, seed=11))
    finance = fit_text(topic_texts("finance", 80, seed=12))
    cooking = fit_text(topic_texts("cooking", 80, seed=13))

    same = sport_a.dist(sport_b)

    assert same < 0.2 * sport_a.dist(finance)
    assert same < 0.2 * sport_a.dist(cooking)
    assert sport_a.dist(finance) == pytest.approx(finance.dist(sport_a), rel=1e-9)
    assert sport_a.dist(sport_a) == pytest.approx(0.0, abs=1e-12)


def test_text_spec_fit_is_deterministic_and_leaves_input_untouched() -> None:
    texts = topic_texts("cooking", 50, seed=20)
    before = list(texts)

    a = fit_text(texts).to_dict()
    b = fit_text(texts).to_dict()

    assert a == b
    assert texts == before


def test_text_spec_records_detected_languages() -> None:
    english = RKMETextSpecification(
        encoder=HashingEncoder(), n_points=3, random_state=0
    ).fit(ENGLISH * 3)
    mixed = RKMETextSpecification(
        encoder=HashingEncoder(), n_points=3, random_state=0
    ).fit(ENGLISH + GERMAN)

    assert english.language_ == ["en"]
    assert sorted(mixed.language_) == ["de", "en"]
    assert mixed.to_dict()["language"] == mixed.language_


def test_detect_languages_ignores_texts_without_letters_and_rare_languages() -> None:
    assert detect_languages(["123", "  ", "!!"]) == []
    assert detect_languages(GERMAN * 5 + ENGLISH[:1]) == ["de"]
    with pytest.raises(SpecificationError, match="min_share"):
        detect_languages(ENGLISH, min_share=0.0)


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ("one single string", "not a single string"),
        ([], "empty"),
        (["fine", 3], r"texts\[1\] is int"),
        (None, "sequence of strings"),
    ],
)
def test_text_spec_rejects_bad_texts(texts: object, message: str) -> None:
    with pytest.raises(SpecificationError, match=message):
        fit_text(texts)  # type: ignore[arg-type]


def test_text_spec_rejects_encoder_output_of_wrong_shape() -> None:
    class Broken(HashingEncoder):
        def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
            return np.zeros((len(texts), 3))

    with pytest.raises(SpecificationError, match="returned shape"):
        fit_text(["a b", "c d"], encoder=Broken())


def test_text_spec_from_dict_rejects_bad_extras() -> None:
    data = fit_text(topic_texts("sport", 20, seed=6)).to_dict()

    with pytest.raises(SpecificationError, match="'encoder'"):
        RKMETextSpecification.from_dict({**data, "encoder": ""})
    with pytest.raises(SpecificationError, match="'language'"):
        RKMETextSpecification.from_dict({**data, "language": "en"})
    with pytest.raises(SpecificationError, match="expected type"):
        RKMETextSpecification.from_dict({**data, "type": "RKMETableSpecification"})


def test_text_spec_unfitted_refuses_to_serialise() -> None:
    with pytest.raises(SpecificationError, match="not fitted"):
        RKMETextSpecification(encoder=HashingEncoder()).to_dict()


def _text_semantic() -> SemanticSpec:
    return SemanticSpec(
        data="Text",
        task="Feature Extraction",
        library="PyTorch",
        scenarios=("Internet",),
        license="MIT",
        name="toy text model",
        description="A package with a text specification.",
    )


def test_text_spec_travels_in_a_package(tmp_path: Path) -> None:
    spec = fit_text(topic_texts("sport", 30, seed=7))

    info = write_package(
        tmp_path / "lw.zip",
        model_files={"__init__.py": "class Model:\n    pass\n"},
        learnware_yaml={"model": {"class_name": "Model", "kwargs": {}}},
        stat_specs={"stat.json": spec},
        requirements=["numpy"],
        semantic_spec=_text_semantic(),
    )

    loaded = info.stat_spec("RKMETextSpecification")
    assert isinstance(loaded, RKMETextSpecification)
    assert loaded.dist(spec) == pytest.approx(0.0, abs=1e-12)
    assert inspect_package(tmp_path / "lw.zip").stat_specs[0].type_name == (
        "RKMETextSpecification"
    )


# ---------------------------------------------------------------- real encoder


def test_minilm_encoder_refuses_weights_with_wrong_sha256(tmp_path: Path) -> None:
    with pytest.raises(EncoderError, match="does not match the pinned"):
        MiniLMEncoder(expected_sha256="0" * 64).load()
    with pytest.raises(EncoderError, match="weights not found"):
        MiniLMEncoder(model_dir=tmp_path).load()
    assert (minilm_model_dir() / "model.safetensors").is_file()
    assert len(MINILM_SHA256) == 64


def test_text_spec_with_real_minilm_separates_topics() -> None:
    subjects = {
        "sport": ["The striker", "Our goalkeeper", "The home team", "The coach"],
        "finance": ["The central bank", "Stock prices", "The investor", "Bond yields"],
        "cooking": ["The chef", "My grandmother", "The baker", "This recipe"],
    }
    endings = {
        "sport": [
            "won the match in extra time.",
            "scored twice in the final.",
            "trained hard before the league game.",
            "celebrated the championship title.",
        ],
        "finance": [
            "raised interest rates again.",
            "fell sharply after the earnings report.",
            "moved money into government bonds.",
            "reacted to higher inflation figures.",
        ],
        "cooking": [
            "baked fresh bread with butter.",
            "simmered the tomato sauce for an hour.",
            "added garlic and onions to the pan.",
            "roasted the vegetables in the oven.",
        ],
    }
    texts = {
        topic: [f"{s} {e}" for s in subjects[topic] for e in endings[topic]]
        for topic in subjects
    }  # 16 sentences per topic, 48 in all
    sport = texts["sport"]

    a = RKMETextSpecification(n_points=5, random_state=0).fit(sport[::2])
    b = RKMETextSpecification(n_points=5, random_state=0).fit(sport[1::2])
    c = RKMETextSpecification(n_points=5, random_state=0).fit(texts["finance"])
    d = RKMETextSpecification(n_points=5, random_state=0).fit(texts["cooking"])

    assert a.encoder_name_ == MINILM_NAME
    assert a.to_dict()["encoder"] == MINILM_NAME
    assert a.n_features_in_ == 384
    assert a.language_ == ["en"]
    assert a.dist(b) < 0.5 * a.dist(c)
    assert a.dist(b) < 0.5 * a.dist(d)
