"""Gaussian kernel and MMD: checked against naive double sums, seeded, Django-free."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from learnware_core import kernels
from learnware_core.errors import SpecificationError
from learnware_core.kernels import (
    mmd_squared,
    mmd_squared_to_data,
    packed_mmd_squared,
    packed_self_terms,
    rbf_kernel,
)


def _naive_kernel(u: np.ndarray, v: np.ndarray, gamma: float) -> float:
    return float(np.exp(-gamma * np.sum((u - v) ** 2)))


def _naive_mmd2(a, wa, b, wb, gamma):
    """Textbook double sum; slow but obviously right."""

    def term(p, wp, q, wq):
        return sum(
            wp[i] * wq[j] * _naive_kernel(p[i], q[j], gamma)
            for i in range(len(p))
            for j in range(len(q))
        )

    return term(a, wa, a, wa) - 2 * term(a, wa, b, wb) + term(b, wb, b, wb)


def _simplex(rng: np.random.Generator, n: int) -> np.ndarray:
    w = rng.random(n)
    return w / w.sum()


def test_rbf_kernel_matches_naive_entries():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(4, 3))

    K = rbf_kernel(X, Y, gamma=0.7)

    expected = [[_naive_kernel(x, y, 0.7) for y in Y] for x in X]
    assert_allclose(K, expected, rtol=1e-13)


def test_rbf_kernel_self_has_unit_diagonal_and_is_symmetric():
    X = np.random.default_rng(1).normal(size=(20, 5)) * 100.0

    K = rbf_kernel(X, gamma=0.1)

    assert_array_equal(np.diag(K), np.ones(20))
    assert_array_equal(K, K.T)
    assert K.min() >= 0.0
    assert K.max() <= 1.0


@pytest.mark.parametrize("gamma", [0.0, -1.0, float("nan"), float("inf"), True])
def test_rbf_kernel_rejects_bad_gamma(gamma):
    with pytest.raises(SpecificationError, match="gamma"):
        rbf_kernel([[0.0]], gamma=gamma)


def test_rbf_kernel_rejects_mismatched_widths_and_nan():
    with pytest.raises(SpecificationError, match="features"):
        rbf_kernel(np.zeros((2, 3)), np.zeros((2, 4)), gamma=1.0)
    with pytest.raises(SpecificationError, match="NaN"):
        rbf_kernel([[np.nan]], gamma=1.0)


def test_mmd_squared_matches_naive_double_sum():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(7, 3)), rng.normal(size=(5, 3))
    wa, wb = np.full(7, 1 / 7), np.full(5, 1 / 5)

    expected = _naive_mmd2(a, wa, b, wb, gamma=0.5)

    assert_allclose(mmd_squared(a, wa, b, wb, gamma=0.5), expected, rtol=1e-12)


def test_mmd_squared_matches_naive_with_unequal_weights():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(9, 4)), rng.normal(size=(6, 4)) + 0.5
    wa, wb = _simplex(rng, 9), _simplex(rng, 6)

    expected = _naive_mmd2(a, wa, b, wb, gamma=0.2)

    assert_allclose(mmd_squared(a, wa, b, wb, gamma=0.2), expected, rtol=1e-12)


def test_mmd_squared_is_zero_on_identical_sets_and_symmetric():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(8, 2)), rng.normal(size=(5, 2))
    wa, wb = _simplex(rng, 8), _simplex(rng, 5)

    assert mmd_squared(a, wa, a, wa, gamma=0.3) == 0.0
    assert mmd_squared(a, wa, a.copy(), wa.copy(), gamma=0.3) == pytest.approx(
        0.0, abs=1e-15
    )
    assert mmd_squared(a, wa, b, wb, gamma=0.3) == pytest.approx(
        mmd_squared(b, wb, a, wa, gamma=0.3), rel=1e-13
    )


def test_mmd_squared_is_translation_invariant_far_from_origin():
    # |x|^2 - 2xy + |y|^2 alone would lose ~all digits at |x| ~ 1e6.
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(10, 3)), rng.normal(size=(12, 3)) + 0.3
    wa, wb = _simplex(rng, 10), _simplex(rng, 12)
    shift = np.array([1e6, -3e6, 5e5])

    near = mmd_squared(a, wa, b, wb, gamma=0.5)
    far = mmd_squared(a + shift, wa, b + shift, wb, gamma=0.5)

    assert_allclose(far, near, rtol=1e-6)
    assert mmd_squared(a + shift, wa, (a + shift).copy(), wa, gamma=0.5) < 1e-12


def test_mmd_squared_to_data_equals_uniform_weights(monkeypatch):
    rng = np.random.default_rng(5)
    z, X = rng.normal(size=(6, 3)), rng.normal(size=(150, 3))
    beta = _simplex(rng, 6)
    expected = mmd_squared(z, beta, X, np.full(150, 1 / 150), gamma=0.4)

    monkeypatch.setattr(kernels, "_BLOCK_ELEMENTS", 64)  # force many small blocks
    blocked = mmd_squared_to_data(z, beta, X, gamma=0.4)

    assert_allclose(blocked, expected, rtol=1e-12)
    assert_allclose(blocked, _naive_mmd2(z, beta, X, np.full(150, 1 / 150), 0.4))


def test_kernels_do_not_mutate_inputs():
    rng = np.random.default_rng(6)
    a, b = rng.normal(size=(5, 2)), rng.normal(size=(4, 2))
    wa, wb = _simplex(rng, 5), _simplex(rng, 4)
    copies = [x.copy() for x in (a, b, wa, wb)]

    rbf_kernel(a, b, gamma=1.0)
    mmd_squared(a, wa, b, wb, gamma=1.0)
    mmd_squared_to_data(a, wa, b, gamma=1.0)
    packed_mmd_squared(a, wa, b[None], wb[None], gamma=1.0)

    for original, copy in zip((a, b, wa, wb), copies, strict=True):
        assert_array_equal(original, copy)


def _random_sets(rng, sizes, d):
    Z = [rng.normal(size=(k, d)) + rng.normal(size=d) for k in sizes]
    B = [_simplex(rng, k) for k in sizes]
    return Z, B


def test_packed_mmd_squared_dense_equals_per_pair():
    rng = np.random.default_rng(7)
    Z, B = _random_sets(rng, [6] * 5, d=3)
    q, qb = rng.normal(size=(4, 3)), _simplex(rng, 4)

    got = packed_mmd_squared(q, qb, np.stack(Z), np.stack(B), gamma=0.3)

    expected = [mmd_squared(q, qb, z, b, gamma=0.3) for z, b in zip(Z, B, strict=True)]
    assert_allclose(got, expected, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("precompute", [False, True])
def test_packed_mmd_squared_ragged_equals_per_pair(precompute):
    rng = np.random.default_rng(8)
    Z, B = _random_sets(rng, [3, 7, 1, 5], d=2)
    offsets = np.concatenate(([0], np.cumsum([len(z) for z in Z])))
    Zcat, Bcat = np.concatenate(Z), np.concatenate(B)
    q, qb = Z[1].copy(), B[1].copy()  # the query is also one of the stored sets
    selfs = (
        packed_self_terms(Zcat, Bcat, gamma=0.5, offsets=offsets)
        if precompute
        else None
    )

    got = packed_mmd_squared(
        q, qb, Zcat, Bcat, gamma=0.5, offsets=offsets, self_terms=selfs
    )

    expected = [mmd_squared(q, qb, z, b, gamma=0.5) for z, b in zip(Z, B, strict=True)]
    assert_allclose(got, expected, rtol=1e-10, atol=1e-14)
    assert got[1] == pytest.approx(0.0, abs=1e-14)


def test_packed_self_terms_match_naive_norms():
    rng = np.random.default_rng(9)
    Z, B = _random_sets(rng, [2, 4], d=2)
    offsets = [0, 2, 6]

    got = packed_self_terms(
        np.concatenate(Z), np.concatenate(B), gamma=1.0, offsets=offsets
    )

    expected = [
        sum(
            b[i] * b[j] * _naive_kernel(z[i], z[j], 1.0)
            for i in range(len(z))
            for j in range(len(z))
        )
        for z, b in zip(Z, B, strict=True)
    ]
    assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize("offsets", [[0, 2], [1, 3], [0, 3, 2, 3], [0, 4]])
def test_packed_mmd_squared_rejects_bad_offsets(offsets):
    Z = np.zeros((3, 2))
    with pytest.raises(SpecificationError, match="offsets"):
        packed_mmd_squared(
            [[0.0, 0.0]], [1.0], Z, np.full(3, 1 / 3), gamma=1.0, offsets=offsets
        )


def test_packed_mmd_squared_rejects_dimension_mismatch():
    with pytest.raises(SpecificationError, match="features"):
        packed_mmd_squared(
            [[0.0, 0.0]], [1.0], np.zeros((2, 3, 4)), np.ones((2, 3)) / 3, gamma=1.0
        )
