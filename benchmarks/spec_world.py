"""The specification world: search and reuse across feature spaces (issue 10).

``python -m benchmarks.spec_world [--quick]`` trains one engine on the table
learnwares of two heterogeneous markets, maps every learnware and user into the
world, searches, reuses through the world, and prints a table per market and engine
architecture; the last line is one JSON object with ``mfeat`` and ``flights_fe``
(``mean``, ``best``, ``top1``, ``avg_ensemble``, ``gap_closed_top1``,
``identification`` of data-free reuse, and the same with an output correction
fitted on a few labelled rows under ``corrected``), ``arch``
(every architecture's figures, the chosen one first), ``train_s_300`` and
``regen_s_300``.

Markets (seeds fixed; ../shared/docs/offline-data.md):

* **mfeat** (UCI multiple features, 2,000 digits in six views; each column scaled by
  a published per-column mean and deviation): a source group is a pair of digits
  (quick: 5 disjoint pairs, full: all 45). Per group, a logistic regression on half
  of the group's digits in each of six column sets: ``fou`` and ``fac`` alone and
  the pairs ``fou+kar``, ``kar+pix``, ``pix+zer``, ``zer+fac``, which bridge the
  views. Users hold the other half in ``kar``, ``pix`` or ``zer`` alone, a column
  set no learnware has. Score: accuracy.
* **flights_fe** (TAB-HETERO-FE): the TAB-HOMO market (a Ridge per NYC-flights
  origin x carrier group, months 1-9, ``flights.matrix``) plus, for every third
  group, a learnware whose owner kept both pipelines' columns (``matrix`` next to
  ``matrix_fe``). Users: 2,000 rows of a group's months 10-12 through the other
  pipeline (``flights.matrix_fe``) only. Error: MSE of the arrival delay.

A user's RKME (built locally from their rows) and the learnwares' RKMEs are mapped
by the engine into system specifications; search ranks them by MMD there (single
and mixture search, the dock's code). Every learnware is reused on every user
through the world (:class:`WorldAlignReuser`): data-free, and (``corrected``) with
an output correction fitted on a few labelled rows (mfeat 20, flights 100; the
rest is the test set). Mean/Best: the market's mean and best learnware per user;
Top-1: the first search result; Average ensemble: the accepted mixture's members
(else the top 3) averaged; Identification: the top-1 is from the user's group; gap:
``(top1 - mean) / (best - mean)``.

Timing: ``train_s_300`` trains an engine on 300 learnwares' RKMEs (full run: the
mfeat and flights markets together, 305 tables; ``--quick`` extrapolates from its
smaller market, flagged by ``train_s_300_measured``); ``regen_s_300`` maps 300
RKMEs into system specifications.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations, pairwise
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from benchmarks._shared import fit_logistic
from benchmarks.reuse import flight_model, load_flight_groups, mse, table
from learnware_core.reuse import LocalLearnware
from learnware_core.reuse.world_align import WorldAlignReuser
from learnware_core.scenarios import ScenarioDataMissing, flights, mfeat
from learnware_core.search.index import StatIndex
from learnware_core.search.island_search import confidence_from_features
from learnware_core.search.mixture import search_mixture
from learnware_core.search.world_confidence import (
    WORLD_CONFIDENCE_COEFFICIENTS,
    world_features,
)
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specworld import (
    NetConfig,
    TrainConfig,
    WorldEngine,
    WorldTable,
    train_engine,
)

MARKET_SETS = ("fou", "fac", "fou+kar", "kar+pix", "pix+zer", "zer+fac")
USER_VIEWS = ("kar", "pix", "zer")
ARCHS = ("deepsets", "transformer")
TRAIN = TrainConfig(epochs=40)
SHARPNESS = 10.0
#: how rows are carried into a learnware's space (WorldAlignReuser ``mapping``)
MAPPING: dict[str, Literal["kernel", "linear"]] = {
    "classification": "kernel",
    "regression": "linear",
}
TOP_FEW = 3
CONFIDENCE_TOP_K = 5  # results per user the world confidence is fitted on
MARKETS = ("mfeat", "flights_fe")
CHECK_IDENTIFICATION = 0.4  # chance: 1/5 (mfeat, quick), 1/26 (flights)
KEYS = ("mean", "best", "top1", "avg_ensemble", "gap_closed_top1", "identification")


@dataclass
class Learnware:
    lw: LocalLearnware
    columns: dict[str, str]
    group: int
    island: str


@dataclass
class User:
    X: NDArray[np.float64]
    y: NDArray[Any]
    columns: dict[str, str]
    group: int
    name: str


@dataclass
class Market:
    name: str
    task: str  # "classification" or "regression"
    learnwares: list[Learnware]
    users: list[User]
    n_labelled: int


# ----------------------------------------------------------------- markets


def _mfeat_views() -> tuple[dict[str, NDArray[np.float64]], NDArray[np.int64]]:
    views, labels = {}, None
    for view in mfeat.VIEWS:
        X, labels = mfeat.load(view)
        sd = X.std(axis=0)
        views[view] = (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    assert labels is not None
    return views, labels


def _columns(view_set: str) -> dict[str, str]:
    texts = [
        t for v in view_set.split("+") for t in mfeat.feature_descriptions(v).values()
    ]
    return {str(i): t for i, t in enumerate(texts)}


class _TenClassProba:
    """A classifier on some digits answering in all 10 probability columns."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def predict_proba(self, X: Any) -> NDArray[np.float64]:
        p = self.model.predict_proba(X)
        out = np.zeros((p.shape[0], 10))
        out[:, self.model.classes_] = p
        return out

    def predict(self, X: Any) -> NDArray[np.int64]:
        return np.asarray(self.model.predict(X), dtype=np.int64)


def mfeat_market(quick: bool) -> Market:
    from sklearn.linear_model import LogisticRegression

    views, labels = _mfeat_views()
    pairs = (
        [(2 * i, 2 * i + 1) for i in range(5)]
        if quick
        else list(combinations(range(10), 2))
    )
    half = np.zeros(labels.shape[0], dtype=bool)
    rng = np.random.default_rng(0)
    for digit in range(10):
        rows = np.flatnonzero(labels == digit)
        half[rng.choice(rows, rows.shape[0] // 2, replace=False)] = True
    learnwares, users = [], []
    for g, pair in enumerate(pairs):
        mine = np.isin(labels, pair)
        train, test = mine & half, mine & ~half
        for view_set in MARKET_SETS:
            X = np.hstack([views[v][train] for v in view_set.split("+")])
            model = LogisticRegression(max_iter=2000).fit(X, labels[train])
            spec = RKMETableSpecification(gamma="median", random_state=0).fit(X)
            learnwares.append(
                Learnware(
                    LocalLearnware(_TenClassProba(model), spec),
                    _columns(view_set),
                    g,
                    view_set,
                )
            )
        for view in USER_VIEWS[:2] if quick else USER_VIEWS:
            order = np.random.default_rng(g).permutation(np.flatnonzero(test))
            users.append(
                User(
                    views[view][order],
                    labels[order],
                    _columns(view),
                    g,
                    f"{pair}/{view}",
                )
            )
    return Market("mfeat", "classification", learnwares, users, n_labelled=20)


def flights_market(quick: bool) -> Market | None:
    groups = load_flight_groups()
    if groups is None:
        return None
    std, fe = flights.feature_descriptions(), flights.fe_feature_descriptions()
    both = {**std, **{str(int(k) + len(std)): v for k, v in fe.items()}}
    learnwares = []
    for g, (_, part) in enumerate(groups):
        train = part[part.month <= 9]
        y = train[flights.TARGET].to_numpy(dtype=float)
        islands = [("std", flights.matrix(train), std)]
        if g % 3 == 0:
            islands.append(
                (
                    "std+fe",
                    np.hstack([flights.matrix(train), flights.matrix_fe(train)]),
                    both,
                )
            )
        for island, X, columns in islands:
            model = flight_model().fit(X, y)
            spec = RKMETableSpecification(gamma="median", random_state=0).fit(X)
            learnwares.append(
                Learnware(LocalLearnware(model, spec), columns, g, island)
            )
    users = []
    for g, (name, part) in enumerate(groups[:10] if quick else groups):
        test = part[part.month >= 10]
        rows = np.random.default_rng(g).permutation(test.shape[0])[:2000]
        X = flights.matrix_fe(test)[rows]
        users.append(
            User(X, test[flights.TARGET].to_numpy(dtype=float)[rows], fe, g, name)
        )
    return Market("flights_fe", "regression", learnwares, users, n_labelled=100)


# --------------------------------------------------------------- evaluation


def _score(market: Market, y: NDArray[Any], pred: NDArray[Any]) -> float:
    if market.task == "regression":
        return mse(y, pred)
    return float(np.mean(np.asarray(pred) == y))


def _gap(mean: float, best: float, value: float) -> float:
    return (value - mean) / (best - mean) if best != mean else float("nan")


def evaluate(market: Market, engine: WorldEngine) -> dict[str, Any]:
    """Search and reuse every user of ``market`` through ``engine``."""
    index = StatIndex()
    worlds = []
    for i, item in enumerate(market.learnwares):
        spec = engine.system_spec(item.lw.spec, item.columns)  # type: ignore[arg-type]
        index.add(i, spec)
        worlds.append(spec.z_)
    rows: dict[str, list[dict[str, float]]] = {"corrected": [], "data_free": []}
    confidence_rows: list[tuple[list[float], bool]] = []
    for user in market.users:
        lab, test = slice(0, market.n_labelled), slice(market.n_labelled, None)
        rkme = RKMETableSpecification(gamma="median", random_state=1).fit(user.X)
        query = engine.system_spec(rkme, user.columns)
        ranked = index.search_single(query, top_k=CONFIDENCE_TOP_K + 1)
        features = world_features([r.mmd2 for r in ranked])
        for r, f in zip(ranked[:CONFIDENCE_TOP_K], features, strict=False):
            own = market.learnwares[_key(r.key)].group == user.group
            confidence_rows.append(([float(v) for v in f], own))
        mix = search_mixture(index, query)
        assert mix is not None
        top1 = _key(mix.best_single_key)
        if mix.accepted:
            members, weights = [_key(k) for k in mix.keys], np.asarray(mix.weights)
        else:
            members = [_key(r.key) for r in index.search_single(query, top_k=TOP_FEW)]
            weights = np.full(len(members), 1.0 / len(members))
        # one reuser per learnware: its map serves both modes; data-free reuse
        # calls the learnware on the mapped rows, corrected reuse the reuser
        outputs: dict[str, list[Any]] = {mode: [] for mode in rows}
        for i, item in enumerate(market.learnwares):
            reuser = WorldAlignReuser(
                item.lw,
                engine,
                learnware_columns=item.columns,
                user_columns=user.columns,
                task=market.task,  # type: ignore[arg-type]
                sharpness=SHARPNESS,
                learnware_world=worlds[i],
                mapping=MAPPING[market.task],
                random_state=0,
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                reuser.fit(user.X[lab], user.y[lab], user_spec=rkme)
                mapped = reuser.transform(user.X[test])
                if market.task == "classification":
                    outputs["data_free"].append(item.lw.predict_proba(mapped))
                    outputs["corrected"].append(reuser.predict_proba(user.X[test]))
                else:
                    outputs["data_free"].append(item.lw.predict(mapped))
                    outputs["corrected"].append(reuser.predict(user.X[test]))
        classes = {"data_free": np.arange(10), "corrected": reuser.classes_}
        for mode, outs in outputs.items():
            ens = sum(w * outs[k] for k, w in zip(members, weights, strict=True))
            if market.task == "classification":
                labels = classes[mode]
                assert labels is not None
                preds = [labels[np.argmax(o, axis=1)] for o in [*outs, ens]]
            else:
                preds = [*outs, ens]
            s = np.asarray([_score(market, user.y[test], p) for p in preds[:-1]])
            best = float(s.min() if market.task == "regression" else s.max())
            rows[mode].append(
                {
                    "mean": float(s.mean()),
                    "best": best,
                    "top1": float(s[top1]),
                    "avg_ensemble": _score(market, user.y[test], preds[-1]),
                    "identification": float(
                        market.learnwares[top1].group == user.group
                    ),
                }
            )
    out: dict[str, Any] = {mode: _summary(r) for mode, r in rows.items()}
    out["confidence_rows"] = confidence_rows
    return out


def _key(key: Any) -> int:
    return int(key)


def _summary(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    out = {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}
    out["gap_closed_top1"] = _gap(out["mean"], out["best"], out["top1"])
    return {k: round(v, 4) for k, v in out.items()}


# ------------------------------------------------------------------- driver


def _tables(markets: Sequence[Market]) -> list[WorldTable]:
    return [
        WorldTable.from_rkme(item.lw.spec, item.columns, f"{m.name}/{item.island}")  # type: ignore[arg-type]
        for m in markets
        for item in m.learnwares
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized markets")
    parser.add_argument("--archs", nargs="+", choices=ARCHS, default=ARCHS)
    parser.add_argument("--markets", nargs="+", choices=MARKETS, default=MARKETS)
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit 1 unless identification >= {CHECK_IDENTIFICATION} and the top-1 "
        "beats the market mean (data-free) on every market",
    )
    parser.add_argument(
        "--train",
        nargs="*",
        default=[],
        metavar="FIELD=VALUE",
        help="TrainConfig overrides for sweeps, e.g. epochs=60 random_cut=1",
    )
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="print the world confidence's reliability table and the coefficients "
        "fitted on this run's users (learnware_core.search.world_confidence)",
    )
    args = parser.parse_args(argv)
    train = replace(
        TRAIN,
        **{
            k: type(getattr(TRAIN, k))(float(v)) if k != "random_cut" else bool(int(v))
            for k, v in (item.split("=", 1) for item in args.train)
        },
    )
    markets = [mfeat_market(args.quick)] if "mfeat" in args.markets else []
    fm = None
    if "flights_fe" in args.markets:
        try:
            fm = flights_market(args.quick)
        except ScenarioDataMissing as exc:
            print(f"flights_fe skipped: {exc}")
    if fm is not None:
        markets.append(fm)
    tables = _tables(markets)
    print(
        f"{len(tables)} table learnwares: "
        + ", ".join(
            f"{m.name} {len(m.learnwares)} (users {len(m.users)})" for m in markets
        )
    )
    results: dict[str, Any] = {"quick": args.quick, "tables": len(tables), "arch": {}}
    confidence_rows: dict[tuple[str, str], list[tuple[list[float], bool]]] = {}
    for arch in args.archs:
        started = time.perf_counter()
        engine = train_engine(
            tables, net_config=NetConfig(arch=arch), train_config=train
        )
        train_s = time.perf_counter() - started
        per_arch: dict[str, Any] = {
            "train_s": round(train_s, 1),
            "version": engine.version,
            "metrics": engine.metrics,
        }
        for market in markets:
            per_arch[market.name] = evaluate(market, engine)
            confidence_rows[(arch, market.name)] = per_arch[market.name].pop(
                "confidence_rows"
            )
            _print(market, arch, per_arch[market.name])
        started = time.perf_counter()
        for t in (tables * (300 // len(tables) + 1))[:300]:
            engine.embed(t.points, t.columns)
        per_arch["regen_s_300"] = round(time.perf_counter() - started, 2)
        results["arch"][arch] = per_arch
    chosen = max(args.archs, key=lambda a: _rank(results["arch"][a], markets))
    pick = results["arch"][chosen]
    for market in markets:
        results[market.name] = pick[market.name]["data_free"] | {
            "corrected": pick[market.name]["corrected"]
        }
    results["chosen_arch"] = chosen
    results["train_s_300"] = round(pick["train_s"] * 300 / len(tables), 1)
    results["train_s_300_measured"] = len(tables) >= 300
    results["regen_s_300"] = pick["regen_s_300"]
    print(
        f"\nchosen architecture: {chosen}; training {pick['train_s']} s for "
        f"{len(tables)} tables; 300 system specs regenerated in {pick['regen_s_300']} s"
    )
    results["world_confidence"] = _confidence_report(confidence_rows, chosen)
    if args.calibrate:
        _print_calibration(results["world_confidence"])
    failed = _failed_checks(results, markets) if args.check else []
    for message in failed:
        print(f"CHECK FAILED: {message}")
    print(json.dumps(results))
    return 1 if failed else 0


def _failed_checks(results: dict[str, Any], markets: Sequence[Market]) -> list[str]:
    failed = []
    for market in markets:
        r = results[market.name]
        if r["identification"] < CHECK_IDENTIFICATION:
            failed.append(f"{market.name}: identification {r['identification']}")
        if r["gap_closed_top1"] <= 0:
            failed.append(f"{market.name}: top-1 no better than the mean ({r})")
    return failed


def _confidence_report(
    rows: dict[tuple[str, str], list[tuple[list[float], bool]]], arch: str
) -> dict[str, Any]:
    """The world confidence on the chosen architecture's users: the shipped
    coefficients' reliability (top-1 and all results), coefficients refitted on all
    users, and confidences cross-fitted leaving one market out."""
    mine = {market: r for (a, market), r in rows.items() if a == arch}
    X = np.asarray([f for r in mine.values() for f, _ in r], dtype=np.float64)
    y = np.asarray([own for r in mine.values() for _, own in r], dtype=bool)
    markets = np.asarray([m for m, r in mine.items() for _ in r])
    top1 = np.asarray([i % CONFIDENCE_TOP_K == 0 for i in range(len(y))])
    shipped = confidence_from_features(X, WORLD_CONFIDENCE_COEFFICIENTS)
    report: dict[str, Any] = {
        "arch": arch,
        "results": len(y),
        "own_share": round(float(y.mean()), 3) if len(y) else None,
        "shipped": _reliability(shipped, y, top1),
    }
    if len(set(markets)) > 1 and len(set(y.tolist())) > 1:
        crossed = np.zeros(len(y))
        for m in sorted(set(markets)):
            held = markets == m
            if len(set(y[~held].tolist())) > 1:
                crossed[held] = confidence_from_features(
                    X[held], fit_logistic(X[~held], y[~held])
                )
        report["cross_fitted"] = _reliability(crossed, y, top1)
        base = np.zeros(len(y))  # the held-out market's base rate from the others
        for m in sorted(set(markets)):
            held = markets == m
            base[held] = y[~held].mean()
        report["cross_fitted_base_rate_brier"] = round(
            float(np.mean((base - y) ** 2)), 4
        )
        report["refit_coefficients"] = [round(c, 4) for c in fit_logistic(X, y)]
    return report


def _reliability(
    p: NDArray[np.float64], y: NDArray[np.bool_], top1: NDArray[np.bool_]
) -> dict[str, Any]:
    """Mean confidence vs. share own per confidence bin; Brier scores."""
    edges = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    bins = []
    for lo, hi in pairwise(edges):
        inside = (p >= lo) & ((p < hi) | (hi == 1.0))
        if inside.any():
            bins.append(
                {
                    "bin": f"{lo:.1f}-{hi:.1f}",
                    "n": int(inside.sum()),
                    "mean_confidence": round(float(p[inside].mean()), 3),
                    "share_own": round(float(y[inside].mean()), 3),
                }
            )
    return {
        "brier": round(float(np.mean((p - y) ** 2)), 4),
        "brier_top1": round(float(np.mean((p[top1] - y[top1]) ** 2)), 4),
        "top1_mean_confidence": round(float(p[top1].mean()), 3),
        "top1_share_own": round(float(y[top1].mean()), 3),
        "bins": bins,
    }


def _print_calibration(report: dict[str, Any]) -> None:
    for name in ("shipped", "cross_fitted"):
        if name not in report:
            continue
        r = report[name]
        table(
            f"world confidence, {name} ({report['arch']}; {report['results']} "
            f"results; Brier {r['brier']}, top-1 {r['brier_top1']})",
            ("bin", "n", "mean confidence", "share own"),
            [
                (b["bin"], b["n"], b["mean_confidence"], b["share_own"])
                for b in r["bins"]
            ],
        )
    if "refit_coefficients" in report:
        print(
            "held-out base rate's Brier: "
            f"{report['cross_fitted_base_rate_brier']}; refit coefficients "
            f"{report['refit_coefficients']}"
        )


def _rank(per_arch: dict[str, Any], markets: Sequence[Market]) -> float:
    return float(
        np.mean([per_arch[m.name]["data_free"]["gap_closed_top1"] for m in markets])
    )


def _print(market: Market, arch: str, result: dict[str, Any]) -> None:
    header = ("reuse", *KEYS)
    rows = [(mode, *(result[mode][k] for k in KEYS)) for mode in result]
    table(
        f"{market.name} ({arch}; {len(market.learnwares)} learnwares, "
        f"{len(market.users)} users)",
        header,
        rows,
    )


if __name__ == "__main__":
    raise SystemExit(main())
