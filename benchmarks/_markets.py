"""Synthetic markets of table specifications for the search benchmark and tests.

A market has ``n_groups`` *tasks*; each task is a mixture of three unit-variance
Gaussians in ``d`` dimensions around a task centre. A learnware of task ``g`` sees
that mixture shifted by a small learnware-specific offset. Its specification is
built directly (``K`` draws with uniform weights, via ``from_dict``) instead of
fitted: fitting 100,000 RKMEs would take hours, and a uniform ``K``-sample is the
noisiest valid RKME, so it is a conservative test of search quality.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from learnware_core.specification.rkme import RKMETableSpecification

FloatArray = NDArray[np.float64]

MARKET_GAMMA = 0.02
"""Kernel parameter of the synthetic market: ``E k(x, x')`` within a component ~0.5."""


@dataclass(frozen=True)
class Market:
    """Task structure of a synthetic market.

    Attributes
    ----------
    centres : ndarray of shape (n_groups, 3, d)
        Component means of every task.
    offsets : ndarray of shape (n_learnwares, d)
        Per-learnware shift.
    groups : ndarray of int of shape (n_learnwares,)
        Task of every learnware.
    """

    centres: FloatArray
    offsets: FloatArray
    groups: NDArray[np.int64]
    k: int
    gamma: float


def make_market(
    n_learnwares: int,
    *,
    n_groups: int = 200,
    d: int = 20,
    k: int = 100,
    gamma: float = MARKET_GAMMA,
    seed: int = 0,
) -> Market:
    """Draw the task structure of a market (no specifications yet)."""
    rng = np.random.default_rng(seed)
    task = rng.normal(scale=3.0, size=(n_groups, 1, d))
    centres = task + rng.normal(scale=1.5, size=(n_groups, 3, d))
    groups = np.arange(n_learnwares, dtype=np.int64) % n_groups
    offsets = rng.normal(scale=0.3, size=(n_learnwares, d))
    return Market(centres, offsets, groups, k, gamma)


def sample_points(
    market: Market,
    group_weights: dict[int, float],
    n: int,
    rng: np.random.Generator,
    offset: FloatArray | None = None,
) -> FloatArray:
    """``n`` rows from a mixture of tasks (``{group: weight}``)."""
    groups = np.array(list(group_weights), dtype=np.int64)
    w = np.array(list(group_weights.values()), dtype=np.float64)
    g = groups[rng.choice(groups.shape[0], size=n, p=w / w.sum())]
    comp = rng.integers(3, size=n)
    d = market.centres.shape[2]
    X = market.centres[g, comp] + rng.normal(size=(n, d))
    if offset is not None:
        X = X + offset
    out: FloatArray = X
    return out


def spec_from_points(Z: FloatArray, gamma: float) -> RKMETableSpecification:
    """A valid RKME table specification with uniform weights on ``Z``."""
    k = Z.shape[0]
    return RKMETableSpecification.from_dict(
        {
            "z": Z.tolist(),
            "beta": [1.0 / k] * k,
            "gamma": gamma,
            "num_points": k,
            "type": "RKMETableSpecification",
        }
    )


def learnware_spec(market: Market, i: int, seed: int = 0) -> RKMETableSpecification:
    """The specification of learnware ``i`` (``K`` draws of its distribution)."""
    rng = np.random.default_rng((seed, i))
    Z = sample_points(
        market, {int(market.groups[i]): 1.0}, market.k, rng, market.offsets[i]
    )
    return spec_from_points(Z, market.gamma)


def fast_specs(market: Market, seed: int = 0) -> list[RKMETableSpecification]:
    """All learnware specifications, built without the JSON round trip."""
    rng = np.random.default_rng(seed)
    n = market.groups.shape[0]
    d = market.centres.shape[2]
    k = market.k
    comp = rng.integers(3, size=(n, k))
    Z = market.centres[market.groups[:, None], comp] + rng.normal(size=(n, k, d))
    Z += market.offsets[:, None, :]
    beta = np.full(k, 1.0 / k)
    specs = []
    for i in range(n):
        spec = RKMETableSpecification(gamma=market.gamma, n_points=k)
        spec.z_ = Z[i]
        spec.beta_ = beta
        spec.gamma_ = market.gamma
        spec.num_points_ = k
        spec.n_features_in_ = d
        spec.sample_shape_ = (d,)
        spec.n_iter_ = 0
        specs.append(spec)
    return specs


def user_spec(
    market: Market,
    group_weights: dict[int, float],
    rng: np.random.Generator,
) -> RKMETableSpecification:
    """A user's specification: ``K`` draws from a mixture of tasks."""
    return spec_from_points(
        sample_points(market, group_weights, market.k, rng), market.gamma
    )
