"""Island search: locate the user's island by meaning, rank there under the dock's
kernel, and say how much each answer can be trusted.

Issue 21, parts 1, 2 and 4 put together (``docs/search-trust.md``):

1. the user's column descriptions (or CSV header) and task locate the island(s)
   (:meth:`~learnware_core.islands.IslandMap.locate`), with the permutation that puts
   the user's columns in the island's order;
2. every member's columns are matched to the user's (description similarity
   and the RKMEs' per-column marginals), and the members, in the user's column
   order and scaled by the island's kernel
   (:func:`~learnware_core.search.island_kernel.fit_island_kernel`, refitted
   when the island has changed), are ranked by squared MMD to the user's
   RKME in one vectorised call per column-presence group; a user or a member lacking
   columns is compared on the shared columns under
   :meth:`~learnware_core.search.island_kernel.IslandKernel.restrict`. The RKMEs'
   own ``gamma`` plays no part, so a gamma mismatch is never an error;
3. a weighted combination is only ever formed among members of **one** island (one
   task, one label set, one target), with the decision rule of
   :mod:`learnware_core.search.mixture`; weights below ``min_weight`` are dropped;
4. every result and the combination carry a **confidence**: the estimated
   probability that the learnware was built on the user's own distribution (same
   source and task), from a logistic model of the match quality, the MMD² relative
   to the island's spread and to the query's resolution, and the margin to the
   runner-up (coefficients :data:`CONFIDENCE_COEFFICIENTS`, fitted on calibration
   users of seed-separated wild markets: ``python -m benchmarks.wild --calibrate``).
   Below :data:`NO_MATCH_CONFIDENCE`, or when no island fits, the answer is
   ``no_match`` with a reason.

Framework-free: numpy, scipy and the islands package.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from learnware_core.errors import SpecificationError
from learnware_core.islands import (
    IslandMap,
    IslandMatch,
    TableSignature,
    align_columns,
    is_placeholder,
    table_signature,
)
from learnware_core.kernels import packed_mmd_squared, packed_self_terms
from learnware_core.search.island_kernel import (
    IslandKernel,
    _column_scales,  # the island kernel's robust centre and scale, per column
    fit_island_kernel,
)
from learnware_core.search.mixture import fit_mixture_weights, source_labels
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.semantic import SemanticSpec

__all__ = [
    "CONFIDENCE_COEFFICIENTS",
    "CONFIDENCE_FEATURES",
    "NO_MATCH_CONFIDENCE",
    "IslandMixture",
    "IslandResult",
    "IslandSearchResult",
    "IslandSearcher",
    "confidence_from_features",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

CONFIDENCE_FEATURES: tuple[str, ...] = (
    "log10_mmd2_over_spread",
    "log10_mmd2_over_resolution",
    "log10_margin",
    "match_quality",
    "fed_share",
    "output_similarity",
)
"""Features of one result, in the order of :data:`CONFIDENCE_COEFFICIENTS`:

* ``log10(MMD² / spread)``: the result's squared MMD to the user over the island's
  spread (median squared MMD between two of its members, on the same columns);
* ``log10(MMD² / res_q)``: over the query's resolution (its sampling noise,
  :func:`~learnware_core.search.index.spec_resolution` under the island kernel);
* ``log10(margin)``: the runner-up's MMD² over this one's (for the best result the
  second best; for the others, the best: then <= 0);
* the island match quality (:attr:`IslandMatch.quality`; 0 for undescribed tables);
* the share of the learnware's columns that the user's data feeds;
* the output similarity: mean cosine of the best pairing of the user's and the
  island's output descriptions (1.0 when either is undescribed).
"""

CONFIDENCE_COEFFICIENTS: tuple[float, ...] = (
    -0.7211,
    -0.4913,
    2.2914,
    -0.3894,
    0.5256,
    0.0855,
    -1.1356,
)
"""Logistic weights of :data:`CONFIDENCE_FEATURES`, then the intercept.

Fitted by ``python -m benchmarks.wild --calibrate`` (L2 logistic regression, C = 1)
on the results of calibration users from wild markets built with other seeds than
the benchmark's (see ``docs/search-trust.md`` for the seeds, the reliability table
and the label: "this learnware is one of the user's own source and task"). The
benchmark's own users played no part."""

NO_MATCH_CONFIDENCE = 0.13
"""Below this best confidence the answer is "no good match" (chosen on the
calibration users: the largest value that keeps the false "no good match" rate on
served users at or below 0.02, see ``docs/search-trust.md``)."""

OUTPUT_MIN_SIMILARITY = 0.135
"""Islands whose output descriptions are less alike than this (mean cosine of the
best pairing) are not searched for the user. Chosen on the calibration markets:
phrasings of one label set can be as little alike as 0.14 ("seller's market" /
"under 4 months of inventory"), while a house's condition and its price band are
0.13 alike; so the output similarity also enters the confidence
(``docs/search-trust.md``). Fragile: it separates the calibration phrasings by
0.01."""

STAT_WEIGHT = 0.5
STAT_CAP = 4.0
REALIGN_MIN_SIMILARITY = 0.2
SCALE_WEIGHT = 0.5
IMPLAUSIBLE_DISTANCE = 25.0
SAME_WORDS_SIMILARITY = 0.6
"""Column re-alignment by meaning and statistics (:meth:`IslandSearcher._realign`):
the weight of the capped statistical distance against the description similarity,
its cap, the least description similarity of a pair kept, and the weight of the
scale term ``|log(s / s_ref)|`` in the distance (a reduced set's spread shrinks by
a factor that depends on the ``gamma`` it was fitted with: 0.1 in raw units gave
half the user's scale for the learnware's own columns; its centre does not move).
A pair whose centres are more than ``IMPLAUSIBLE_DISTANCE`` times the larger of the
two spreads apart (a calendar year against a month number; not a change of units,
not a shifted sample, not a reduced set's shrunken spread) is never kept unless its
descriptions are nearly the same words (``SAME_WORDS_SIMILARITY``): a column left
unfed is imputed from the learnware's RKME, a wrongly fed one corrupts both the
comparison and the learnware's predictions.
Choices checked on the calibration markets only (``docs/search-trust.md``)."""

PARTIAL_COVERAGE = 0.5
"""Islands whose column match covers at least this share of both sides' described
columns are searched too, although they do not *fit* (2/3): the columns are then
re-aligned by meaning and statistics, and the lower match quality enters the
confidence. A choice; the islands' matcher splits more than it merges
(``docs/islands.md``)."""

LOCATE_CANDIDATES = 32
"""Islands matched exactly when a user is located. The map is asked without the
user's output (compared here, by meaning), so islands of one task with other label
sets or targets compete for the places; more than the map's default (8) keeps the
user's own island among them in a market with many of those."""

MEMBER_COVERAGE = 2.0 / 3.0
"""Islands that share columns with the user's but neither fit nor reach
:data:`PARTIAL_COVERAGE` by description are still searched member by member: a
member is ranked when its own matching to the user's columns (meaning and
statistics, :meth:`IslandSearcher._pair`) feeds at least this share of its columns
and uses this share of the user's. This is what finds a learnware described by bare
CSV headers (``x``, ``y``, ``z``) for a user who wrote sentences: the descriptions
alone match too few columns, the marginals of a learnware built on the user's
distribution coincide with the user's. The islands' own rule (2/3)."""

UNFED_PENALTY = 0.8
"""Added to ``log10(MMD² / res_q)`` when results are ranked, per share of the
user's columns that the learnware does not take. Its MMD² is computed on the
columns it takes only: with fewer columns two distributions look closer, so a
learnware that ignores two of the user's ten columns would otherwise rank above the
one built on the user's data and compared on all ten. Chosen on the calibration
markets (``docs/search-trust.md``)."""

EXACT_SPREAD_RESULTS = 10
"""Best results (over all located islands) whose island spread is computed exactly;
the others use a cached one or, failing that, ``10 res`` (conservative: a lower
confidence). Bounds the Gram matrices a search builds (``docs/search-trust.md``)."""

MAX_RANKED = 200
"""Members of an island given a confidence per search: the closest by MMD² (their
column matching and MMD² are computed for all). Bounds the per-result work (its
spread, features and the combination's Gram matrix) on large islands."""

OUT_OF_RANGE = 2.5
"""A user column whose robust centre is further than this from every member's
(``|c - c_m| / sqrt(s s_m)``) is left out of the ranking on that island, when such
columns are a minority of the user's: it tells no member apart. Chosen on the
calibration markets (``docs/search-trust.md``)."""

UNDESCRIBED_DISCOUNT = 0.5
"""Confidence factor for results from an undescribed island. Not calibrated (the
calibration users all describe their columns): a choice that says "weaker"."""

_TINY = 1e-12
_GRAM_BLOCK_ROWS = 1024  # kernel rows per block in _gram (~50 MB at 6,400 points)


def confidence_from_features(
    features: FloatArray, coefficients: Sequence[float] = CONFIDENCE_COEFFICIENTS
) -> FloatArray:
    """Logistic confidence of rows of :data:`CONFIDENCE_FEATURES`.

    Parameters
    ----------
    features : ndarray of shape (n, len(CONFIDENCE_FEATURES))
    coefficients : sequence of float
        Weights then the intercept.

    Returns
    -------
    confidence : ndarray of shape (n,), in (0, 1)
    """
    X = np.asarray(features, dtype=np.float64)
    w = np.asarray(coefficients, dtype=np.float64)
    logit = X @ w[:-1] + w[-1]
    out: FloatArray = 1.0 / (1.0 + np.exp(-np.clip(logit, -50.0, 50.0)))
    return out


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class IslandResult:
    """One learnware found for the user.

    Attributes
    ----------
    key : hashable
        The learnware's key.
    island_id : int
    mmd2 : float
        Squared MMD to the user's RKME under the island's kernel (on the shared
        columns).
    confidence : float
        Estimated probability that this learnware was built on the user's own
        distribution (``docs/search-trust.md``).
    column_map : tuple of int
        For every learnware column, the user column that feeds it (-1: none).
    missing_columns : tuple of int
        Learnware columns the user's data cannot feed (its RKME mean, or the
        specification world, must fill them).
    features : tuple of float
        The :data:`CONFIDENCE_FEATURES` behind ``confidence``.
    reason : str or None
        Why this result may be weak, if it may.
    undescribed : bool
        From an island of undescribed tables (its confidence is discounted).
    """

    key: Hashable
    island_id: int
    mmd2: float
    confidence: float
    column_map: tuple[int, ...]
    missing_columns: tuple[int, ...] = ()
    features: tuple[float, ...] = ()
    reason: str | None = None
    undescribed: bool = False


@dataclass(frozen=True)
class IslandMixture:
    """A weighted combination of learnwares of one island.

    Attributes
    ----------
    keys : tuple
        Members by decreasing weight (none below the searcher's ``min_weight``).
    weights : tuple of float
        On the simplex.
    island_id : int
    mmd2 : float
        Squared MMD between the user's RKME and the weighted combination.
    best_single_mmd2 : float
    confidence : float
        The weight-averaged confidence of the members (the expected share of the
        combination's weight on learnwares of the user's own distribution).
    reason : str
    """

    keys: tuple[Hashable, ...]
    weights: tuple[float, ...]
    island_id: int
    mmd2: float
    best_single_mmd2: float
    confidence: float
    reason: str


@dataclass(frozen=True)
class IslandSearchResult:
    """The answer to one search.

    Attributes
    ----------
    results : tuple of IslandResult
        Best first (empty when ``no_match``).
    mixture : IslandMixture or None
        A proposed combination (never when ``no_match``).
    no_match : bool
        Nothing is trustworthy: no island fits, or the best confidence is below the
        threshold. ``reason`` says which.
    reason : str or None
        Why there is no match, or why the results may be weak.
    islands : tuple of IslandMatch
        The islands located for the user (fitting ones first).
    candidates : tuple of IslandResult
        What was ranked, also when ``no_match`` (for inspection and calibration).
    """

    results: tuple[IslandResult, ...] = ()
    mixture: IslandMixture | None = None
    no_match: bool = False
    reason: str | None = None
    islands: tuple[IslandMatch, ...] = ()
    candidates: tuple[IslandResult, ...] = ()

    @property
    def confidence(self) -> float:
        """The best confidence among the results (0.0 without results)."""
        return max((r.confidence for r in self.results), default=0.0)


# ------------------------------------------------------------------ state


@dataclass
class _Member:
    key: Hashable
    island_id: int
    z: FloatArray  # (K, D) in the island's column order, NaN where missing
    beta: FloatArray  # (K,)
    mask: BoolArray  # (D,) island columns the member has
    to_island: tuple[int, ...]  # learnware column -> island column (-1)
    reason: str | None
    raw_z: FloatArray | None = None  # (K, d) in the learnware's own column order
    texts: tuple[str, ...] = ()  # its column descriptions
    marginals: tuple[FloatArray, FloatArray] | None = None


@dataclass(frozen=True)
class _SpreadJob:
    """What a result's spread feature needs: its island, the island columns it
    is compared on, the island kernel, its MMD² and the query's resolution."""

    island_id: int
    cols: NDArray[np.int64]
    kernel: IslandKernel
    mmd2: float
    res: float


@dataclass
class _Group:
    """Members of one island with one column-presence mask, packed."""

    mask: BoolArray
    keys: list[Hashable]
    Z: FloatArray  # (M, D) scaled by the island kernel, NaN in missing columns
    B: FloatArray  # (M,)
    offsets: NDArray[np.int64]  # (n + 1,)


@dataclass
class _IslandState:
    members: dict[Hashable, _Member] = field(default_factory=dict)
    dirty: bool = True
    kernel: IslandKernel | None = None
    groups: list[_Group] = field(default_factory=list)
    cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    # Robust centre and scale of each island column, from the founder's reduced
    # set: what a column "looks like" when its alignment is checked by statistics.
    ref: tuple[FloatArray, FloatArray] | None = None


class IslandSearcher:
    """Search table learnwares island by island, with calibrated confidence.

    Not a scikit-learn estimator: learnwares are added and removed one at a time and
    searched in between. Thread-safe (one lock); kernels are refitted lazily, at the
    first search after an island changed.

    Parameters
    ----------
    islands : IslandMap, optional
        Default: a new map with the offline MiniLM column space.
    no_match_below : float, default=NO_MATCH_CONFIDENCE
        Best confidence under which the answer is "no good match".
    min_weight : float, default=0.1
        Combination members (sources) below this weight are dropped.
    max_mixture : int, default=10
        Best results a combination is formed from.
    max_spread_members : int, default=32
        Members used to estimate an island's spread (the median of their
        ``n (n - 1) / 2`` pairwise MMD²: 496 pairs; the Gram matrix costs
        ``(n K)^2`` kernel values, the largest cost of a search on big islands).
    max_islands : int, default=8
        Islands located for a user (fitting ones are searched).
    output_min_similarity : float, default=OUTPUT_MIN_SIMILARITY
        Islands whose outputs are less alike than this to the user's are skipped.
    random_state : int, default=0
        Seeds the kernel fits.

    Examples
    --------
    >>> searcher = IslandSearcher()                                # doctest: +SKIP
    >>> searcher.add("lw-1", semantic_spec, rkme)                  # doctest: +SKIP
    >>> found = searcher.search(["dep_delay", "carrier"], user_rkme,
    ...                         task="Regression")                 # doctest: +SKIP
    >>> found.no_match, found.results[0].key, found.results[0].confidence
    ...                                                            # doctest: +SKIP
    """

    def __init__(
        self,
        islands: IslandMap | None = None,
        *,
        no_match_below: float = NO_MATCH_CONFIDENCE,
        min_weight: float = 0.1,
        max_mixture: int = 10,
        max_spread_members: int = 32,
        max_islands: int = 8,
        output_min_similarity: float = OUTPUT_MIN_SIMILARITY,
        random_state: int = 0,
    ) -> None:
        self.islands = IslandMap() if islands is None else islands
        self.no_match_below = float(no_match_below)
        self.min_weight = float(min_weight)
        self.max_mixture = int(max_mixture)
        self.max_spread_members = int(max_spread_members)
        self.max_islands = int(max_islands)
        self.output_min_similarity = float(output_min_similarity)
        self.random_state = int(random_state)
        self._lock = threading.RLock()
        self._state: dict[int, _IslandState] = {}
        self._island_of: dict[Hashable, int] = {}

    # ------------------------------------------------------------ writing

    def add(
        self,
        key: Hashable,
        semantic_spec: SemanticSpec | Mapping[str, Any],
        stat_spec: RKMETableSpecification,
    ) -> int:
        """Put a table learnware on its island; returns the island id.

        Raises
        ------
        SpecificationError
            Malformed semantic spec, or an unfitted RKME.
        """
        z = np.asarray(getattr(stat_spec, "z_", None), dtype=np.float64)
        if z.ndim != 2 or z.shape[0] == 0:
            raise SpecificationError("the statistical specification is not fitted")
        beta = np.asarray(stat_spec.beta_, dtype=np.float64).reshape(-1)
        with self._lock:
            if key in self._island_of:
                self.remove(key)
            a = self.islands.assign(semantic_spec, int(z.shape[1]), key=key)
            state = self._state.setdefault(a.island_id, _IslandState())
            order = np.asarray(a.order, dtype=np.int64)
            if state.ref is None:
                state.ref = _marginals(align_columns(z, a.order), beta)
            elif not a.undescribed:
                columns = table_signature(semantic_spec, int(z.shape[1])).columns
                order = self._realign(columns, z, beta, a.island_id, state.ref)
            to_island = np.full(z.shape[1], -1, dtype=np.int64)
            to_island[order[order >= 0]] = np.flatnonzero(order >= 0)
            member = _Member(
                key=key,
                island_id=a.island_id,
                z=align_columns(z, order.tolist()),
                beta=beta,
                mask=order >= 0,
                to_island=tuple(int(c) for c in to_island),
                reason=a.reason,
                raw_z=z,
                texts=table_signature(semantic_spec, int(z.shape[1])).columns,
                marginals=_marginals(z, beta),
            )
            state.members[key] = member
            state.dirty = True
            self._island_of[key] = a.island_id
            return a.island_id

    def remove(self, key: Hashable) -> None:
        """Take a learnware out (no-op for an unknown key)."""
        with self._lock:
            island = self._island_of.pop(key, None)
            if island is None:
                return
            self.islands.remove(key)
            state = self._state[island]
            state.members.pop(key, None)
            state.dirty = True
            if not state.members:
                del self._state[island]

    def __len__(self) -> int:
        return len(self._island_of)

    def kernel(self, island_id: int) -> IslandKernel:
        """The island's current kernel (fitted if needed)."""
        with self._lock:
            return self._refresh(self._state[island_id]).kernel  # type: ignore[return-value]

    # ------------------------------------------------------------ searching

    def search(
        self,
        query: SemanticSpec | Mapping[str, Any] | Sequence[str],
        stat_spec: RKMETableSpecification,
        *,
        top_k: int = 10,
        task: str | None = None,
    ) -> IslandSearchResult:
        """Learnwares for a user's table, with confidence.

        Parameters
        ----------
        query : SemanticSpec, dict or sequence of str
            The user's semantic spec (``Input`` descriptions; ``Task``/``Output``
            when given) or the CSV header's column names.
        stat_spec : RKMETableSpecification
            The user's RKME, fitted with any ``gamma``, columns in the user's order.
        top_k : int, default=10
        task : str, optional
            Only islands of this task (``"Classification"``, ``"Regression"``).

        Returns
        -------
        result : IslandSearchResult
        """
        z_user = np.asarray(getattr(stat_spec, "z_", None), dtype=np.float64)
        if z_user.ndim != 2 or z_user.shape[0] == 0:
            raise SpecificationError("the user's RKME is not fitted")
        b_user = np.asarray(stat_spec.beta_, dtype=np.float64).reshape(-1)
        n_user = int(z_user.shape[1])
        signature = table_signature(query, n_user, task=task)
        with self._lock:
            # Columns and task locate the islands; the output is compared here, by
            # meaning (the islands' own output rule is strict wording, which splits
            # one target described in two ways into two islands).
            n_locate = max(self.max_islands, LOCATE_CANDIDATES)
            located = self.islands.locate(
                _without_output(query),
                n_user,
                task=task,
                top_k=n_locate,
                max_candidates=n_locate,
            )
            fitting: list[tuple[IslandMatch, float, bool]] = []
            for m in located:
                if m.island_id not in self._state:
                    continue
                partial = m.match is not None and m.match.coverage >= PARTIAL_COVERAGE
                if not (m.fits or partial or m.match is not None):
                    continue
                sim = self._output_similarity(signature, m.island_id)
                if sim >= self.output_min_similarity:
                    # not fitting by description: searched member by member
                    fitting.append((m, sim, not (m.fits or partial)))
            if not fitting:
                if any(m.fits for m in located):
                    why = "learnwares take your columns, but none predicts your output"
                elif located:
                    why = "your columns overlap an island only partly: " + (
                        located[0].reason or "too few shared columns"
                    )
                else:
                    why = "no island of learnwares matches your columns and task"
                return IslandSearchResult(
                    no_match=True, reason=f"no good match: {why}", islands=located
                )
            per_island: list[tuple[list[IslandResult], IslandMixture | None]] = []
            perms: dict[Hashable, tuple[int, ...]] = {}
            spreads: dict[Hashable, _SpreadJob] = {}
            far = self._far_columns(
                [m for m, _, _ in fitting], z_user, b_user, signature.columns, perms
            )
            for match, sim, by_member in fitting:
                per_island.append(
                    self._search_island(
                        match,
                        z_user,
                        b_user,
                        sim,
                        user_columns=signature.columns,
                        by_member=by_member,
                        far=far,
                        perms=perms,
                        spreads=spreads,
                    )
                )
            ranked = self._fill_spreads(
                [r for results, _ in per_island for r in results], spreads, n_user
            )
        candidates = _with_confidence(ranked, n_user)
        mixture = None
        if candidates:
            top_island = candidates[0].island_id
            mixture = next(
                (mix for _, mix in per_island if mix and mix.island_id == top_island),
                None,
            )
        if mixture is not None:
            conf = {r.key: r.confidence for r in candidates}
            mixture = replace(
                mixture,
                confidence=float(
                    sum(
                        w * conf.get(k, 0.0)
                        for k, w in zip(mixture.keys, mixture.weights, strict=True)
                    )
                ),
            )
        results = tuple(candidates[:top_k])
        best = results[0].confidence if results else 0.0
        if best < self.no_match_below:
            return IslandSearchResult(
                no_match=True,
                reason=(
                    f"no good match: the best result's confidence {best:.2f} is below "
                    f"{self.no_match_below:.2f} (your data is far from every "
                    f"learnware of the island)"
                ),
                islands=tuple(located),
                candidates=results,
            )
        return IslandSearchResult(
            results=results,
            mixture=mixture,
            reason=_answer_reason(results),
            islands=tuple(located),
            candidates=results,
        )

    # ------------------------------------------------------------ internals

    def _refresh(self, state: _IslandState) -> _IslandState:
        """Refit the kernel and repack the members if the island changed."""
        if not state.dirty and state.kernel is not None:
            return state
        members = list(state.members.values())
        z = np.concatenate([m.z for m in members], axis=0)
        b = np.concatenate([m.beta for m in members])
        offsets = np.concatenate(
            ([0], np.cumsum([m.z.shape[0] for m in members]))
        ).astype(np.int64)
        filled = _impute(z, b)
        state.kernel = fit_island_kernel(
            filled, b, offsets=offsets, random_state=self.random_state
        )
        groups: dict[bytes, list[_Member]] = {}
        for m in members:
            groups.setdefault(m.mask.tobytes(), []).append(m)
        state.groups = []
        for same in groups.values():
            state.groups.append(
                _Group(
                    mask=same[0].mask.copy(),
                    keys=[m.key for m in same],
                    Z=state.kernel.transform(np.concatenate([m.z for m in same])),
                    B=np.concatenate([m.beta for m in same]),
                    offsets=np.concatenate(
                        ([0], np.cumsum([m.z.shape[0] for m in same]))
                    ).astype(np.int64),
                )
            )
        state.cache = {}
        state.dirty = False
        return state

    def _self_terms(
        self, state: _IslandState, gi: int, cols: NDArray[np.int64], gamma: float
    ) -> FloatArray:
        key = ("self", gi, cols.tobytes())
        if key not in state.cache:
            g = state.groups[gi]
            state.cache[key] = packed_self_terms(
                np.ascontiguousarray(g.Z[:, cols]), g.B, gamma=gamma, offsets=g.offsets
            )
        out: FloatArray = state.cache[key]
        return out

    def _fill_spreads(
        self,
        results: Sequence[IslandResult],
        spreads: Mapping[Hashable, _SpreadJob],
        n_user: int,
    ) -> list[IslandResult]:
        """Set each result's spread feature: exactly for the
        :data:`EXACT_SPREAD_RESULTS` best (by :func:`_rank_units`, the order
        results are given in), from the cache or the conservative ``10 res``
        for the rest (far results: each miss costs a Gram matrix of
        ``max_spread_members`` reduced sets)."""
        n = n_user or max((len(r.column_map) for r in results), default=1)
        ranked = sorted(results, key=lambda r: _rank_units(r, n))
        out = []
        for i, r in enumerate(ranked):
            job = spreads.get(r.key)
            if job is None or math.isfinite(r.features[0]):
                out.append(r)
                continue
            spread = self._job_spread(job, exact=i < EXACT_SPREAD_RESULTS)
            x = list(r.features)
            x[0] = float(
                np.clip(math.log10((job.mmd2 + _TINY) / (spread + _TINY)), -6.0, 6.0)
            )
            out.append(replace(r, features=tuple(x)))
        return out

    def _job_spread(self, job: _SpreadJob, *, exact: bool) -> float:
        """The island's spread on ``job.cols`` (computed if ``exact``, else only
        if cached); ``10 res`` when there is none."""
        state = self._state.get(job.island_id)
        spread = math.nan
        if state is not None and job.cols.size:
            cached = state.cache.get(("spread", job.cols.tobytes()))
            if cached is not None:
                spread = float(cached)
            elif exact:
                gamma = job.kernel.restrict(job.cols.tolist()).gamma
                spread = self._spread(state, job.cols, gamma)
        if not math.isfinite(spread) or spread <= 0:
            spread = 10.0 * job.res  # one member: the query's noise as the scale
        return spread

    def _spread(
        self, state: _IslandState, cols: NDArray[np.int64], gamma: float
    ) -> float:
        """Median squared MMD between two members on ``cols`` (NaN if < 2)."""
        key = ("spread", cols.tobytes())
        if key in state.cache:
            return float(state.cache[key])
        sets: list[tuple[FloatArray, FloatArray]] = []
        for g in state.groups:
            if not g.mask[cols].all():
                continue
            for i in range(len(g.keys)):
                lo, hi = g.offsets[i], g.offsets[i + 1]
                sets.append((g.Z[lo:hi][:, cols], g.B[lo:hi]))
        if len(sets) > self.max_spread_members:
            rng = np.random.default_rng(self.random_state)
            pick = rng.choice(len(sets), size=self.max_spread_members, replace=False)
            sets = [sets[i] for i in sorted(pick)]
        value = math.nan
        if len(sets) >= 2:
            G = _gram(sets, gamma)
            d = np.diag(G)
            D = d[:, None] + d[None, :] - 2.0 * G
            iu = np.triu_indices(len(sets), 1)
            value = float(np.median(np.maximum(D[iu], 0.0)))
        state.cache[key] = value
        return value

    def _realign(
        self,
        columns: Sequence[str],
        z: FloatArray,
        beta: FloatArray,
        island_id: int,
        ref: tuple[FloatArray, FloatArray],
    ) -> NDArray[np.int64]:
        """For every island column, the table's column (-1: none), by meaning and
        statistics together.

        The pair score is the column-set similarity of the islands' matcher minus
        :data:`STAT_WEIGHT` times the (capped) statistical distance between the
        column's marginal in the table's reduced set and the island column's
        reference marginal: ``|c - c_ref| / sqrt(s s_ref) + |log(s / s_ref)|``.
        In raw units this separates columns that descriptions confuse (a
        percentage from a width in millimetres), while descriptions separate
        columns alike in distribution. Hungarian assignment; a pair is kept when
        its description similarity reaches :data:`REALIGN_MIN_SIMILARITY`, or when
        it is non-negative and the marginals are within 1 of each other.
        """
        info = self.islands.island(island_id)
        texts = [list(c) if c else ["unnamed"] for c in info.columns]
        S = self.islands.space.similarity_to_columns(list(columns), texts)
        c, sc = _marginals(z, beta)
        rc, rs = ref
        raw = _marginal_distance(c, sc, rc, rs)
        dist = np.nan_to_num(np.minimum(raw, STAT_CAP), nan=STAT_CAP / 2.0)
        score = S - STAT_WEIGHT * dist / STAT_CAP
        rows, cols = linear_sum_assignment(-score)
        order = np.full(len(info.columns), -1, dtype=np.int64)
        far = _centre_gap(c, sc, rc, rs)
        for i, j in zip(rows, cols, strict=True):
            if _keep_pair(S[i, j], dist[i, j], far[i, j]):
                order[j] = i
        return order

    def _output_similarity(self, user: TableSignature, island_id: int) -> float:
        """How alike the user's output and the island's are (1.0 if either is
        undescribed): the mean cosine of the best one-to-one pairing of their output
        descriptions; 0.0 for another output dimension."""
        info = self.islands.island(island_id)
        if (
            user.output_dim is not None
            and info.output_dim is not None
            and user.output_dim != info.output_dim
        ):
            return 0.0
        if not user.labels_described or not info.labels or not info.described:
            return 1.0
        if any(is_placeholder(t, labels=True) for t in info.labels):
            return 1.0
        if len(user.labels) != len(info.labels):
            return 0.0
        S = self.islands.space.raw_similarity(list(user.labels), list(info.labels))
        rows, cols = linear_sum_assignment(-S)
        return float(np.mean(S[rows, cols]))

    def _search_island(
        self,
        match: IslandMatch,
        z_user: FloatArray,
        b_user: FloatArray,
        output_similarity: float = 1.0,
        user_columns: Sequence[str] = (),
        by_member: bool = False,
        far: BoolArray | None = None,
        perms: dict[Hashable, tuple[int, ...]] | None = None,
        spreads: dict[Hashable, _SpreadJob] | None = None,
    ) -> tuple[list[IslandResult], IslandMixture | None]:
        """The island's members ranked for the user; each result's spread feature
        is NaN, to be filled by :meth:`_fill_spreads` (``spreads`` gets what it
        needs), unless ``spreads`` is None (then computed here)."""
        state = self._refresh(self._state[match.island_id])
        kernel = state.kernel
        assert kernel is not None
        user_order = np.asarray(match.order, dtype=np.int64)
        if not match.undescribed and state.ref is not None and user_columns:
            user_order = self._realign(
                user_columns, z_user, b_user, match.island_id, state.ref
            )
        if match.undescribed:  # undescribed tables: columns compared by position
            user_columns = ()
        user_mask = user_order >= 0
        q_all = kernel.transform(align_columns(z_user, user_order.tolist()))
        rows = self._pairwise_rows(
            state,
            kernel,
            user_order,
            z_user,
            b_user,
            list(user_columns),
            min_coverage=MEMBER_COVERAGE if by_member else 0.0,
            far=far,
            perms=perms,
            undescribed=match.undescribed,
        )
        if not rows:
            return [], None
        rows.sort(key=lambda row: row[1])
        del rows[MAX_RANKED:]  # the closest; a search's cost stays bounded
        results: list[IslandResult] = []
        for member, mmd2, res, cols, column_map in rows:
            job = _SpreadJob(match.island_id, cols, kernel, mmd2, res)
            if spreads is None:
                spread = self._job_spread(job, exact=True)
            else:
                spreads[member.key] = job
                spread = math.nan  # filled by _fill_spreads
            fed_share = float(np.mean(np.asarray(column_map) >= 0))
            x = np.array(
                [
                    math.log10((mmd2 + _TINY) / (spread + _TINY)),
                    math.log10((mmd2 + _TINY) / (res + _TINY)),
                    0.0,  # the margin: set across all located islands (search)
                    float(match.quality) if not match.undescribed else 0.0,
                    fed_share,
                    output_similarity,
                ]
            )
            x[:2] = np.clip(x[:2], -6.0, 6.0)
            missing = tuple(j for j, c in enumerate(column_map) if c < 0)
            # an undescribed island's reason is the user's and the member's alike
            said = (
                (match.reason,) if match.undescribed else (match.reason, member.reason)
            )
            reasons = [r for r in said if r]
            if missing:
                reasons.append(
                    f"your data lacks {len(missing)} of this learnware's "
                    f"{len(column_map)} columns"
                )
            results.append(
                IslandResult(
                    key=member.key,
                    island_id=match.island_id,
                    mmd2=mmd2,
                    confidence=0.0,  # set in search, with the margin
                    column_map=column_map,
                    missing_columns=missing,
                    features=tuple(float(v) for v in x),
                    reason="; ".join(dict.fromkeys(reasons)) or None,
                    undescribed=match.undescribed,
                )
            )
        mixture = self._mixture(state, match, q_all, b_user, user_mask, results)
        return results, mixture

    def _pairwise_rows(
        self,
        state: _IslandState,
        kernel: IslandKernel,
        user_order: NDArray[np.int64],
        z_user: FloatArray,
        b_user: FloatArray,
        user_columns: list[str],
        min_coverage: float = 0.0,
        far: BoolArray | None = None,
        perms: dict[Hashable, tuple[int, ...]] | None = None,
        undescribed: bool = False,
    ) -> list[tuple[_Member, float, float, NDArray[np.int64], tuple[int, ...]]]:
        """Squared MMD of every member to the user, each member's columns matched to
        the user's directly (meaning + statistics, as :meth:`_realign` but against
        the user's own marginals: a learnware of the user's distribution then
        aligns exactly), compared in the user's column space under the island
        kernel's scales; one packed call per column-presence group."""
        d_u = z_user.shape[1]
        cu, su = _marginals(z_user, b_user)
        # the kernel in the user's columns: island scales where the user's column
        # is on the island, the user's own elsewhere
        scales, center = su.copy(), cu.copy()
        on = user_order >= 0
        scales[user_order[on]] = kernel.column_scales[on]
        center[user_order[on]] = kernel.center[on]
        scales = np.where(np.isfinite(scales) & (scales > 0), scales, 1.0)
        center = np.nan_to_num(center)
        user_kernel = IslandKernel(
            column_scales=scales,
            center=center,
            gamma=kernel.gamma * kernel.n_features / d_u,
        )
        island_of_user = np.full(d_u, -1, dtype=np.int64)
        island_of_user[user_order[on]] = np.flatnonzero(on)
        Q = user_kernel.transform(z_user)
        groups: dict[bytes, list[tuple[_Member, FloatArray, tuple[int, ...]]]] = {}
        similarities: dict[tuple[str, ...], FloatArray] = {}  # per member wording
        entries: list[tuple[_Member, FloatArray, tuple[int, ...]]] = []
        for member in state.members.values():
            if member.raw_z is None or member.marginals is None:
                continue
            perm = self._member_perm(
                member, undescribed, user_columns, cu, su, perms, similarities
            )
            n_fed = sum(p >= 0 for p in perm)
            if min_coverage > 0 and (
                n_fed < min_coverage * len(perm) or n_fed < min_coverage * d_u
            ):
                continue
            Zu = np.full((member.raw_z.shape[0], d_u), np.nan)
            for j, u in enumerate(perm):
                if u >= 0:
                    Zu[:, u] = member.raw_z[:, j]
            if far is not None:
                Zu[:, far] = np.nan
            entries.append((member, Zu, perm))
        for member, Zu, perm in entries:
            mask = ~np.isnan(Zu[0])
            groups.setdefault(mask.tobytes(), []).append((member, Zu, perm))
        rows = []
        for same in groups.values():
            mask = ~np.isnan(same[0][1][0])
            cols = np.flatnonzero(mask).astype(np.int64)
            if cols.size == 0:
                continue
            sub = user_kernel.restrict(cols.tolist())
            Z = np.concatenate([zu[:, cols] for _, zu, _ in same])
            Zs = (Z - sub.center) / sub.column_scales
            B = np.concatenate([m.beta for m, _, _ in same])
            offsets = np.concatenate(
                ([0], np.cumsum([zu.shape[0] for _, zu, _ in same]))
            ).astype(np.int64)
            Qs = np.ascontiguousarray(Q[:, cols])
            dist = packed_mmd_squared(
                Qs, b_user, Zs, B, gamma=sub.gamma, offsets=offsets
            )
            res = _resolution(Qs, b_user, sub.gamma)
            on_island = island_of_user[cols]
            island_cols = np.sort(on_island[on_island >= 0]).astype(np.int64)
            for i, (member, _, perm) in enumerate(same):
                rows.append((member, float(dist[i]), res, island_cols, perm))
        return rows

    def _far_columns(
        self,
        matches: Sequence[IslandMatch],
        z_user: FloatArray,
        b_user: FloatArray,
        user_columns: Sequence[str],
        perms: dict[Hashable, tuple[int, ...]],
    ) -> BoolArray | None:
        """The user's columns whose robust centre is further than
        :data:`OUT_OF_RANGE` from that of every member of every searched island
        (None when there are none, or when they are not a minority).

        Such a column (a time split: the user's years are past every learnware's)
        tells no learnware apart, and under a Gaussian kernel it flattens every
        comparison; it is left out of the ranking (the learnwares are still fed
        it). Fills ``perms`` with each member's column matching."""
        d_u = z_user.shape[1]
        cu, su = _marginals(z_user, b_user)
        nearest = np.full(d_u, np.inf)
        similarities: dict[tuple[str, ...], FloatArray] = {}
        for match in matches:
            for member in self._state[match.island_id].members.values():
                if member.marginals is None:
                    continue
                perm = self._member_perm(
                    member,
                    match.undescribed,
                    list(user_columns),
                    cu,
                    su,
                    perms,
                    similarities,
                )
                c_m, s_m = member.marginals
                for j, u in enumerate(perm):
                    if u < 0:
                        continue
                    with np.errstate(invalid="ignore", divide="ignore"):
                        gap = abs(c_m[j] - cu[u]) / math.sqrt(s_m[j] * su[u])
                    if math.isfinite(gap):
                        nearest[u] = min(nearest[u], gap)
        far: BoolArray = np.isfinite(nearest) & (nearest > OUT_OF_RANGE)
        if 0 < int(far.sum()) <= (d_u - 1) // 2:
            return far
        return None

    def _member_perm(
        self,
        member: _Member,
        undescribed: bool,
        user_columns: list[str],
        cu: FloatArray,
        su: FloatArray,
        perms: dict[Hashable, tuple[int, ...]] | None,
        similarities: dict[tuple[str, ...], FloatArray] | None = None,
    ) -> tuple[int, ...]:
        """:meth:`_pair`, or the columns in order on an undescribed island (its
        tables' columns are assumed to be in the same order); cached in
        ``perms``."""
        perm = perms.get(member.key) if perms is not None else None
        if perm is None:
            if undescribed:
                raw = member.raw_z
                n_m = raw.shape[1] if raw is not None else len(member.texts)
                perm = tuple(j if j < len(cu) else -1 for j in range(n_m))
            else:
                perm = self._pair(member, user_columns, cu, su, similarities)
            if perms is not None:
                perms[member.key] = perm
        return perm

    def _pair(
        self,
        member: _Member,
        user_columns: list[str],
        cu: FloatArray,
        su: FloatArray,
        similarities: dict[tuple[str, ...], FloatArray] | None = None,
    ) -> tuple[int, ...]:
        """For every learnware column, the user's column (-1: none).
        ``similarities``: description similarities already computed in this
        search, by member wording (members often share their wording)."""
        assert member.marginals is not None
        n_m = len(member.texts)
        if not user_columns or not member.texts:
            ident = range(n_m)
            return tuple(j if j < len(cu) else -1 for j in ident)
        cached = None if similarities is None else similarities.get(member.texts)
        if cached is None:
            cached = self.islands.space.similarity(list(member.texts), user_columns)
            if similarities is not None:
                similarities[member.texts] = cached
        S = cached
        c, sc = member.marginals
        raw = _marginal_distance(c, sc, cu, su)
        dist = np.nan_to_num(np.minimum(raw, STAT_CAP), nan=STAT_CAP / 2.0)
        score = S - STAT_WEIGHT * dist / STAT_CAP
        rows, cols = linear_sum_assignment(-score)
        perm = [-1] * n_m
        # a placeholder (``x``, ``col_3``: similarity -1 to everything) is paired
        # on its statistics alone: against the user's own marginals, a learnware
        # built on the user's distribution shows which column it is
        unnamed = S <= -1.0 + 1e-9
        far = _centre_gap(c, sc, cu, su)
        for i, j in zip(rows, cols, strict=True):
            if _keep_pair(S[i, j], dist[i, j], far[i, j], unnamed=bool(unnamed[i, j])):
                perm[i] = int(j)
        return tuple(perm)

    def _mixture(
        self,
        state: _IslandState,
        match: IslandMatch,
        q_all: FloatArray,
        b_user: FloatArray,
        user_mask: BoolArray,
        results: Sequence[IslandResult],
        *,
        rel_margin: float = 0.3,
        noise_factor: float = 3.0,
        duplicate_factor: float = 10.0,
    ) -> IslandMixture | None:
        """The decision rule of :func:`~learnware_core.search.mixture.search_mixture`
        on the island's fully fed members (on the columns they all share)."""
        pool = sorted(
            (r for r in results if not r.missing_columns), key=lambda r: r.mmd2
        )[: self.max_mixture]
        if len(pool) < 2:
            return None
        members = [state.members[r.key] for r in pool]
        common = user_mask.copy()
        for m in members:
            common &= m.mask
        cols = np.flatnonzero(common).astype(np.int64)
        if cols.size == 0:
            return None
        kernel = state.kernel
        assert kernel is not None
        gamma = kernel.restrict(cols.tolist()).gamma
        sets = [
            (kernel.transform(np.nan_to_num(m.z))[:, cols], m.beta) for m in members
        ]
        Q = q_all[:, cols]
        allsets = [(Q, b_user), *sets]
        G_all = _gram(allsets, gamma)
        qq, c, G = float(G_all[0, 0]), G_all[0, 1:], G_all[1:, 1:]
        d = np.diag(G)
        single = np.maximum(qq - 2.0 * c + d, 0.0)
        best = int(np.argmin(single))
        idx = np.arange(len(members))
        w, mix = fit_mixture_weights(qq, c, G)
        noise = min(_resolution(Q, b_user, gamma), mix) if mix > 0 else _TINY
        labels = np.zeros(0, dtype=np.int64)
        while True:
            labels = source_labels(G[np.ix_(idx, idx)], w, duplicate_factor * noise)
            source_weight = np.bincount(labels, weights=w)
            keep = (source_weight[labels] >= self.min_weight) & (w > 1e-6)
            if keep.all() or not keep.any():
                break
            idx, labels = idx[keep], labels[keep]
            w, mix = fit_mixture_weights(qq, c[idx], G[np.ix_(idx, idx)])
        n_sources = int(np.unique(labels).shape[0])
        if n_sources < 2 or mix > (1.0 - rel_margin) * single[best]:
            return None
        if single[best] - mix < noise_factor * noise:
            return None
        order = np.argsort(-w, kind="stable")
        keys = tuple(pool[int(idx[j])].key for j in order)
        weights = tuple(float(w[j]) for j in order)
        conf = 0.0  # set in search, from the members' confidence
        return IslandMixture(
            keys=keys,
            weights=weights,
            island_id=match.island_id,
            mmd2=float(mix),
            best_single_mmd2=float(single[best]),
            confidence=conf,
            reason=(
                f"{n_sources} sources: MMD² {single[best]:.4g} -> {mix:.4g} "
                f"({(single[best] - mix) / noise:.1f} x the query's noise unit)"
            ),
        )


# ------------------------------------------------------------------ helpers


def _marginal_distance(
    c: FloatArray, s: FloatArray, c_ref: FloatArray, s_ref: FloatArray
) -> FloatArray:
    """``|c - c_ref| / sqrt(s s_ref) + SCALE_WEIGHT |log(s / s_ref)|`` for every
    pair of columns (rows: ``c``), uncapped (NaN where a scale is 0 or missing)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.abs(c[:, None] - c_ref[None, :]) / np.sqrt(s[:, None] * s_ref[None, :])
        out += SCALE_WEIGHT * np.abs(np.log(s[:, None] / s_ref[None, :]))
    return np.asarray(out, dtype=np.float64)


def _centre_gap(
    c: FloatArray, s: FloatArray, c_ref: FloatArray, s_ref: FloatArray
) -> FloatArray:
    """``|c - c_ref| / max(s, s_ref)`` for every pair of columns (rows: ``c``)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.abs(c[:, None] - c_ref[None, :]) / np.maximum(
            s[:, None], s_ref[None, :]
        )
    return np.asarray(out, dtype=np.float64)


def _keep_pair(
    similarity: float, dist: float, gap: float, *, unnamed: bool = False
) -> bool:
    """Whether an assigned pair of columns is kept: described alike, or (described
    at all, or a placeholder) and distributed alike; never when the centres are
    implausibly far apart (``gap``, :func:`_centre_gap`) unless the descriptions
    are nearly the same words."""
    if gap > IMPLAUSIBLE_DISTANCE and similarity < SAME_WORDS_SIMILARITY:
        return False
    return bool(
        similarity >= REALIGN_MIN_SIMILARITY
        or ((similarity >= 0.0 or unnamed) and dist <= 1.0)
    )


def _answer_reason(results: Sequence[IslandResult]) -> str | None:
    """The answer's reason: the results' reasons clause by clause, each once, the
    top result's first (each result keeps its own whole reason)."""
    clauses = (c.strip() for r in results if r.reason for c in r.reason.split(";"))
    return "; ".join(dict.fromkeys(c for c in clauses if c)) or None


def _rank_units(r: IslandResult, n_user: int) -> float:
    """``log10(MMD² / res_q)`` plus :data:`UNFED_PENALTY` per share of the user's
    columns the learnware does not take."""
    used = sum(c >= 0 for c in r.column_map)
    return r.features[1] + UNFED_PENALTY * (1.0 - used / max(n_user, 1))


def _with_confidence(
    results: Sequence[IslandResult], n_user: int = 0
) -> list[IslandResult]:
    """Results of all located islands ranked by MMD² in units of the query's
    resolution (comparable across islands, unlike MMD² under two kernels; see
    :func:`_rank_units` for learnwares compared on fewer of the user's columns),
    each with its margin to the runner-up and its confidence."""
    n = n_user or max((len(r.column_map) for r in results), default=1)
    ranked = sorted(results, key=lambda r: _rank_units(r, n))
    units = np.asarray([_rank_units(r, n) for r in ranked])
    out = []
    for i, r in enumerate(ranked):
        others = np.delete(units, i)
        x = np.asarray(r.features)
        x[2] = (
            float(np.clip(others.min() - units[i], -6.0, 6.0)) if others.size else 2.0
        )
        conf = float(confidence_from_features(x[None, :])[0])
        if r.undescribed:
            conf *= UNDESCRIBED_DISCOUNT
        out.append(replace(r, confidence=conf, features=tuple(float(v) for v in x)))
    return out


def _marginals(z: FloatArray, beta: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Weighted median and robust scale of each column (NaN columns: NaN)."""
    out_c = np.full(z.shape[1], np.nan)
    out_s = np.full(z.shape[1], np.nan)
    ok = ~np.isnan(z).any(axis=0)
    if ok.any():
        w = np.maximum(beta, 0.0)
        w = w / w.sum() if w.sum() > 0 else np.full(beta.shape, 1.0 / beta.shape[0])
        c, sc = _column_scales(z[:, ok], w)
        out_c[ok], out_s[ok] = c, sc
    return out_c, out_s


def _impute(z: FloatArray, b: FloatArray) -> FloatArray:
    """Missing columns (NaN) filled with the column's weighted mean elsewhere."""
    out = z.copy()
    nan = np.isnan(out)
    if not nan.any():
        return out
    w = np.maximum(b, 0.0)[:, None] * ~nan
    total = w.sum(axis=0)
    means = np.where(
        total > 0, (np.nan_to_num(out) * w).sum(axis=0) / np.maximum(total, _TINY), 0.0
    )
    out[nan] = np.broadcast_to(means, out.shape)[nan]
    return out


def _without_output(
    query: SemanticSpec | Mapping[str, Any] | Sequence[str],
) -> Mapping[str, Any] | Sequence[str]:
    """The query without its ``Output`` (compared by meaning, not by the map)."""
    if isinstance(query, SemanticSpec):
        query = query.to_dict()
    if isinstance(query, Mapping):
        return {k: v for k, v in query.items() if k != "Output"}
    return query


def _unaligned_share(member: _Member) -> float:
    """Share of the member's own columns that are on the island."""
    n = len(member.to_island)
    return sum(c >= 0 for c in member.to_island) / n if n else 0.0


def _gram(sets: Sequence[tuple[FloatArray, FloatArray]], gamma: float) -> FloatArray:
    """``G_ij = b_i' K(z_i, z_j) b_j`` for prescaled sets: the kernel matrix a block
    of whole sets' rows at a time (memory of one block row), summed per set."""
    sizes = np.array([s[0].shape[0] for s in sets], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    Z = np.concatenate([s[0] for s in sets], axis=0)
    B = np.concatenate([s[1] for s in sets])
    sq = np.einsum("ij,ij->i", Z, Z)
    G: FloatArray = np.empty((len(sets), len(sets)))
    first = 0
    while first < len(sets):
        last = first + 1  # whole sets, up to ~_GRAM_BLOCK_ROWS rows
        while last < len(sets) and starts[last] - starts[first] < _GRAM_BLOCK_ROWS:
            last += 1
        lo = int(starts[first])
        hi = int(starts[last]) if last < len(sets) else Z.shape[0]
        D = Z[lo:hi] @ Z.T
        D *= -2.0
        D += sq[lo:hi, None]
        D += sq[None, :]
        np.maximum(D, 0.0, out=D)
        D *= -gamma
        np.exp(D, out=D)
        D *= B[None, :]
        R = np.add.reduceat(D, starts, axis=1) * B[lo:hi, None]
        G[first:last] = np.add.reduceat(R, starts[first:last] - lo, axis=0)
        first = last
    return G


def _resolution(Q: FloatArray, b: FloatArray, gamma: float) -> float:
    """The query's resolution under an RBF on prescaled points (as
    :func:`~learnware_core.search.index.spec_resolution`)."""
    k_eff = 1.0 / max(float(b @ b), _TINY)
    self_term = float(_gram([(Q, b)], gamma)[0, 0])
    return max((1.0 - self_term) / k_eff, 1e-12)
