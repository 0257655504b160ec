"""Heterogeneous reuse by column meaning on the wild market (issue 21, item 3).

:class:`MeaningWorldReuser` implements :class:`benchmarks.wild.CrossSpaceReuser` with
:class:`~learnware_core.reuse.meaning_align.MeaningAlignReuser`: columns matched by
the meaning of their descriptions (or CSV header), the learnware's other columns
imputed from its RKME given the matched ones, and an output correction on the user's
labelled rows chosen by cross-validation. It wraps a searcher (search is delegated),
so ``benchmarks.wild``'s :func:`~benchmarks.wild.evaluate` scores it as it scores the
baseline.

``python -m benchmarks._wild_world [--quick] [--seed N]`` builds the wild market with
:func:`benchmarks._wild_market.build_market`, trains the baseline's world engine (for
the search's top-1 and for the baseline reuse), and prints, as its last line, one JSON
object with ``hetero_paraphrase_ratio`` and ``hetero_beats_own_model_100`` as
``benchmarks.wild`` defines them, for the meaning reuser and for today's
:class:`~learnware_core.reuse.world_align.WorldAlignReuser`, plus the copy baseline:
the group's main learnware fed the user's columns whose description is identical to
the learnware's (after trimming), the rest filled with its RKME mean, data-free, with
the user's own and with verbatim descriptions.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from benchmarks._timing import single_thread
from benchmarks._wild_market import FULL, QUICK, WildMarket, WildUser, build_market
from benchmarks.wild import (
    ListedLearnware,
    Outcome,
    SearchAnswer,
    Searcher,
    StatIndexSearcher,
    UserQuery,
    _hetero_scores,
    _ratio,
    error,
    evaluate,
    figures,
    query_of,
    task_of,
    train_world,
)
from learnware_core.errors import LearnwareError
from learnware_core.reuse import LocalLearnware
from learnware_core.reuse.meaning_align import MeaningAlignReuser
from learnware_core.specification.semantic import input_descriptions

FloatArray = NDArray[np.float64]
HETERO_KEYS = ("hetero_paraphrase_ratio", "hetero_beats_own_model_100")


class MeaningWorldReuser:
    """Cross-space reuse by column meaning, on top of any searcher.

    Parameters
    ----------
    searcher : Searcher, optional
        Answers ``fit``/``search`` (default: today's
        :class:`~benchmarks.wild.StatIndexSearcher` without a world engine).
    random_state : int, default=0
    """

    def __init__(
        self, searcher: Searcher | None = None, *, random_state: int = 0
    ) -> None:
        self.searcher = searcher if searcher is not None else StatIndexSearcher()
        self.random_state = random_state
        self.name = f"{self.searcher.name}+meaning-reuse"
        self.last: MeaningAlignReuser | None = None

    def fit(self, learnwares: Sequence[ListedLearnware]) -> None:
        self.searcher.fit(learnwares)

    def search(self, query: UserQuery) -> SearchAnswer:
        return self.searcher.search(query)

    def reuse(
        self,
        learnware: ListedLearnware,
        model: Any,
        query: UserQuery,
        X: FloatArray,
        X_labelled: FloatArray | None = None,
        y_labelled: NDArray[Any] | None = None,
    ) -> NDArray[Any]:
        """Predictions for ``X`` (user columns); labelled rows fit the correction."""
        reuser = MeaningAlignReuser(
            LocalLearnware(model, learnware.stat_spec),
            learnware_columns=input_descriptions(learnware.semantic_spec.get("Input")),
            user_columns=input_descriptions(query.semantic_spec.get("Input")),
            task=task_of(query.semantic_spec),
            learnware_task=task_of(learnware.semantic_spec),
            random_state=self.random_state,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if X_labelled is not None and y_labelled is not None and len(y_labelled):
                reuser.fit(X_labelled, y_labelled)
            else:
                reuser.fit(X)
            self.last = reuser
            return np.asarray(reuser.predict(X))


def copy_baseline(
    market: WildMarket, user: WildUser, *, verbatim: bool
) -> float | None:
    """Test error of the user's main learnware fed the identically described columns,
    the rest filled with its RKME mean (data-free)."""
    if not user.main:
        return None
    lw = market.by_id[user.main]
    query = query_of(user, verbatim=verbatim)
    mine = input_descriptions(query.semantic_spec.get("Input")) or {}
    theirs = input_descriptions(lw.semantic_spec.get("Input")) or {}
    by_text: dict[str, int] = {}
    for k, text in mine.items():
        by_text.setdefault(text.strip(), int(k))
    fill = lw.spec.beta_ @ lw.spec.z_
    X = np.tile(fill, (len(user.X_test), 1))
    for j in range(len(lw.columns)):
        i = by_text.get(theirs.get(str(j), "").strip(), -1)
        if i >= 0:
            X[:, j] = user.X_test[:, i]
    return error(user.task_kind, user.y_test, lw.model.predict(X))


def _hetero_outcomes(market: WildMarket, searcher: Any) -> list[Outcome]:
    outcomes = []
    for user in market.users:
        if user.kind != "hetero":
            continue
        out = Outcome(user, searcher.search(query_of(user)), 0.0)
        _hetero_scores(market, out, searcher)
        outcomes.append(out)
    return outcomes


def _copy_figures(outcomes: Sequence[Outcome], market: WildMarket) -> dict[str, Any]:
    """Meaning reuse vs the copy baseline, data-free, own and verbatim words."""
    rows = []
    for o in outcomes:
        copy_own = copy_baseline(market, o.user, verbatim=False)
        copy_verb = copy_baseline(market, o.user, verbatim=True)
        rows.append((o, copy_own, copy_verb))
    kind = [o.user.task_kind for o, _, _ in rows]

    def beats(a: float | None, b: float | None) -> bool:
        return a is not None and b is not None and a < b

    def mean(values: list[float | None]) -> float | None:
        v = [x for x in values if x is not None]
        return round(float(np.mean(v)), 4) if v else None

    return {
        # score(meaning reuse) / score(copy baseline), capped to [0, 2] as wild's ratio
        "vs_copy_ratio_own_words": mean(
            [
                _ratio(k, o.world_error, c)
                for k, (o, c, _) in zip(kind, rows, strict=True)
            ]
        ),
        "vs_copy_ratio_verbatim": mean(
            [
                _ratio(k, o.world_error_verbatim, c)
                for k, (o, _, c) in zip(kind, rows, strict=True)
            ]
        ),
        "beats_copy_own_words": round(
            float(np.mean([beats(o.world_error, c) for o, c, _ in rows])), 4
        ),
        "beats_copy_verbatim": round(
            float(np.mean([beats(o.world_error_verbatim, c) for o, _, c in rows])), 4
        ),
        "labelled_beats_copy_own_words": round(
            float(np.mean([beats(o.main_error, c) for o, c, _ in rows])), 4
        ),
        "per_user": [
            {
                "user": o.user.id,
                "own_model": o.own_error,
                "top1_reused": o.reuse_error,
                "main_reused": o.main_error,
                "own_words": o.world_error,
                "verbatim": o.world_error_verbatim,
                "copy_own_words": c1,
                "copy_verbatim": c2,
            }
            for o, c1, c2 in rows
        ],
    }


def run(quick: bool, seed: int, baseline: bool) -> dict[str, Any]:
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    market = build_market(QUICK if quick else FULL, seed=seed)
    seconds["market"] = time.perf_counter() - started
    started = time.perf_counter()
    engine = train_world(market)
    seconds["world_train"] = time.perf_counter() - started
    searcher = StatIndexSearcher(engine=engine)
    meaning = MeaningWorldReuser(searcher)
    started = time.perf_counter()
    outcomes = evaluate(market, meaning)
    seconds["evaluate"] = time.perf_counter() - started
    het = [o for o in outcomes if o.user.kind == "hetero"]
    result: dict[str, Any] = {
        "meaning": {
            k: v
            for k, v in figures(outcomes, market.datasets, hetero=True).items()
            if k in HETERO_KEYS
        },
    }
    extra = figures(het, market.datasets, hetero=True)["extra"]
    result["meaning"]["hetero_main_beats_own_model_100"] = extra[
        "hetero_main_beats_own_model_100"
    ]
    result["copy_baseline"] = _copy_figures(het, market)
    if baseline:
        started = time.perf_counter()
        base = _hetero_outcomes(market, searcher)
        seconds["baseline"] = time.perf_counter() - started
        fig = figures(base, market.datasets, hetero=True)
        result["world_align_baseline"] = {k: fig[k] for k in HETERO_KEYS}
        result["world_align_baseline"]["hetero_main_beats_own_model_100"] = fig[
            "extra"
        ]["hetero_main_beats_own_model_100"]
    result["hetero_users"] = len(het)
    result["seconds"] = {k: round(v, 1) for k, v in seconds.items()}
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized market")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip WorldAlignReuser's figures"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("TQDM_DISABLE", "1")
    started = time.perf_counter()
    try:
        with single_thread():
            result = run(args.quick, args.seed, not args.no_baseline)
    except LearnwareError as exc:  # pragma: no cover - reported, not hidden
        print(f"failed: {exc}")
        return 1
    result["quick"] = args.quick
    result["seed"] = args.seed
    result["seconds"]["total"] = round(time.perf_counter() - started, 1)
    per_user = result["copy_baseline"].pop("per_user")
    for row in per_user:
        print(json.dumps(row))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
