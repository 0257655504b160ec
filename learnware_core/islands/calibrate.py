"""Calibration of the column-match threshold, measured where it is used.

A threshold on the similarity of two column descriptions is only ever applied to the
pairs that the optimal assignment of two column sets *proposes*
(:func:`~learnware_core.islands.columns.match_from_similarity`). So it is calibrated
on such proposals. From every table of :data:`CALIBRATION_TABLES` (each column written
as a CSV header, a phrase and a sentence; domains the benchmarks do not use) and
every ordered pair of two different views, five column-set comparisons are built:

``same``
    All columns, the right side shuffled: every proposal should be accepted.
``subset``
    All columns against a random 3/4 of them (shuffled): the same island.
``overlap``
    The first 60 % against the last 60 % of the columns: only the shared ones
    should pair up (a different island; an overlap link).
``disjoint``
    The first half against the second half: nothing should pair up. These hold the
    hard negatives -- different columns of one table ("systolic" / "diastolic
    pressure", "weekend" / "weekday nights", "request" / "response size").
``other table``
    All columns against another domain's table: nothing should pair up.

A proposal is *positive* when it pairs the same column, otherwise *negative*.
:func:`calibrate_threshold` picks the similarity threshold with the best balanced
accuracy (mean of the acceptance rate of positives and the refusal rate of
negatives), on a 0.01 grid, taking the middle of the best run. The report also gives
the precision and recall of the matches themselves (accepted pairs against the true
correspondence) and how often the island rule (both sides' coverage >=
:data:`~learnware_core.islands.columns.ISLAND_COVERAGE`) reaches the decision that
the true correspondence gives. :data:`HELD_OUT_TABLES` play no part in any choice;
:func:`evaluate_threshold` on them is the honest figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from learnware_core.islands._calibration_data import (
    CALIBRATION_TABLES,
    HELD_OUT_TABLES,
    CalibrationTable,
)
from learnware_core.islands.columns import (
    ISLAND_COVERAGE,
    ColumnSpace,
    default_column_space,
    match_from_similarity,
)

__all__ = [
    "CALIBRATION_TABLES",
    "HELD_OUT_TABLES",
    "CalibrationReport",
    "CalibrationTable",
    "Scenario",
    "calibrate_threshold",
    "calibration_scenarios",
    "evaluate_threshold",
]

FloatArray = NDArray[np.float64]

_VIEW_PAIRS = ((0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1))


@dataclass(frozen=True)
class Scenario:
    """Two column sets and their true correspondence.

    Attributes
    ----------
    kind : str
        ``"same"``, ``"subset"``, ``"overlap"``, ``"disjoint"`` or
        ``"other table"``.
    left, right : tuple of str
        Column texts.
    truth : frozenset of (int, int)
        ``(left index, right index)`` of the columns that are the same.
    """

    kind: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    truth: frozenset[tuple[int, int]]

    @property
    def same_island(self) -> bool:
        """Whether the true correspondence covers :data:`ISLAND_COVERAGE` of both."""
        n = len(self.truth)
        return min(n / len(self.left), n / len(self.right)) >= ISLAND_COVERAGE


def calibration_scenarios(
    tables: Sequence[CalibrationTable], *, random_state: int = 0
) -> list[Scenario]:
    """The column-set comparisons of ``tables`` (see the module docstring).

    Parameters
    ----------
    tables : sequence of CalibrationTable
        At least two (``"other table"`` pairs each table with the next one).
    random_state : int, default=0
        Seeds the shuffles and subsets.

    Returns
    -------
    scenarios : list of Scenario
    """
    rng = np.random.default_rng(random_state)
    out: list[Scenario] = []
    for t, table in enumerate(tables):
        n = len(table.columns)
        other = tables[(t + 1) % len(tables)]
        for u, v in _VIEW_PAIRS:
            left, right = table.view(u), table.view(v)

            perm = rng.permutation(n)
            out.append(_scenario("same", left, right, np.arange(n), perm))
            keep = rng.choice(n, size=int(np.ceil(0.75 * n)), replace=False)
            out.append(_scenario("subset", left, right, np.arange(n), keep))
            m = int(np.ceil(0.6 * n))
            out.append(
                _scenario("overlap", left, right, np.arange(m), np.arange(n - m, n))
            )
            h = n // 2
            out.append(
                _scenario("disjoint", left, right, np.arange(h), np.arange(h, n))
            )
            out.append(
                Scenario(
                    kind="other table",
                    left=tuple(left),
                    right=tuple(other.view(v)),
                    truth=frozenset(),
                )
            )
    return out


def _scenario(
    kind: str,
    left: list[str],
    right: list[str],
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
) -> Scenario:
    """Columns ``rows`` of ``left`` against columns ``cols`` (in that order)."""
    where = {int(c): j for j, c in enumerate(cols)}
    truth = frozenset((i, where[int(r)]) for i, r in enumerate(rows) if int(r) in where)
    return Scenario(
        kind=kind,
        left=tuple(left[int(r)] for r in rows),
        right=tuple(right[int(c)] for c in cols),
        truth=truth,
    )


@dataclass(frozen=True)
class CalibrationReport:
    """How a threshold does on a set of scenarios.

    Attributes
    ----------
    threshold : float
    balanced_accuracy : float
        Of the assignment's proposals (accepted iff they pair the same column).
    proposal_recall, proposal_specificity : float
        Share of positive proposals accepted; of negative proposals refused.
    precision, recall : float
        Of the final matches: accepted pairs that are true; true pairs accepted.
    island_accuracy : float
        Share of scenarios where the island rule on the match agrees with the rule
        on the true correspondence.
    island_accuracy_by_kind : tuple of (str, float)
    n_scenarios, n_positive, n_negative : int
        Scenarios; positive and negative proposals.
    """

    threshold: float
    balanced_accuracy: float
    proposal_recall: float
    proposal_specificity: float
    precision: float
    recall: float
    island_accuracy: float
    island_accuracy_by_kind: tuple[tuple[str, float], ...]
    n_scenarios: int
    n_positive: int
    n_negative: int


@dataclass(frozen=True)
class _Scored:
    """Similarity matrices of the scenarios and their proposals' labels."""

    scenarios: list[Scenario]
    similarities: list[FloatArray]
    proposal_scores: FloatArray
    proposal_true: NDArray[np.bool_]


def _score(tables: Sequence[CalibrationTable], space: ColumnSpace) -> _Scored:
    scenarios = calibration_scenarios(tables)
    similarities = [space.similarity(s.left, s.right) for s in scenarios]
    scores: list[float] = []
    labels: list[bool] = []
    for scenario, S in zip(scenarios, similarities, strict=True):
        rows, cols = linear_sum_assignment(S, maximize=True)
        for i, j in zip(rows, cols, strict=True):
            scores.append(float(S[i, j]))
            labels.append((int(i), int(j)) in scenario.truth)
    return _Scored(
        scenarios=scenarios,
        similarities=similarities,
        proposal_scores=np.asarray(scores),
        proposal_true=np.asarray(labels, dtype=bool),
    )


def _balanced_accuracy(scored: _Scored, threshold: float) -> tuple[float, float, float]:
    accepted = scored.proposal_scores >= threshold
    pos, neg = scored.proposal_true, ~scored.proposal_true
    recall = float(accepted[pos].mean()) if pos.any() else 0.0
    specificity = float((~accepted[neg]).mean()) if neg.any() else 1.0
    return (recall + specificity) / 2.0, recall, specificity


def _report(scored: _Scored, threshold: float) -> CalibrationReport:
    balanced, proposal_recall, specificity = _balanced_accuracy(scored, threshold)
    tp = fp = fn = 0
    agree: dict[str, list[bool]] = {}
    for scenario, S in zip(scored.scenarios, scored.similarities, strict=True):
        match = match_from_similarity(
            S,
            described_left=len(scenario.left),
            described_right=len(scenario.right),
            threshold=threshold,
        )
        found = {(p.left, p.right) for p in match.pairs}
        tp += len(found & scenario.truth)
        fp += len(found - scenario.truth)
        fn += len(scenario.truth - found)
        decided = match.coverage >= ISLAND_COVERAGE
        agree.setdefault(scenario.kind, []).append(decided == scenario.same_island)
    every = [a for kind in agree.values() for a in kind]
    return CalibrationReport(
        threshold=float(threshold),
        balanced_accuracy=balanced,
        proposal_recall=proposal_recall,
        proposal_specificity=specificity,
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        island_accuracy=float(np.mean(every)),
        island_accuracy_by_kind=tuple(
            (kind, float(np.mean(values))) for kind, values in agree.items()
        ),
        n_scenarios=len(scored.scenarios),
        n_positive=int(scored.proposal_true.sum()),
        n_negative=int((~scored.proposal_true).sum()),
    )


def evaluate_threshold(
    threshold: float,
    tables: Sequence[CalibrationTable] = HELD_OUT_TABLES,
    *,
    space: ColumnSpace | None = None,
) -> CalibrationReport:
    """How ``threshold`` does on the scenarios of ``tables``.

    Parameters
    ----------
    threshold : float
    tables : sequence of CalibrationTable, default=HELD_OUT_TABLES
    space : ColumnSpace, optional
        Default :func:`~learnware_core.islands.columns.default_column_space`.

    Returns
    -------
    report : CalibrationReport
    """
    space = default_column_space() if space is None else space
    return _report(_score(tables, space), threshold)


def calibrate_threshold(
    tables: Sequence[CalibrationTable] = CALIBRATION_TABLES,
    *,
    space: ColumnSpace | None = None,
    decimals: int = 2,
) -> CalibrationReport:
    """The threshold with the best balanced accuracy on the scenarios of ``tables``.

    Parameters
    ----------
    tables : sequence of CalibrationTable, default=CALIBRATION_TABLES
    space : ColumnSpace, optional
        Default :func:`~learnware_core.islands.columns.default_column_space`.
    decimals : int, default=2
        Grid step ``10**-decimals`` over [0, 1]; of equally good thresholds the
        middle of the longest run is taken (farthest from the nearest errors).

    Returns
    -------
    report : CalibrationReport
        At the chosen threshold, on ``tables``.
    """
    space = default_column_space() if space is None else space
    scored = _score(tables, space)
    step = 10.0**-decimals
    grid = np.round(np.arange(0.0, 1.0 + step / 2, step), decimals)
    accuracy = np.array([_balanced_accuracy(scored, float(t))[0] for t in grid])
    best = np.flatnonzero(accuracy >= accuracy.max() - 1e-12)
    runs = np.split(best, np.flatnonzero(np.diff(best) != 1) + 1)
    run = max(runs, key=len)
    return _report(scored, float(grid[run[len(run) // 2]]))
