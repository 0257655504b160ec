"""Multiple-learnware search: simplex weights, known mixtures, no spurious mixtures."""

from __future__ import annotations

from typing import cast

import numpy as np
import pytest
from numpy.testing import assert_allclose

from learnware_core.search.index import StatIndex
from learnware_core.search.mixture import fit_mixture_weights, search_mixture
from learnware_core.specification.rkme import RKMETableSpecification

D, K, GAMMA = 5, 40, 0.05


def spec_of(z: np.ndarray, beta: np.ndarray | None = None) -> RKMETableSpecification:
    b = np.full(z.shape[0], 1.0 / z.shape[0]) if beta is None else beta
    return RKMETableSpecification.from_dict(
        {"z": z.tolist(), "beta": b.tolist(), "gamma": GAMMA}
    )


def market(seed: int = 0, copies: int = 6, groups: int = 8):
    """``groups`` tasks (well separated), ``copies`` noisy learnwares of each."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=6.0, size=(groups, D))
    specs = {
        (g, c): spec_of(centres[g] + rng.normal(size=(K, D)))
        for g in range(groups)
        for c in range(copies)
    }
    return centres, specs, rng


def test_fit_mixture_weights_on_simplex_and_exact() -> None:
    rng = np.random.default_rng(1)
    A = rng.normal(size=(6, 4))
    G = A @ A.T
    c = rng.normal(size=6)
    w, mmd2 = fit_mixture_weights(3.0, c, G)
    assert np.all(w >= 0)
    assert w.sum() == pytest.approx(1.0)
    assert mmd2 == pytest.approx(max(3.0 - 2 * c @ w + w @ G @ w, 0.0))


def test_recovers_known_mixture_weights() -> None:
    rng = np.random.default_rng(2)
    parts = [rng.normal(loc=6.0 * i, size=(K, D)) for i in range(4)]
    index = StatIndex()
    index.add_many((i, spec_of(p)) for i, p in enumerate(parts))
    # The user's embedding is exactly 0.6 * lw0 + 0.4 * lw2.
    z = np.vstack([parts[0], parts[2]])
    beta = np.concatenate([np.full(K, 0.6 / K), np.full(K, 0.4 / K)])
    result = search_mixture(index, spec_of(z, beta))
    assert result is not None
    assert result.accepted
    assert result.keys == (0, 2)
    assert_allclose(result.weights, [0.6, 0.4], atol=1e-6)
    assert result.mmd2 == pytest.approx(0.0, abs=1e-9)
    assert result.score == pytest.approx(1.0)


def test_single_task_users_get_no_spurious_mixture() -> None:
    centres, specs, rng = market(seed=3)
    index = StatIndex()
    index.add_many(specs.items())
    for g in range(len(centres)):
        user = spec_of(centres[g] + rng.normal(size=(K, D)))
        result = search_mixture(index, user)
        assert result is not None
        assert not result.accepted, result.reason
        assert cast(tuple[int, int], result.best_single_key)[0] == g


def test_mixed_users_get_their_tasks_with_the_largest_weights() -> None:
    centres, specs, rng = market(seed=4)
    index = StatIndex()
    index.add_many(specs.items())
    for a, b, wa in ((0, 5, 0.5), (2, 3, 0.7), (1, 6, 0.35)):
        n_a = int(wa * K)
        z = np.vstack(
            [
                centres[a] + rng.normal(size=(n_a, D)),
                centres[b] + rng.normal(size=(K - n_a, D)),
            ]
        )
        result = search_mixture(index, spec_of(z))
        assert result is not None
        assert result.accepted, result.reason
        weight: dict[int, float] = {}
        for key, w in zip(result.keys, result.weights, strict=True):
            group = cast(tuple[int, int], key)[0]
            weight[group] = weight.get(group, 0.0) + float(w)
        top = sorted(weight, key=lambda g: -weight[g])[:2]
        assert set(top) == {a, b}
        assert weight[a] == pytest.approx(wa, abs=0.15)
        assert np.all(result.weights >= 0.0)
        assert result.weights.sum() == pytest.approx(1.0)
        assert result.mmd2 < result.best_single_mmd2


def test_fitted_specs_of_nearby_groups_use_the_tighter_noise_unit() -> None:
    """Fitted RKMEs summarise far better than K random draws (``res_q``): groups a
    few ``res_q`` apart are still distinct sources, so a 50/50 user of two of them
    gets that mixture, while every single-group user gets none."""
    rng = np.random.default_rng(7)
    centres = rng.normal(scale=0.8, size=(6, D))

    def fitted(rows: np.ndarray, seed: int) -> RKMETableSpecification:
        return RKMETableSpecification(n_points=K, gamma=GAMMA, random_state=seed).fit(
            rows
        )

    index = StatIndex()
    index.add_many(
        (g, fitted(centres[g] + rng.normal(size=(3000, D)), g)) for g in range(6)
    )
    users = {g: fitted(centres[g] + rng.normal(size=(1500, D)), 10 + g) for g in (0, 1)}
    for g, user in users.items():
        result = search_mixture(index, user)
        assert result is not None
        assert not result.accepted, result.reason
        assert result.best_single_key == g
    rows = np.vstack(
        [centres[0] + rng.normal(size=(750, D)), centres[3] + rng.normal(size=(750, D))]
    )
    mixed = fitted(rows, 20)
    result = search_mixture(index, mixed)
    assert result is not None
    assert result.noise < index.resolution(mixed)  # the fitted residual is tighter
    assert result.accepted, result.reason
    assert set(cast(tuple[int, ...], result.keys[:2])) == {0, 3}
    assert_allclose(sorted(result.weights[:2]), [0.5, 0.5], atol=0.1)


@pytest.mark.parametrize("sketch_min_size", [256, 8], ids=["no-sketch", "sketch"])
def test_column_generation_finds_a_source_outside_the_best_singles(
    sketch_min_size: int,
) -> None:
    """The shortlist starts with 3 singles, all copies of the user's main task; the
    minor task must be proposed by the Frank-Wolfe step (exact on a pool, with or
    without the random-feature sketch)."""
    centres, specs, rng = market(seed=5)
    index = StatIndex(sketch_min_size=sketch_min_size)
    index.add_many(specs.items())
    a, b = 1, 4
    z = np.vstack(
        [
            centres[a] + rng.normal(size=(28, D)),
            centres[b] + rng.normal(size=(12, D)),
        ]
    )
    user = spec_of(z)
    singles = index.search_single(user, top_k=3)
    assert {cast(tuple[int, int], r.key)[0] for r in singles} == {a}
    result = search_mixture(index, user, max_candidates=3)
    assert result is not None
    assert result.accepted, result.reason
    groups = [cast(tuple[int, int], key)[0] for key in result.keys]
    assert set(groups) == {a, b}
    weight_b = sum(w for g, w in zip(groups, result.weights, strict=True) if g == b)
    assert weight_b == pytest.approx(0.3, abs=0.1)
