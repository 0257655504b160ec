"""The wild market of issue 21: search and reuse as real developers and users meet them.

``python -m benchmarks.wild [--quick] [--check] [--no-hetero] [--task-filter]
[--searcher island|baseline] [--world baseline|meaning] [--calibrate]``
builds the market of :mod:`benchmarks._wild_market` (diamonds, Ames housing, Texas
housing; learnwares in raw units, fitted with any ``gamma``, described in their
developers' own words), runs every user through a :class:`Searcher`, and prints a
table per data set, the issue's figures against their targets, and, as its **last
line**, one JSON object with them.

The searcher is a protocol. The default, ``--searcher island``, is the dock's island
search (:class:`IslandSearchAdapter` over
:class:`~learnware_core.search.island_search.IslandSearcher`: islands located by
meaning, columns matched per learnware, the island kernel, calibrated confidence
and "no good match"; ``docs/search-trust.md``); users who lack columns of their
top-1 are reused through ``--world``: the world engine's ``WorldAlignReuser``
(``baseline``) or ``benchmarks._wild_world.MeaningWorldReuser`` (``meaning``).
``--calibrate`` fits the island search's confidence on markets of other seeds
(:data:`CALIBRATION_SEEDS`) and prints its reliability table instead.
``--searcher baseline`` is :class:`StatIndexSearcher`, **today's dock**:
``market.search.index.MarketIndex.search`` without Django -- a
:class:`~learnware_core.search.index.StatIndex` per feature space ``(type, d,
gamma)`` (a query in a space no learnware shares is refused, or sent to the
specification world when the user gave column descriptions and an engine is
active), :func:`~learnware_core.search.mixture.search_mixture` for combinations,
no "no good match" answer, and for heterogeneous reuse
:class:`~learnware_core.reuse.world_align.WorldAlignReuser` through a world engine
trained on the market's learnwares as ``benchmarks.spec_world`` trains one.

Figures (the issue's names; "served" users are the ``random`` and ``shift`` users):

* ``identification_random``: share of ``random`` users whose top-1 is one of their
  own learnwares (same table, group and task); a refusal or "no good match" misses.
* ``gap_closed_top1[dataset]``: per served user ``(Mean - Top-1) / (Mean - Best)``
  on the user's test errors (MSE; 1 - accuracy), Mean and Best over the learnwares of
  the user's island (same task and target, same column set in any order, each fed
  the user's columns in its own order); clipped to [-1, 1] and averaged over the
  data set's served users. The top-1 is run as the answer delivers it: with the
  answer's column map if it has one, as-is when the widths agree, else through the
  searcher's cross-space reuse (data-free); not runnable counts -1, a refusal or
  "no good match" counts 0 (no better than picking from the island at random).
* ``gamma_refusals``: users (any kind) refused although a learnware has their column
  count: only the kernel parameter differs. ``gamma_to_world`` (extra) counts those
  sent to the specification world instead.
* ``no_match_rate``: share of ``unserved`` users answered "no good match";
  ``false_no_match_rate``: the same share among served users.
* ``mixed_outputs``: proposed combinations whose members differ in task type, label
  set or target.
* ``hetero_paraphrase_ratio``: per ``hetero`` user, the score of world reuse with
  their own (paraphrased / header) descriptions over the score with the descriptions
  of their group's main learnware copied verbatim for the shared columns (accuracy;
  for regression the inverse MSE ratio), capped to [0, 2] and averaged. The learnware
  is fixed (the group's main one, whose descriptions were copied) and the reuse is
  data-free, so the ratio measures the world's column correspondence alone, as the
  issue's letter-recognition case did.
* ``hetero_beats_own_model_100``: share of ``hetero`` users whose answer beats a
  random forest trained on their <= 100 labelled rows: the search's top-1 (these
  users ask for heterogeneous search, :attr:`UserQuery.hetero`; own descriptions)
  reused with those rows (the world reuser fits its output correction on them).
  ``hetero_main_beats_own_model_100`` (extra) reuses their group's main learnware
  instead of the top-1: reuse without search errors.

``--check`` exits 1 unless every target of the issue is met (targets below;
unmeasured hetero figures count as missed). ``--no-hetero`` skips the world engine
(no specification world, so the baseline refuses every query in a space without a
learnware, and the hetero figures are null). ``--task-filter`` makes users pass their
task type as a tag filter, as a careful user of the web page would.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import operator
import os
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from benchmarks._shared import fit_logistic
from benchmarks._timing import finish, single_thread
from benchmarks._wild_market import (
    FULL,
    QUICK,
    MarketSize,
    WildLearnware,
    WildMarket,
    WildUser,
    build_market,
    own_model,
)
from benchmarks.reuse import table
from learnware_core.errors import LearnwareError
from learnware_core.islands import IslandMap
from learnware_core.search.index import StatIndex, feature_space_key
from learnware_core.search.island_search import (
    CONFIDENCE_FEATURES,
    IslandSearcher,
    IslandSearchResult,
)
from learnware_core.search.mixture import search_mixture
from learnware_core.specification.base import StatSpecification
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.semantic import input_descriptions

FloatArray = NDArray[np.float64]

TARGETS: dict[str, tuple[str, float]] = {
    "identification_random": (">=", 0.90),
    "gap_closed_top1": (">=", 0.80),  # on every data set
    "gamma_refusals": ("==", 0),
    "no_match_rate": (">=", 0.90),
    "false_no_match_rate": ("<=", 0.05),
    "mixed_outputs": ("==", 0),
    "hetero_paraphrase_ratio": (">=", 0.90),
    "hetero_beats_own_model_100": (">=", 0.80),
}
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
}
RATIO_CAP = 2.0


# ------------------------------------------------------------ the protocol


@dataclass(frozen=True)
class ListedLearnware:
    """What the dock holds of a learnware: its id and specifications."""

    id: str
    semantic_spec: dict[str, Any]
    stat_spec: RKMETableSpecification


@dataclass(frozen=True)
class UserQuery:
    """What a user sends: a semantic spec (``Data``, ``Task``, ``Input`` with their
    column descriptions, ``Output``) and the RKME built locally from their rows.

    ``hetero`` is the search API's request for heterogeneous search (``hetero=true``):
    the harness sets it for the ``hetero`` users, who know that their columns are
    their own, as the issue's reproduction did. A searcher that finds islands by
    itself may ignore it."""

    id: str
    semantic_spec: dict[str, Any]
    stat_spec: RKMETableSpecification
    hetero: bool = False


@dataclass(frozen=True)
class Ranked:
    """One result. ``column_map[j]`` is the user column that feeds the learnware's
    column ``j`` (-1: none; the harness fills the learnware's RKME mean); None means
    the user's columns are passed as they are."""

    learnware_id: str
    score: float
    column_map: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Mixture:
    """A proposed weighted combination."""

    learnware_ids: tuple[str, ...]
    weights: tuple[float, ...]


@dataclass(frozen=True)
class SearchAnswer:
    """A searcher's answer to one user: results best first and an optional
    combination; or "no good match"; or a refusal (its error message). ``hetero``:
    answered through the specification world (results are then reused across
    feature spaces)."""

    ranked: tuple[Ranked, ...] = ()
    mixture: Mixture | None = None
    no_match: bool = False
    refusal: str | None = None
    hetero: bool = False


class Searcher(Protocol):
    """Market in, one answer per user out."""

    name: str

    def fit(self, learnwares: Sequence[ListedLearnware]) -> None:
        """Index the market (called once, before any search)."""

    def search(self, query: UserQuery) -> SearchAnswer:
        """Answer one user (never raises for a bad match: refusals are answers)."""


@runtime_checkable
class CrossSpaceReuser(Protocol):
    """A searcher that can also run a learnware on a user's rows of another feature
    space (the world's reuse)."""

    def reuse(
        self,
        learnware: ListedLearnware,
        model: Any,
        query: UserQuery,
        X: FloatArray,
        X_labelled: FloatArray | None = None,
        y_labelled: NDArray[Any] | None = None,
    ) -> NDArray[Any]:
        """Predictions for ``X`` (user columns); labelled rows, if given, may fit an
        output correction."""


# ------------------------------------------------------------ today's dock


def task_of(semantic_spec: Mapping[str, Any]) -> str:
    """``"regression"`` or ``"classification"`` from a semantic spec's ``Task``."""
    values = semantic_spec.get("Task", {}).get("Values", [])
    return "regression" if "Regression" in values else "classification"


class StatIndexSearcher:
    """Today's dock search (``MarketIndex.search`` / ``_space_for``), Django-free.

    Parameters
    ----------
    engine : WorldEngine or None
        The active specification-world engine; None: no world (as before an admin
        trains one).
    task_filter : bool, default=False
        Restrict candidates to the user's ``Task`` tag (the search page's filter).
    top_k : int, default=10
    """

    name = "statindex-baseline"

    def __init__(
        self, *, engine: Any = None, task_filter: bool = False, top_k: int = 10
    ) -> None:
        self.engine = engine
        self.task_filter = task_filter
        self.top_k = top_k

    def fit(self, learnwares: Sequence[ListedLearnware]) -> None:
        self._listed = {lw.id: lw for lw in learnwares}
        self._stat = StatIndex()
        self._stat.add_many((lw.id, lw.stat_spec) for lw in learnwares)
        self._world: StatIndex | None = None
        self._world_z: dict[str, FloatArray] = {}
        if self.engine is None:
            return
        self._world = StatIndex()
        for lw in learnwares:
            described = input_descriptions(lw.semantic_spec.get("Input"))
            if described is None:  # not is_hetero: stays out of the world
                continue
            spec = self.engine.system_spec(lw.stat_spec, described)
            self._world.add(lw.id, spec)
            self._world_z[lw.id] = spec.z_

    def search(self, query: UserQuery) -> SearchAnswer:
        candidates = None
        if self.task_filter:
            wanted = task_of(query.semantic_spec)
            candidates = [
                i
                for i, lw in self._listed.items()
                if task_of(lw.semantic_spec) == wanted
            ]
        described = input_descriptions(query.semantic_spec.get("Input"))
        try:
            index, spec, hetero = self._space_for(
                query.stat_spec, candidates, described, query.hetero
            )
            singles = index.search_single(
                spec, top_k=self.top_k, candidate_keys=candidates
            )
            mix = search_mixture(index, spec, candidate_keys=candidates)
        except LearnwareError as exc:
            return SearchAnswer(refusal=str(exc))
        ranked = tuple(Ranked(str(r.key), float(r.score)) for r in singles)
        mixture = None
        if mix is not None and mix.accepted:
            mixture = Mixture(
                tuple(str(k) for k in mix.keys), tuple(float(w) for w in mix.weights)
            )
        return SearchAnswer(ranked=ranked, mixture=mixture, hetero=hetero)

    def _space_for(
        self,
        query: RKMETableSpecification,
        candidates: list[str] | None,
        described: dict[str, str] | None,
        hetero: bool,
    ) -> tuple[StatIndex, StatSpecification, bool]:
        """The market's space; the world's when asked (``hetero``) or when no
        candidate shares the query's space and the user described their columns."""
        if not hetero and (not described or self._has_space(query, candidates)):
            return self._stat, query, False
        if self._world is None or self.engine is None:
            if hetero:
                raise LearnwareError(
                    "heterogeneous search is unavailable: no specification-world "
                    "engine is active yet"
                )
            return self._stat, query, False  # the market's "no learnware" error
        if not described:
            raise LearnwareError(
                "heterogeneous search needs your columns' descriptions (the "
                "semantic spec's Input)"
            )
        try:
            return self._world, self.engine.system_spec(query, described), True
        except (RuntimeError, ValueError) as exc:
            raise LearnwareError(f"your RKME cannot be mapped: {exc}") from exc

    def _has_space(
        self, query: RKMETableSpecification, candidates: list[str] | None
    ) -> bool:
        space = feature_space_key(query)
        if not self._stat.spaces().get(space):
            return False
        if candidates is None:
            return True
        return any(self._stat.space_of(k) == space for k in candidates)

    def reuse(
        self,
        learnware: ListedLearnware,
        model: Any,
        query: UserQuery,
        X: FloatArray,
        X_labelled: FloatArray | None = None,
        y_labelled: NDArray[Any] | None = None,
    ) -> NDArray[Any]:
        """:class:`WorldAlignReuser` as ``benchmarks.spec_world`` uses it."""
        if self.engine is None:
            raise LearnwareError("no specification-world engine")
        from benchmarks.spec_world import MAPPING, SHARPNESS
        from learnware_core.reuse import LocalLearnware
        from learnware_core.reuse.world_align import WorldAlignReuser

        task = task_of(learnware.semantic_spec)
        reuser = WorldAlignReuser(
            LocalLearnware(model, learnware.stat_spec),
            self.engine,
            learnware_columns=input_descriptions(learnware.semantic_spec.get("Input")),
            user_columns=input_descriptions(query.semantic_spec.get("Input")),
            task=task,  # type: ignore[arg-type]
            sharpness=SHARPNESS,
            learnware_world=self._world_z.get(learnware.id),
            mapping=MAPPING[task],
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if X_labelled is not None and y_labelled is not None and len(y_labelled):
                reuser.fit(X_labelled, y_labelled, user_spec=query.stat_spec)
                return np.asarray(reuser.predict(X))
            reuser.fit(X, user_spec=query.stat_spec)
            return np.asarray(model.predict(reuser.transform(X)))


def train_world(
    market: WildMarket, *, arch: Literal["deepsets", "transformer"] = "deepsets"
) -> Any:
    """A world engine trained on the market's table learnwares, as the dock (and
    ``benchmarks.spec_world``) trains one."""
    from benchmarks.spec_world import TRAIN
    from learnware_core.specworld import NetConfig, WorldTable, train_engine

    tables = [
        WorldTable.from_rkme(
            lw.spec,
            input_descriptions(lw.semantic_spec.get("Input")),
            f"{lw.dataset}/{lw.task}",
        )
        for lw in market.learnwares
    ]
    return train_engine(tables, net_config=NetConfig(arch=arch), train_config=TRAIN)


# ------------------------------------------------------------ the island search


class IslandSearchAdapter:
    """The dock's island search (:class:`~learnware_core.search.island_search.
    IslandSearcher`) as a :class:`Searcher`.

    Results are listed by the searcher's order with their confidence as the score
    and the column map it found; "no good match" when the searcher says so. An
    answer whose top-1 needs columns the user lacks is marked ``hetero``, so the
    harness reuses it through ``reuser`` (the specification world), which also
    serves :meth:`reuse`.

    Parameters
    ----------
    reuser : CrossSpaceReuser or None
        Cross-space reuse for users lacking columns (None: such answers are run
        with the learnware's RKME mean in the missing columns).
    task_filter : bool, default=False
        Pass the user's task explicitly (the searcher reads it from the spec anyway).
    top_k : int, default=10
    no_match_below : float, optional
        Overrides the searcher's threshold (calibration uses 0).
    """

    name = "island"

    def __init__(
        self,
        *,
        reuser: CrossSpaceReuser | None = None,
        task_filter: bool = False,
        top_k: int = 10,
        no_match_below: float | None = None,
    ) -> None:
        self.reuser = reuser
        self.task_filter = task_filter
        self.top_k = top_k
        self.no_match_below = no_match_below
        self.last: IslandSearchResult | None = None

    def fit(self, learnwares: Sequence[ListedLearnware]) -> None:
        kwargs: dict[str, Any] = {}
        if self.no_match_below is not None:
            kwargs["no_match_below"] = self.no_match_below
        self.core = IslandSearcher(islands=_shared_island_map(), **kwargs)
        for lw in learnwares:
            self.core.add(lw.id, lw.semantic_spec, lw.stat_spec)

    def search(self, query: UserQuery) -> SearchAnswer:
        task = None
        if self.task_filter:
            task = (
                "Regression"
                if task_of(query.semantic_spec) == "regression"
                else ("Classification")
            )
        try:
            found = self.core.search(
                query.semantic_spec, query.stat_spec, top_k=self.top_k, task=task
            )
        except LearnwareError as exc:
            return SearchAnswer(refusal=str(exc))
        self.last = found
        if found.no_match:
            return SearchAnswer(no_match=True)
        ranked = tuple(
            Ranked(str(r.key), r.confidence, r.column_map) for r in found.results
        )
        mixture = None
        if found.mixture is not None:
            mixture = Mixture(
                tuple(str(k) for k in found.mixture.keys), found.mixture.weights
            )
        # Through the world only when the user lacks columns the learnware needs
        # (fewer columns); otherwise its RKME mean fills an unaligned column.
        top = found.results[0]
        n_user = int(query.stat_spec.z_.shape[1])
        hetero = (
            bool(top.missing_columns)
            and n_user < len(top.column_map)
            and self.reuser is not None
        )
        return SearchAnswer(ranked=ranked, mixture=mixture, hetero=hetero)

    def reuse(
        self,
        learnware: ListedLearnware,
        model: Any,
        query: UserQuery,
        X: FloatArray,
        X_labelled: FloatArray | None = None,
        y_labelled: NDArray[Any] | None = None,
    ) -> NDArray[Any]:
        """The world's reuse (``reuser``)."""
        if self.reuser is None:
            raise LearnwareError("no cross-space reuser")
        return self.reuser.reuse(learnware, model, query, X, X_labelled, y_labelled)


_ISLAND_SPACE: Any = None


def _shared_island_map() -> IslandMap:
    """A fresh island map sharing one column space (the encoder loads once)."""
    global _ISLAND_SPACE
    if _ISLAND_SPACE is None:
        from learnware_core.islands import default_column_space

        _ISLAND_SPACE = default_column_space()
    return IslandMap(_ISLAND_SPACE)


def meaning_world_reuser() -> CrossSpaceReuser:
    """``benchmarks._wild_world.MeaningWorldReuser`` (cross-space reuse by column
    meaning; its ``reuse`` needs no fitting); a clear error when that module is
    missing."""
    try:
        from benchmarks import _wild_world
    except ImportError as exc:
        raise SystemExit(
            "--world meaning needs benchmarks/_wild_world.py (MeaningWorldReuser), "
            f"which is missing or broken: {exc}"
        ) from exc
    reuser = _wild_world.MeaningWorldReuser()
    if not isinstance(reuser, CrossSpaceReuser):
        raise SystemExit("MeaningWorldReuser has no reuse(...) method")
    return reuser


# ------------------------------------------------------------ evaluation


def listed(lw: WildLearnware) -> ListedLearnware:
    return ListedLearnware(lw.id, lw.semantic_spec, lw.spec)


def query_of(user: WildUser, *, verbatim: bool = False) -> UserQuery:
    semantic = user.verbatim_semantic_spec if verbatim else user.semantic_spec
    assert semantic is not None
    return UserQuery(user.id, semantic, user.spec, hetero=user.kind == "hetero")


def error(kind: str, y: NDArray[Any], pred: NDArray[Any]) -> float:
    """Test error: MSE (regression) or 1 - accuracy (classification)."""
    p = np.asarray(pred).reshape(-1)
    if kind == "classification":
        return float(np.mean(p != y))
    if not np.issubdtype(p.dtype, np.number):
        return math.inf
    return float(np.mean((p.astype(float) - y) ** 2))


def _aligned(lw: WildLearnware, user: WildUser, X: FloatArray) -> FloatArray:
    """The user's rows in the learnware's column order (the harness knows both)."""
    return X[:, [user.columns.index(c) for c in lw.columns]]


def deliver(
    searcher: Searcher,
    market: WildMarket,
    user: WildUser,
    query: UserQuery,
    result: Ranked,
    hetero: bool,
    *,
    labelled: bool,
) -> NDArray[Any] | None:
    """Run an answer's learnware on the user's test rows as the answer delivers it;
    None if it cannot be run."""
    lw = market.by_id[result.learnware_id]
    X = user.X_test
    if not hetero and result.column_map is not None:
        cmap = np.asarray(result.column_map, dtype=np.int64)
        if cmap.shape[0] != len(lw.columns) or cmap.max(initial=-1) >= X.shape[1]:
            return None
        fill = lw.spec.beta_ @ lw.spec.z_
        Xl = X[:, np.maximum(cmap, 0)]
        Xl[:, cmap < 0] = fill[cmap < 0]
        return np.asarray(lw.model.predict(Xl))
    if not hetero and len(lw.columns) == X.shape[1]:
        return np.asarray(lw.model.predict(X))
    if not isinstance(searcher, CrossSpaceReuser):
        return None
    try:
        return searcher.reuse(
            listed(lw),
            lw.model,
            query,
            X,
            user.X_labelled if labelled else None,
            user.y_labelled if labelled else None,
        )
    except (LearnwareError, ValueError, RuntimeError, IndexError):
        return None


@dataclass
class Outcome:
    """One user's answer and what it is worth."""

    user: WildUser
    answer: SearchAnswer
    seconds: float
    gamma_refused: bool = False
    gamma_to_world: bool = False
    identified: bool = False
    wrong_output: bool = False
    mixed: bool = False
    gap: float | None = None
    mean: float | None = None
    best: float | None = None
    top1_error: float | None = None
    # hetero users: test errors of
    reuse_error: float | None = None  # the search's top-1, reused with labelled rows
    own_error: float | None = None  # their own model on the labelled rows
    main_error: float | None = None  # their group's main learnware, labelled rows
    world_error: float | None = None  # that learnware, data-free, own descriptions
    world_error_verbatim: float | None = None  # ... descriptions copied verbatim
    ratio: float | None = None

    @property
    def top1(self) -> str | None:
        a = self.answer
        if a.refusal is not None or a.no_match or not a.ranked:
            return None
        return a.ranked[0].learnware_id


def _served_scores(market: WildMarket, out: Outcome, searcher: Searcher) -> None:
    user = out.user
    errors = np.asarray(
        [
            error(
                user.task_kind,
                user.y_test,
                market.by_id[i].model.predict(
                    _aligned(market.by_id[i], user, user.X_test)
                ),
            )
            for i in user.island
        ]
    )
    if errors.size == 0:
        return
    out.mean, out.best = float(errors.mean()), float(errors.min())
    spread = out.mean - out.best
    if spread <= 1e-12 * max(abs(out.mean), 1.0):
        return  # every learnware of the island is as good: no gap to close
    if out.top1 is None:
        out.gap = 0.0
        return
    pred = deliver(
        searcher,
        market,
        user,
        query_of(user),
        out.answer.ranked[0],
        out.answer.hetero,
        labelled=False,
    )
    if pred is None:
        out.gap = -1.0
        return
    out.top1_error = error(user.task_kind, user.y_test, pred)
    out.gap = float(np.clip((out.mean - out.top1_error) / spread, -1.0, 1.0))


def _world_error(
    market: WildMarket,
    searcher: Searcher,
    user: WildUser,
    query: UserQuery,
    *,
    labelled: bool,
) -> float | None:
    """Test error of the user's group's main learnware reused across feature
    spaces (None if the searcher cannot reuse or the reuse fails)."""
    if not isinstance(searcher, CrossSpaceReuser) or not user.main:
        return None
    lw = market.by_id[user.main]
    try:
        pred = searcher.reuse(
            listed(lw),
            lw.model,
            query,
            user.X_test,
            user.X_labelled if labelled else None,
            user.y_labelled if labelled else None,
        )
    except (LearnwareError, ValueError, RuntimeError, IndexError):
        return None
    return error(user.task_kind, user.y_test, pred)


def _ratio(kind: str, para: float | None, verb: float | None) -> float | None:
    """Score with own descriptions / score with verbatim ones, capped."""
    if para is None and verb is None:
        return None
    if para is None:
        return 0.0
    if verb is None:
        return RATIO_CAP
    if kind == "classification":
        num, den = 1.0 - para, 1.0 - verb
    else:
        num, den = verb, para  # 1/MSE ratio
    if den <= 0:
        return RATIO_CAP if num > 0 else 1.0
    return float(min(num / den, RATIO_CAP))


def _hetero_scores(market: WildMarket, out: Outcome, searcher: Searcher) -> None:
    user, query = out.user, query_of(out.user)
    if out.top1 is not None:
        pred = deliver(
            searcher,
            market,
            user,
            query,
            out.answer.ranked[0],
            out.answer.hetero,
            labelled=True,
        )
        if pred is not None:
            out.reuse_error = error(user.task_kind, user.y_test, pred)
    model = own_model(user.task_kind).fit(user.X_labelled, user.y_labelled)
    out.own_error = error(user.task_kind, user.y_test, model.predict(user.X_test))
    out.main_error = _world_error(market, searcher, user, query, labelled=True)
    out.world_error = _world_error(market, searcher, user, query, labelled=False)
    out.world_error_verbatim = _world_error(
        market, searcher, user, query_of(user, verbatim=True), labelled=False
    )
    out.ratio = _ratio(user.task_kind, out.world_error, out.world_error_verbatim)


def evaluate(
    market: WildMarket,
    searcher: Searcher,
    *,
    hetero: bool = True,
    progress: Callable[[str], None] | None = None,
) -> list[Outcome]:
    """Fit ``searcher`` on the market and score every user's answer."""
    searcher.fit([listed(lw) for lw in market.learnwares])
    spaces = {feature_space_key(lw.spec) for lw in market.learnwares}
    widths = {len(lw.columns) for lw in market.learnwares}
    outcomes = []
    for user in market.users:
        started = time.perf_counter()
        answer = searcher.search(query_of(user))
        out = Outcome(user, answer, time.perf_counter() - started)
        gamma_only = (
            len(user.columns) in widths and feature_space_key(user.spec) not in spaces
        )
        out.gamma_refused = answer.refusal is not None and gamma_only
        out.gamma_to_world = (
            answer.refusal is None
            and answer.hetero
            and gamma_only
            and user.kind != "hetero"
        )
        top1 = out.top1
        out.identified = top1 is not None and top1 in user.own
        out.wrong_output = (
            top1 is not None and market.by_id[top1].output_space != user.output_space
        )
        if answer.mixture is not None:
            kinds = {market.by_id[i].output_space for i in answer.mixture.learnware_ids}
            out.mixed = len(kinds) > 1
        if user.kind in ("random", "shift"):
            _served_scores(market, out, searcher)
        elif user.kind == "hetero" and hetero:
            _hetero_scores(market, out, searcher)
        outcomes.append(out)
        if progress is not None:
            progress(user.id)
    return outcomes


# ------------------------------------------------------------ figures


def _share(values: Iterable[bool]) -> float | None:
    v = list(values)
    return round(float(np.mean(v)), 4) if v else None


def _mean(values: Iterable[float | None]) -> float | None:
    v = [x for x in values if x is not None and not math.isnan(x)]
    return round(float(np.mean(v)), 4) if v else None


def figures(
    outcomes: Sequence[Outcome], datasets: Sequence[str], *, hetero: bool
) -> dict[str, Any]:
    """The issue's figures (and a few more) from the users' outcomes."""
    served = [o for o in outcomes if o.user.kind in ("random", "shift")]
    random_users = [o for o in served if o.user.kind == "random"]
    unserved = [o for o in outcomes if o.user.kind == "unserved"]
    het = [o for o in outcomes if o.user.kind == "hetero"]
    answered = [o for o in outcomes if o.top1 is not None and o.user.kind != "unserved"]
    result: dict[str, Any] = {
        "identification_random": _share(o.identified for o in random_users),
        "gap_closed_top1": {
            d: _mean(o.gap for o in served if o.user.dataset == d) for d in datasets
        },
        "gamma_refusals": sum(o.gamma_refused for o in outcomes),
        "no_match_rate": _share(o.answer.no_match for o in unserved),
        "false_no_match_rate": _share(o.answer.no_match for o in served),
        "mixed_outputs": sum(o.mixed for o in outcomes),
        "hetero_paraphrase_ratio": _mean(o.ratio for o in het) if hetero else None,
        "hetero_beats_own_model_100": (
            _share(
                o.reuse_error is not None
                and o.own_error is not None
                and o.reuse_error < o.own_error
                for o in het
            )
            if hetero
            else None
        ),
    }
    result["extra"] = {
        "refusals": sum(o.answer.refusal is not None for o in outcomes),
        "gamma_to_world": sum(o.gamma_to_world for o in outcomes),
        "world_answers": sum(o.answer.hetero for o in outcomes),
        "identification_shift": _share(
            o.identified for o in served if o.user.kind == "shift"
        ),
        "wrong_output_top1": _share(o.wrong_output for o in answered),
        "unserved_given_results": _share(o.top1 is not None for o in unserved),
        "mixtures_proposed": sum(o.answer.mixture is not None for o in outcomes),
        "hetero_main_beats_own_model_100": (
            _share(
                o.main_error is not None
                and o.own_error is not None
                and o.main_error < o.own_error
                for o in het
            )
            if hetero
            else None
        ),
        "hetero_wrong_output_top1": _share(o.wrong_output for o in het),
        "search_ms_median": round(
            1000 * float(np.median([o.seconds for o in outcomes])), 2
        ),
    }
    return result


def _target_rows(
    result: Mapping[str, Any],
) -> list[tuple[str, float | None, str, bool]]:
    """``(figure, value, target, met)`` per target (one per data set for the gap);
    an unmeasured figure (None) is not met."""
    rows = []
    for key, (op, target) in TARGETS.items():
        value = result[key]
        values = value.items() if isinstance(value, dict) else [(key, value)]
        for name, v in values:
            label = key if name == key else f"{key}[{name}]"
            met = v is not None and _COMPARE[op](v, target)
            rows.append((label, v, f"{op} {target:g}", met))
    return rows


def failed_checks(result: Mapping[str, Any]) -> list[str]:
    """The targets of the issue that ``result`` misses (unmeasured = missed)."""
    return [
        f"{label}: {'not measured' if v is None else v} (target {target})"
        for label, v, target, met in _target_rows(result)
        if not met
    ]


def _print_tables(
    market: WildMarket, outcomes: Sequence[Outcome], result: Mapping[str, Any]
) -> None:
    header = (
        "users",
        "n",
        "refused",
        "gamma",
        "world",
        "no match",
        "own top-1",
        "wrong output",
        "mixtures",
        "mixed",
        "gap",
    )
    for d in (*market.datasets, "foreign"):
        rows: list[tuple[Any, ...]] = []
        for kind in ("random", "shift", "hetero", "unserved"):
            group = [
                o
                for o in outcomes
                if o.user.kind == kind
                and (o.user.dataset == d or (d == "foreign" and _foreign(market, o)))
            ]
            if not group:
                continue
            rows.append(
                (
                    kind,
                    len(group),
                    sum(o.answer.refusal is not None for o in group),
                    sum(o.gamma_refused for o in group),
                    sum(o.answer.hetero for o in group),
                    sum(o.answer.no_match for o in group),
                    "-" if kind == "unserved" else sum(o.identified for o in group),
                    sum(o.wrong_output for o in group),
                    sum(o.answer.mixture is not None for o in group),
                    sum(o.mixed for o in group),
                    _mean(o.gap for o in group) if kind in ("random", "shift") else "-",
                )
            )
        if rows:
            n_lw = sum(lw.dataset == d for lw in market.learnwares)
            table(f"{d} ({n_lw} learnwares)", header, rows)
    het = [o for o in outcomes if o.user.kind == "hetero" and o.ratio is not None]
    if het:
        table(
            "heterogeneous users: test errors (MSE; 1 - accuracy) of the search's "
            "top-1 reused with <= 100 labelled rows, of their own model on those "
            "rows, of their group's main learnware reused with them, and of that "
            "learnware reused data-free with their own / verbatim descriptions",
            (
                "user",
                "top-1",
                "top-1 reused",
                "own model",
                "main reused",
                "own words",
                "verbatim",
                "ratio",
            ),
            [
                (
                    o.user.id,
                    o.top1 or "-",
                    _fmt(o.reuse_error),
                    _fmt(o.own_error),
                    _fmt(o.main_error),
                    _fmt(o.world_error),
                    _fmt(o.world_error_verbatim),
                    _fmt(o.ratio),
                )
                for o in het
            ],
        )
    table(
        "issue 21 targets",
        ("figure", "value", "target", "met"),
        [
            (label, "-" if v is None else v, target, "yes" if met else "NO")
            for label, v, target, met in _target_rows(result)
        ],
    )


def _foreign(market: WildMarket, o: Outcome) -> bool:
    return o.user.dataset not in market.datasets


def _fmt(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:.4g}"


def _shape(market: WildMarket) -> dict[str, Any]:
    kinds = ("random", "shift", "hetero", "unserved")
    return {
        "learnwares": len(market.learnwares),
        "learnwares_per_dataset": {
            d: sum(lw.dataset == d for lw in market.learnwares) for d in market.datasets
        },
        "variant_learnwares": sum(lw.variant for lw in market.learnwares),
        "classifiers": sum(lw.kind == "classification" for lw in market.learnwares),
        "gammas": _count(lw.gamma_choice for lw in market.learnwares),
        "styles": _count(lw.style for lw in market.learnwares),
        "users": {k: sum(u.kind == k for u in market.users) for k in kinds},
        "user_gammas": _count(u.gamma_choice.split(" ")[0] for u in market.users),
    }


def _count(values: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items()))


# ------------------------------------------------------------ calibration

CALIBRATION_SEEDS = (101, 102, 103)
"""Seeds of the calibration markets (the benchmark runs seed 0): other rows of each
group for learnwares and users, other column orders, styles and gammas."""
CALIBRATION_MAX_RANK = 3
CALIBRATION_FALSE_NO_MATCH = 0.02


@dataclass
class _CalibrationUser:
    seed: int
    kind: str
    has_island: bool
    rows: list[tuple[tuple[float, ...], bool]]  # (features, own) per result


def _calibration_users(market: WildMarket, seed: int) -> list[_CalibrationUser]:
    adapter = IslandSearchAdapter(no_match_below=0.0)
    adapter.fit([listed(lw) for lw in market.learnwares])
    out = []
    for user in market.users:
        found = adapter.core.search(
            user.semantic_spec, user.spec, top_k=CALIBRATION_MAX_RANK
        )
        out.append(
            _CalibrationUser(
                seed,
                user.kind,
                bool(found.candidates),
                [(r.features, r.key in user.own) for r in found.candidates],
            )
        )
    return out


def calibrate(size: MarketSize) -> dict[str, Any]:
    """Fit :data:`~learnware_core.search.island_search.CONFIDENCE_COEFFICIENTS` and
    choose :data:`~learnware_core.search.island_search.NO_MATCH_CONFIDENCE` on the
    users of markets built with :data:`CALIBRATION_SEEDS` (never the benchmark's
    seed); prints the reliability table (confidences cross-fitted: leave one
    market out) and returns what ``docs/search-trust.md`` reports."""
    from learnware_core.search.island_search import confidence_from_features

    users: list[_CalibrationUser] = []
    for seed in CALIBRATION_SEEDS:
        started = time.perf_counter()
        market = build_market(size, seed=seed)
        users += _calibration_users(market, seed)
        print(f"calibration market {seed}: {time.perf_counter() - started:.0f} s")
    fit_on = users  # unserved users' results are all "not own"
    X = np.asarray([f for u in fit_on for f, _ in u.rows], dtype=np.float64)
    y = np.asarray([own for u in fit_on for _, own in u.rows], dtype=bool)
    seeds = np.asarray([u.seed for u in fit_on for _ in u.rows])
    coefficients = fit_logistic(X, y)
    crossed = np.zeros(len(y))
    for seed in CALIBRATION_SEEDS:
        held = seeds == seed
        crossed[held] = confidence_from_features(
            X[held], fit_logistic(X[~held], y[~held])
        )
    top1 = np.asarray([i == 0 for u in fit_on for i in range(len(u.rows))])
    edges = np.array([0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97, 1.0])
    reliability = []
    for lo, hi in itertools.pairwise(edges):
        for name, sel in (("top-1", top1), ("all ranks", np.ones_like(top1))):
            inside = sel & (crossed >= lo) & ((crossed < hi) | (hi == 1.0))
            if inside.any():
                reliability.append(
                    {
                        "bin": f"{lo:g}-{hi:g}",
                        "results": name,
                        "n": int(inside.sum()),
                        "mean_confidence": round(float(crossed[inside].mean()), 3),
                        "observed_own": round(float(y[inside].mean()), 3),
                    }
                )
    # Threshold: best (cross-fitted) confidence per user.
    best: list[tuple[str, float]] = []
    k = 0
    for u in fit_on:
        best.append((u.kind, float(crossed[k]) if u.rows else 0.0))
        k += len(u.rows)
    served = np.asarray([b for kind, b in best if kind in ("random", "shift")])
    lost = np.asarray(
        [not u.has_island for u in fit_on if u.kind in ("random", "shift")]
    )
    threshold = 0.0
    for t in np.round(np.arange(0.0, 0.51, 0.01), 2):
        # Served users the threshold turns away (beyond those no island fits).
        if float(np.mean((served < t) & ~lost)) <= CALIBRATION_FALSE_NO_MATCH:
            threshold = float(t)
    unserved = [u for u in users if u.kind == "unserved"]
    unserved_best = [b for kind, b in best if kind == "unserved"]
    report = {
        "seeds": list(CALIBRATION_SEEDS),
        "users": {
            kind: sum(u.kind == kind for u in users)
            for kind in ("random", "shift", "hetero", "unserved")
        },
        "result_rows": len(y),
        "coefficients": [round(c, 4) for c in coefficients],
        "features": list(CONFIDENCE_FEATURES),
        "reliability_cross_fitted": reliability,
        "no_match_threshold": threshold,
        "false_no_match_at_threshold": round(
            float(np.mean((served < threshold) | lost)), 4
        ),
        "served_without_island": sum(
            not u.has_island for u in users if u.kind in ("random", "shift")
        ),
        "unserved_no_match_at_threshold": round(
            float(np.mean([b < threshold or b == 0.0 for b in unserved_best])), 4
        ),
        "unserved_with_island": sum(u.has_island for u in unserved),
        "top1_own_rate": round(float(y[top1].mean()), 4),
    }
    table(
        "reliability (cross-fitted confidence vs observed share of own learnwares)",
        ("bin", "results", "n", "mean confidence", "observed own"),
        [tuple(r.values()) for r in reliability],
    )
    return report


def make_searcher(
    market: WildMarket,
    *,
    searcher: Literal["island", "baseline"],
    world: Literal["baseline", "meaning"],
    engine: Any,
    task_filter: bool,
) -> Searcher:
    """The searcher to measure, with the cross-space reuser it hands hetero users."""
    base = StatIndexSearcher(engine=engine, task_filter=task_filter)
    reuser: CrossSpaceReuser | None = None
    if world == "meaning":
        reuser = meaning_world_reuser()
    elif engine is not None:
        base.fit([listed(lw) for lw in market.learnwares])
        reuser = base
    if searcher == "baseline":
        if world == "meaning":
            from benchmarks._wild_world import MeaningWorldReuser

            return MeaningWorldReuser(base)
        return base
    return IslandSearchAdapter(reuser=reuser, task_filter=task_filter)


def run(
    size: MarketSize,
    *,
    hetero: bool = True,
    task_filter: bool = False,
    seed: int = 0,
    searcher: Literal["island", "baseline"] = "island",
    world: Literal["baseline", "meaning"] = "baseline",
) -> dict[str, Any]:
    """Build the market, run the searcher, return the figures."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    market = build_market(size, seed=seed)
    seconds["market"] = time.perf_counter() - started
    shape = _shape(market)
    print(
        f"wild market: {shape['learnwares']} learnwares "
        f"({shape['learnwares_per_dataset']}), users {shape['users']}; "
        f"{seconds['market']:.0f} s"
    )
    engine = None
    if hetero and (searcher == "baseline" or world == "baseline"):
        started = time.perf_counter()
        engine = train_world(market)
        seconds["world_train"] = time.perf_counter() - started
        print(f"world engine {engine.version}: {seconds['world_train']:.0f} s")
    chosen = make_searcher(
        market, searcher=searcher, world=world, engine=engine, task_filter=task_filter
    )
    started = time.perf_counter()
    outcomes = evaluate(market, chosen, hetero=hetero)
    seconds["evaluate"] = time.perf_counter() - started
    result = figures(outcomes, market.datasets, hetero=hetero)
    _print_tables(market, outcomes, result)
    return {
        **result,
        "searcher": chosen.name,
        "world": world,
        "hetero_measured": hetero,
        "task_filter": task_filter,
        "market": shape,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized market")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 unless every target is met"
    )
    parser.add_argument(
        "--no-hetero",
        action="store_true",
        help="no world engine (faster; hetero figures not measured)",
    )
    parser.add_argument(
        "--task-filter",
        action="store_true",
        help="users filter by their task type (the search page's tag filter)",
    )
    parser.add_argument(
        "--searcher",
        choices=("island", "baseline"),
        default="island",
        help="island: the dock's island search (default); baseline: today's search",
    )
    parser.add_argument(
        "--world",
        choices=("baseline", "meaning"),
        default="baseline",
        help="cross-space reuse for heterogeneous users: the world engine's "
        "WorldAlignReuser (baseline) or benchmarks._wild_world.MeaningWorldReuser",
    )
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="fit the island search's confidence on calibration markets "
        "(seeds CALIBRATION_SEEDS, never the benchmark's users) and print it",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.calibrate:
        os.environ.setdefault("TQDM_DISABLE", "1")
        with single_thread():
            report = calibrate(QUICK if args.quick else FULL)
        print(json.dumps(report))
        return 0
    os.environ.setdefault("TQDM_DISABLE", "1")  # the encoder's loading bar
    started = time.perf_counter()
    with single_thread():
        result = run(
            QUICK if args.quick else FULL,
            hetero=not args.no_hetero,
            task_filter=args.task_filter,
            seed=args.seed,
            searcher=args.searcher,
            world=args.world,
        )
    return finish(
        result,
        quick=args.quick,
        started=started,
        checks=failed_checks if args.check else None,
    )


if __name__ == "__main__":
    raise SystemExit(main())
