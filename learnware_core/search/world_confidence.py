"""Confidence of results ranked in the specification world (issue 21, item 4).

A search whose table no island takes is ranked in the specification world: the
user's RKME and every learnware's are mapped by the engine into one space and
compared by squared MMD there (:class:`~learnware_core.search.index.StatIndex`).
Each such result gets a **confidence: the estimated chance that the learnware was
trained on data like the user's** (the user's own source group), a logistic function
of two features of its distance (squared MMD in the world) to the user's:

* ``log10(mmd2 / mmd2_best)``: how far behind the query's nearest learnware it is;
* ``log10(mmd2_next / mmd2)``: how far ahead of the next result it is (0 for the
  last result known).

Both are ratios, so they do not depend on the engine's scale. (The distance in units
of the query's resolution was tried too: across the two calibration markets it told
nothing, the held-out Brier score was worse than a constant.)

:data:`WORLD_CONFIDENCE_COEFFICIENTS` are fitted by ``python -m benchmarks.spec_world
--quick --archs deepsets --calibrate`` on that benchmark's heterogeneous users (mfeat
digit pairs, NYC-flights groups: the user holds columns no learnware has), the
reliability table cross-fitted by leaving one market out (``docs/search-trust.md``).
It is a small calibration set (20 users, 100 results, the 5 nearest per user);
held out by market the Brier score is 0.173, against 0.215 for the other market's
base rate, and the reliability is monotone but underconfident at the top (mean
confidence 0.47 where 71 % were the user's own). The figure is an estimate and the
result's reason says where it comes from.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core.search.island_search import confidence_from_features

__all__ = [
    "WORLD_CONFIDENCE_COEFFICIENTS",
    "WORLD_CONFIDENCE_FEATURES",
    "world_confidence",
    "world_features",
]

FloatArray = NDArray[np.float64]

WORLD_CONFIDENCE_FEATURES = ("log10_mmd2_over_best", "log10_next_over_mmd2")
"""The features, in :data:`WORLD_CONFIDENCE_COEFFICIENTS`' order."""

WORLD_CONFIDENCE_COEFFICIENTS: tuple[float, ...] = (-1.6521, 2.4391, -0.6774)
"""Weights of :data:`WORLD_CONFIDENCE_FEATURES`, then the intercept."""

_FLOOR = 1e-300


def world_features(mmd2: ArrayLike) -> FloatArray:
    """Rows of :data:`WORLD_CONFIDENCE_FEATURES` for one query's results.

    Parameters
    ----------
    mmd2 : array-like of shape (n,)
        Squared MMD of each result to the query in the world, ascending (the
        search's order); pass one result more than you show, so the last shown has
        a next.

    Returns
    -------
    features : ndarray of shape (n, 2)
    """
    d = np.maximum(np.asarray(mmd2, dtype=np.float64).reshape(-1), 0.0)
    if d.size == 0:
        return np.zeros((0, len(WORLD_CONFIDENCE_FEATURES)))
    d = np.maximum.accumulate(d)  # ascending, whatever rounding did
    scale = max(float(d.max()), _FLOOR) * 1e-9  # an exact copy: not infinitely ahead
    logs = np.log10(np.maximum(d, scale))
    lead = np.zeros_like(logs)
    lead[:-1] = logs[1:] - logs[:-1]
    return np.column_stack([logs - logs[0], lead])


def world_confidence(
    mmd2: ArrayLike, coefficients: Sequence[float] = WORLD_CONFIDENCE_COEFFICIENTS
) -> FloatArray:
    """The confidence of each of one query's world results, in (0, 1).

    Parameters
    ----------
    mmd2 : array-like of shape (n,)
        Ascending, as :func:`world_features` takes them.
    coefficients : sequence of float, default=WORLD_CONFIDENCE_COEFFICIENTS

    Returns
    -------
    confidence : ndarray of shape (n,)
    """
    return confidence_from_features(world_features(mmd2), coefficients)
