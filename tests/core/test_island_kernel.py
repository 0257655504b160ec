"""Island kernel: naive references, storage, diagnostics and identification quality.

Seeded and Django-free. The identification check builds small synthetic markets with
``benchmarks.island_kernel.make_market`` (the benchmark runs the full-sized version).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from benchmarks.island_kernel import (
    GammaChoice,
    Shape,
    dock_today_matrix,
    identification,
    island_mmd_matrix,
    make_market,
    own_gamma_mmd_matrix,
)
from learnware_core.errors import SpecificationError
from learnware_core.search.island_kernel import (
    DEFAULT_RULE,
    IslandKernel,
    fit_island_kernel,
    island_mmd_squared,
    island_self_terms,
    kernel_flatness,
    spec_kernel_flatness,
    stack_reduced_sets,
)
from learnware_core.specification.rkme import RKMETableSpecification


def _naive_island_mmd2(a, wa, b, wb, scales, gamma):
    """Explicit three-term formula with k(x, y) = exp(-gamma ||(x - y) / s||^2)."""

    def k(u, v):
        return np.exp(-gamma * np.sum(((u - v) / scales) ** 2))

    def term(p, wp, q, wq):
        return sum(
            wp[i] * wq[j] * k(p[i], q[j]) for i in range(len(p)) for j in range(len(q))
        )

    return term(a, wa, a, wa) - 2 * term(a, wa, b, wb) + term(b, wb, b, wb)


def _simplex(rng: np.random.Generator, n: int) -> np.ndarray:
    w = rng.random(n)
    return w / w.sum()


def _raw_sets(rng: np.random.Generator, sizes, d: int = 3):
    units = np.array([1.0, 1e4, 1e-2])[:d]
    return [rng.normal(size=(k, d)) * units + 5.0 * units for k in sizes]


# ------------------------------------------------------------------ exactness


def test_island_mmd_matches_naive_pairs_loop_ragged_and_prescaled():
    rng = np.random.default_rng(0)
    sets = _raw_sets(rng, (4, 7, 1, 5))
    weights = [_simplex(rng, len(s)) for s in sets]
    query, q_beta = _raw_sets(rng, (6,))[0], _simplex(rng, 6)
    kernel = IslandKernel(
        column_scales=np.array([1.3, 2e4, 0.02]), center=np.full(3, 7.0), gamma=0.4
    )
    z, beta = np.concatenate(sets), np.concatenate(weights)
    offsets = np.cumsum([0, *map(len, sets)])

    got = island_mmd_squared(query, q_beta, z, beta, kernel, offsets=offsets)
    zs = kernel.transform(z)
    selfs = island_self_terms(zs, beta, kernel, offsets=offsets, prescaled=True)
    got_pre = island_mmd_squared(
        query,
        q_beta,
        zs,
        beta,
        kernel,
        offsets=offsets,
        self_terms=selfs,
        prescaled=True,
    )

    expected = [
        _naive_island_mmd2(query, q_beta, s, w, kernel.column_scales, 0.4)
        for s, w in zip(sets, weights, strict=True)
    ]
    expected_selfs = [
        _naive_island_mmd2(s, w, s[:0], w[:0], kernel.column_scales, 0.4)
        for s, w in zip(sets, weights, strict=True)
    ]
    assert_allclose(got, expected, rtol=1e-10, atol=1e-13)
    assert_allclose(got_pre, expected, rtol=1e-10, atol=1e-13)
    assert_allclose(selfs, expected_selfs, rtol=1e-12)


def test_island_mmd_stacked_layout_equals_ragged_and_leaves_inputs_untouched():
    rng = np.random.default_rng(1)
    Z = np.stack(_raw_sets(rng, (5, 5, 5)))
    B = np.stack([_simplex(rng, 5) for _ in range(3)])
    before = Z.copy(), B.copy()
    kernel = fit_island_kernel(Z, B)

    stacked = island_mmd_squared(Z[1], B[1], Z, B, kernel)
    ragged = island_mmd_squared(
        Z[1], B[1], Z.reshape(15, 3), B.reshape(15), kernel, offsets=[0, 5, 10, 15]
    )

    assert_allclose(stacked, ragged, rtol=1e-12, atol=1e-15)
    assert stacked[1] == pytest.approx(0.0, abs=1e-12)
    assert_array_equal(Z, before[0])
    assert_array_equal(B, before[1])


def test_specs_of_any_gamma_are_compared_without_error():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(300, 3)) * [1.0, 1.0, 1e4]
    gammas: tuple[GammaChoice, ...] = (0.1, "median", 2.7e-7, 10.0)
    specs = [
        RKMETableSpecification(gamma=g, n_points=15, random_state=0).fit(X)
        for g in gammas
    ]
    kernel = fit_island_kernel(specs)
    z, beta, offsets = stack_reduced_sets(specs)

    mmd2 = island_mmd_squared(
        specs[0].z_, specs[0].beta_, z, beta, kernel, offsets=offsets
    )

    assert kernel.n_specs == 4
    assert mmd2.shape == (4,)
    assert np.isfinite(mmd2).all()
    assert mmd2[0] == pytest.approx(0.0, abs=1e-12)


# ------------------------------------------------------------------ fitting


def test_column_scales_follow_units_so_comparisons_do_not():
    rng = np.random.default_rng(3)
    Z = rng.normal(size=(4, 10, 3))
    B = np.stack([_simplex(rng, 10) for _ in range(4)])
    units = np.array([1.0, 1e4, 1e-3])

    plain = fit_island_kernel(Z, B)
    raw = fit_island_kernel(Z * units, B)

    assert_allclose(raw.column_scales, plain.column_scales * units, rtol=1e-12)
    assert raw.gamma == pytest.approx(plain.gamma, rel=1e-12)
    assert_allclose(
        island_mmd_squared(Z[0] * units, B[0], Z * units, B, raw),
        island_mmd_squared(Z[0], B[0], Z, B, plain),
        rtol=1e-9,
        atol=1e-14,
    )


def test_constant_and_binary_columns_get_a_positive_scale():
    rng = np.random.default_rng(4)
    Z = np.column_stack(
        (rng.normal(size=40), np.full(40, 2023.0), np.zeros(40), rng.random(40) < 0.1)
    )

    kernel = fit_island_kernel(Z.reshape(4, 10, 4), np.full((4, 10), 0.1))

    assert (kernel.column_scales > 0).all()
    assert kernel.column_scales[1] == 2023.0  # constant: its own magnitude
    assert kernel.column_scales[2] == 1.0  # all zero
    assert 0.1 < kernel.column_scales[3] < 1.0  # IQR 0 -> weighted std


@pytest.mark.parametrize("rule", ["median", "dim", "separation"])
def test_every_rule_gives_a_positive_gamma_and_specs_equal_arrays(rule):
    rng = np.random.default_rng(5)
    specs = [
        RKMETableSpecification(n_points=8, random_state=i).fit(
            rng.normal(loc=i, size=(60, 2))
        )
        for i in range(4)
    ]
    z, beta, offsets = stack_reduced_sets(specs)

    from_specs = fit_island_kernel(specs, rule=rule)
    from_arrays = fit_island_kernel(z, beta, offsets=offsets, rule=rule)

    assert from_specs.gamma > 0
    assert from_specs.rule == rule
    assert from_specs.gamma == from_arrays.gamma
    assert_array_equal(from_specs.column_scales, from_arrays.column_scales)


def test_default_rule_is_documented_choice():
    assert DEFAULT_RULE == "separation"


def test_fit_rejects_bad_input():
    with pytest.raises(SpecificationError, match="rule"):
        fit_island_kernel(np.zeros((1, 2, 2)), np.ones((1, 2)), rule="bogus")  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="weights"):
        fit_island_kernel(np.zeros((1, 2, 2)))
    with pytest.raises(SpecificationError, match="NaN"):
        fit_island_kernel([[[np.nan]]], [[1.0]])
    a = RKMETableSpecification(n_points=3, random_state=0).fit(np.eye(5, 2))
    b = RKMETableSpecification(n_points=3, random_state=0).fit(np.eye(5, 3))
    with pytest.raises(SpecificationError, match="dimensions"):
        fit_island_kernel([a, b])


# ------------------------------------------------------------------ storage


def test_kernel_roundtrips_through_json_and_is_immutable():
    rng = np.random.default_rng(6)
    kernel = fit_island_kernel(rng.normal(size=(3, 6, 4)), np.full((3, 6), 1 / 6))

    again = IslandKernel.from_dict(json.loads(json.dumps(kernel.to_dict())))

    assert_array_equal(again.column_scales, kernel.column_scales)
    assert_array_equal(again.center, kernel.center)
    assert again.gamma == kernel.gamma
    assert (again.rule, again.n_specs, again.schema_version) == (DEFAULT_RULE, 3, 1)
    with pytest.raises(ValueError, match="read-only"):
        kernel.column_scales[0] = 1.0


def test_kernel_validates_its_fields():
    with pytest.raises(SpecificationError, match="> 0"):
        IslandKernel(column_scales=np.array([1.0, 0.0]), center=np.zeros(2), gamma=1.0)
    with pytest.raises(SpecificationError, match="center"):
        IslandKernel(column_scales=np.ones(2), center=np.zeros(3), gamma=1.0)
    with pytest.raises(SpecificationError, match="gamma"):
        IslandKernel(column_scales=np.ones(2), center=np.zeros(2), gamma=-1.0)
    with pytest.raises(SpecificationError, match="schema_version"):
        IslandKernel.from_dict(
            {"gamma": 1.0, "column_scales": [1.0], "center": [0.0], "schema_version": 9}
        )
    with pytest.raises(SpecificationError, match="columns"):
        IslandKernel(column_scales=np.ones(2), center=np.zeros(2), gamma=1.0).transform(
            np.zeros((3, 5))
        )


# ------------------------------------------------------------------ diagnostics


def test_flatness_flags_median_gamma_on_raw_units_and_names_the_column():
    rng = np.random.default_rng(7)
    X = np.column_stack((rng.normal(size=(400, 3)), rng.uniform(0, 15_000, 400)))
    spec = RKMETableSpecification(gamma="median", n_points=20, random_state=0).fit(X)

    diag = spec_kernel_flatness(spec, column_names=["a", "b", "c", "row"])

    assert spec.gamma_ < 1e-6
    assert diag.wide_columns == (3,)
    assert diag.invisible_columns == (0, 1, 2)  # its kernel sees only the row number
    assert "column 'row' has a range 10^4 times the others" in diag.warnings[0]
    assert "barely sees column(s) 'a', 'b', 'c'" in diag.warnings[1]
    assert not diag.ok


def test_flatness_flags_a_flat_kernel():
    rng = np.random.default_rng(9)
    z = rng.normal(size=(30, 3)) * [1.0, 1.0, 100.0]  # range ~ 500: gamma 2.7e-7

    diag = kernel_flatness(z, np.full(30, 1 / 30), 2.7e-7)

    assert diag.status == "flat"
    assert diag.mean_kernel > 0.99
    assert "is flat on this data" in diag.warnings[0]


def test_flatness_flags_narrow_kernels_and_passes_standardised_data():
    rng = np.random.default_rng(8)
    X = rng.normal(size=(400, 4))
    fine = RKMETableSpecification(gamma=0.1, n_points=20, random_state=0).fit(X)
    narrow = RKMETableSpecification(gamma=0.1, n_points=20, random_state=0).fit(X * 1e3)

    assert spec_kernel_flatness(fine).ok
    diag = spec_kernel_flatness(narrow)
    assert diag.status == "narrow"
    assert "too narrow" in diag.warnings[0]
    tiny = kernel_flatness(X[:20] * [1.0, 1.0, 1.0, 1e-5], np.full(20, 0.05), 0.1)
    assert tiny.tiny_columns == (3,)


# ------------------------------------------------------------------ quality


def test_island_kernel_identifies_tasks_on_mixed_gamma_raw_unit_markets():
    """Mixed gammas (0.1, median, 0.01, 1) and raw units, plus a row-number column.

    The island kernel must find the user's own-task learnware for >= 90 % of users;
    comparing under each learnware's own gamma (or refusing mismatched gammas, as
    the dock does today) must do clearly worse.
    """
    island, own, today = [], [], []
    markets: tuple[tuple[int, Shape], ...] = (
        (0, "blobs"),
        (1, "tabular"),
        (2, "shift"),
    )
    for seed, shape in markets:
        market = make_market(
            seed,
            shape=shape,
            d=6,
            n_tasks=5,
            lw_per_task=3,
            users_per_task=2,
            raw_units=True,
            row_id=True,
            n_points=20,
            rows=(250, 400),
        )
        kernel = fit_island_kernel(market.lw_specs)
        island.append(identification(island_mmd_matrix(market, kernel), market))
        own.append(identification(own_gamma_mmd_matrix(market), market))
        today.append(identification(dock_today_matrix(market), market))

    rate_island, rate_own, rate_today = map(np.mean, (island, own, today))
    print(
        f"identification: island kernel {rate_island:.2f}, "
        f"learnware's own gamma {rate_own:.2f}, dock today {rate_today:.2f}"
    )
    assert rate_island >= 0.9
    assert rate_own <= rate_island - 0.25
    assert rate_today <= rate_island - 0.25


def test_restrict_keeps_the_typical_exponent():
    kernel = IslandKernel(
        column_scales=np.array([1.0, 2.0, 3.0, 4.0]), center=np.zeros(4), gamma=0.5
    )

    sub = kernel.restrict([3, 1])

    assert_array_equal(sub.column_scales, [4.0, 2.0])
    assert sub.gamma == 1.0
    with pytest.raises(SpecificationError, match="distinct"):
        kernel.restrict([1, 1])
    with pytest.raises(SpecificationError, match="distinct"):
        kernel.restrict([4])
