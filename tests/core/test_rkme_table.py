"""RKMETableSpecification: compatibility with the original's files, quality, properties.

Fixtures come from the shared directory (``$BMW_SHARED_DIR`` or ``<repo>/../shared``):
``fixtures/official/rkme_table`` holds data sets, the original package's ``stat.json``
for each, and the squared MMDs it computed (see that directory's README).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from learnware_core.errors import SpecificationError
from learnware_core.kernels import mmd_squared
from learnware_core.specification.base import get_spec_class, load_spec, spec_types
from learnware_core.specification.rkme import (
    RKMETableSpecification,
    median_heuristic_gamma,
    pack_specs,
    solve_simplex_qp,
)
from tests.conftest import OFFICIAL

ORIGINAL_KEYS = {"z", "beta", "gamma", "num_points", "type"}


RKME_DIR = OFFICIAL / "rkme_table"
needs_fixtures = pytest.mark.skipif(
    not (RKME_DIR / "expected.json").is_file(),
    reason=f"official RKME fixtures not found in {RKME_DIR} (set BMW_SHARED_DIR)",
)


def _expected() -> dict[str, Any]:
    return json.loads((RKME_DIR / "expected.json").read_text())


def _stat(i: int) -> dict[str, Any]:
    return json.loads((RKME_DIR / f"stat_{i}.json").read_text())


def _data(i: int) -> np.ndarray:
    return np.load(RKME_DIR / f"data_{i}.npy")


def _fixture_ids() -> list[int]:
    if not (RKME_DIR / "expected.json").is_file():
        return []
    return [row["spec"] for row in _expected()["self_to_data"]]


def _pairs() -> list[dict[str, Any]]:
    if not (RKME_DIR / "expected.json").is_file():
        return []
    return list(_expected()["pairs"])


def _blobs(seed: int, n: int = 400, d: int = 5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=2.0, size=(3, d))
    return centers[rng.integers(3, size=n)] + rng.normal(size=(n, d))


# ------------------------------------------------------------ original's files


@needs_fixtures
@pytest.mark.parametrize("pair", _pairs(), ids=lambda p: f"{p['a']}-{p['b']}")
def test_original_stat_files_reproduce_expected_pair_distances(pair):
    a = RKMETableSpecification.from_dict(_stat(pair["a"]))
    b = RKMETableSpecification.from_dict(_stat(pair["b"]))

    assert_allclose(a.dist(b), pair["dist"], rtol=1e-9, atol=1e-12)


@needs_fixtures
@pytest.mark.parametrize("i", _fixture_ids())
def test_original_stat_reproduces_expected_mmd_to_own_data(i):
    spec = RKMETableSpecification.from_dict(_stat(i))
    expected = _expected()["self_to_data"][i]["mmd2_to_own_data"]

    assert_allclose(spec.mmd_squared_to_data(_data(i)), expected, rtol=1e-9)


@needs_fixtures
@pytest.mark.parametrize("i", _fixture_ids())
def test_original_stat_roundtrips_with_original_keys_and_values(i):
    original = _stat(i)

    written = RKMETableSpecification.from_dict(original).to_dict()
    reread = json.loads(json.dumps(written, separators=(",", ":")))

    assert set(reread) >= ORIGINAL_KEYS
    assert reread["type"] == "RKMETableSpecification"
    for key in ORIGINAL_KEYS:
        assert reread[key] == original[key], key  # bit-exact floats, same nesting
    again = RKMETableSpecification.from_dict(reread)
    assert again.dist(RKMETableSpecification.from_dict(original)) < 1e-14


@needs_fixtures
def test_load_spec_finds_the_class_from_the_type_key():
    spec = load_spec(_stat(0))

    assert isinstance(spec, RKMETableSpecification)
    assert get_spec_class("RKMETableSpecification") is RKMETableSpecification
    assert "RKMETableSpecification" in spec_types()


@needs_fixtures
@pytest.mark.parametrize("i", _fixture_ids())
def test_fit_gets_closer_to_own_data_than_the_original(i):
    original = RKMETableSpecification.from_dict(_stat(i))
    X = _data(i)

    ours = RKMETableSpecification(
        gamma=original.gamma_, n_points=original.z_.shape[0], random_state=0
    ).fit(X)

    ours_mmd2 = ours.mmd_squared_to_data(X)
    theirs = _expected()["self_to_data"][i]["mmd2_to_own_data"]
    assert ours.z_.shape == original.z_.shape
    assert ours_mmd2 < theirs


# ------------------------------------------------------------------ properties


def test_fit_gives_weights_on_the_simplex_and_documented_attributes():
    X = _blobs(0)

    spec = RKMETableSpecification(n_points=25, random_state=0).fit(X)

    assert spec.z_.shape == (25, 5)
    assert spec.beta_.shape == (25,)
    assert spec.beta_.min() >= 0.0
    assert spec.beta_.sum() == pytest.approx(1.0, abs=1e-12)
    assert spec.gamma_ == 0.1
    assert spec.num_points_ == 400
    assert spec.n_features_in_ == 5
    assert 0 <= spec.n_iter_ <= spec.max_iter


def test_optimising_z_lowers_mmd_compared_to_herding_alone():
    X = _blobs(1)

    start = RKMETableSpecification(n_points=20, max_iter=0, random_state=0).fit(X)
    tuned = RKMETableSpecification(n_points=20, max_iter=15, random_state=0).fit(X)

    assert tuned.mmd_squared_to_data(X) < start.mmd_squared_to_data(X)


def test_dist_is_zero_to_itself_symmetric_and_nonnegative():
    a = RKMETableSpecification(n_points=15, random_state=0).fit(_blobs(2))
    b = RKMETableSpecification(n_points=10, random_state=0).fit(_blobs(3))

    assert a.dist(a) == 0.0
    assert a.dist(RKMETableSpecification.from_dict(a.to_dict())) < 1e-14
    assert a.dist(b) == pytest.approx(b.dist(a), rel=1e-12)
    assert a.dist(b) > 0.0


def test_dist_equals_inner_product_expansion_and_direct_mmd():
    a = RKMETableSpecification(n_points=12, random_state=0).fit(_blobs(4))
    b = RKMETableSpecification(n_points=9, random_state=1).fit(_blobs(5))

    expansion = a.inner_product(a) - 2 * a.inner_product(b) + b.inner_product(b)

    assert_allclose(a.dist(b), expansion, rtol=1e-10)
    assert_allclose(a.dist(b), mmd_squared(a.z_, a.beta_, b.z_, b.beta_, gamma=0.1))
    assert_allclose(a.inner_product(b), b.inner_product(a), rtol=1e-12)


def test_dist_refuses_other_dimension_or_gamma():
    a = RKMETableSpecification(n_points=5, random_state=0).fit(_blobs(6, d=3))
    b = RKMETableSpecification(n_points=5, random_state=0).fit(_blobs(6, d=4))
    c = RKMETableSpecification(gamma=0.5, n_points=5, random_state=0).fit(
        _blobs(6, d=3)
    )

    with pytest.raises(SpecificationError, match="dimension"):
        a.dist(b)
    with pytest.raises(SpecificationError, match="gamma"):
        a.dist(c)
    with pytest.raises(SpecificationError, match="gamma"):
        a.inner_product(c)
    assert not a.is_compatible(b)
    assert not a.is_compatible(c)
    assert a.is_compatible(RKMETableSpecification.from_dict(a.to_dict()))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fit_does_not_modify_the_callers_array(dtype):
    X = _blobs(7).astype(dtype)
    X[3, 2] = np.nan
    X[10, 0] = np.inf
    before = X.copy()

    RKMETableSpecification(n_points=10, random_state=0).fit(X)

    assert_array_equal(X, before)  # NaN positions compare equal


def test_fit_imputes_non_finite_values_with_column_means():
    X = _blobs(8)
    X[[1, 5, 9], 2] = np.nan
    X[4, 0] = -np.inf
    imputed = X.copy()
    for col in range(X.shape[1]):
        bad = ~np.isfinite(imputed[:, col])
        imputed[bad, col] = imputed[~bad, col].mean()

    with_nan = RKMETableSpecification(n_points=10, random_state=0).fit(X)
    clean = RKMETableSpecification(n_points=10, random_state=0).fit(imputed)

    assert np.isfinite(with_nan.z_).all()
    assert_allclose(with_nan.z_, clean.z_, rtol=1e-12, atol=1e-12)
    assert_allclose(with_nan.beta_, clean.beta_, rtol=1e-12, atol=1e-12)


def test_fit_rejects_a_column_without_finite_values_naming_it():
    X = _blobs(9)
    X[:, 3] = np.nan

    with pytest.raises(SpecificationError, match=r"column\(s\) 3 "):
        RKMETableSpecification().fit(X)


def test_fit_is_deterministic_for_a_fixed_random_state():
    X = _blobs(10)

    a = RKMETableSpecification(n_points=10, random_state=3).fit(X)
    b = RKMETableSpecification(n_points=10, random_state=3).fit(X)

    assert_array_equal(a.z_, b.z_)
    assert_array_equal(a.beta_, b.beta_)


@pytest.mark.parametrize(
    ("n", "d", "k", "expected"),
    [
        (400, 5, 100, 100),
        (90, 5, 100, 60),
        (1, 3, 100, 1),
        (50, 30_000, 100, 43),
        (20, 70_000, 100, 13),
    ],
)
def test_reduced_set_size_follows_the_original_caps(n, d, k, expected):
    X = np.random.default_rng(11).normal(size=(n, d))

    spec = RKMETableSpecification(n_points=k, max_iter=1, random_state=0).fit(X)

    assert spec.z_.shape == (expected, d)


def test_multidimensional_samples_keep_their_shape_in_json():
    X = np.random.default_rng(12).normal(size=(60, 2, 3))

    spec = RKMETableSpecification(n_points=8, random_state=0).fit(X)
    data = json.loads(json.dumps(spec.to_dict()))

    assert np.asarray(data["z"]).shape == (8, 2, 3)
    assert spec.z_.shape == (8, 6)
    assert RKMETableSpecification.from_dict(data).dist(spec) < 1e-14


def test_to_dict_has_exactly_the_original_layout():
    spec = RKMETableSpecification(n_points=6, random_state=0).fit(_blobs(13))

    data = spec.to_dict()

    assert list(data) == ["z", "beta", "gamma", "num_points", "type"]
    assert data["type"] == "RKMETableSpecification"
    assert data["num_points"] == 400
    assert isinstance(data["gamma"], float)
    assert np.asarray(data["z"]).shape == (6, 5)


def test_median_gamma_is_stored_and_used():
    X = _blobs(14) * 50.0

    spec = RKMETableSpecification(gamma="median", n_points=10, random_state=0).fit(X)

    assert spec.gamma == "median"  # the parameter is left alone
    assert spec.gamma_ == pytest.approx(
        median_heuristic_gamma(X, rng=np.random.default_rng(0))
    )
    assert spec.to_dict()["gamma"] == spec.gamma_
    assert RKMETableSpecification.from_dict(spec.to_dict()).gamma_ == spec.gamma_


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"z": [[0.0]], "beta": [1.0], "gamma": 0.1, "type": "Other"}, "type"),
        ({"beta": [1.0], "gamma": 0.1}, "lacks"),
        ({"z": [[0.0]], "beta": [0.5, 0.5], "gamma": 0.1}, "beta"),
        ({"z": [[0.0]], "beta": [1.0], "gamma": -1.0}, "gamma"),
        ({"z": [0.0, 1.0], "beta": [1.0], "gamma": 0.1}, "shape"),
        ({"z": [[float("nan")]], "beta": [1.0], "gamma": 0.1}, "NaN"),
    ],
)
def test_from_dict_rejects_malformed_files(data, match):
    with pytest.raises(SpecificationError, match=match):
        RKMETableSpecification.from_dict(data)


def test_from_dict_ignores_unknown_keys_like_the_original():
    data = {"z": [[0.0, 1.0]], "beta": [1.0], "gamma": 0.1, "extra": "x"}

    spec = RKMETableSpecification.from_dict(data)

    assert spec.num_points_ == 1
    assert "extra" not in spec.to_dict()


def test_unfitted_specification_raises():
    with pytest.raises(SpecificationError, match="not fitted"):
        RKMETableSpecification().to_dict()


@pytest.mark.parametrize(
    "params",
    [{"n_points": 0}, {"max_iter": -1}, {"gamma": 0.0}, {"gamma": "mean"}],
)
def test_fit_rejects_bad_parameters(params):
    with pytest.raises(SpecificationError):
        RKMETableSpecification(**params).fit(_blobs(15))


# ------------------------------------------------------------ batch and solver


def test_packed_specs_give_the_same_distances_as_pairwise_dist():
    specs = [
        RKMETableSpecification(n_points=k, random_state=s).fit(_blobs(20 + s))
        for s, k in enumerate([5, 12, 8, 12])
    ]
    query = RKMETableSpecification(n_points=7, random_state=0).fit(_blobs(30))

    packed = pack_specs(specs)

    assert len(packed) == 4
    assert_allclose(
        packed.mmd_squared(query), [query.dist(s) for s in specs], rtol=1e-10
    )
    assert packed.mmd_squared(specs[1])[1] == pytest.approx(0.0, abs=1e-14)


def test_pack_specs_refuses_mixed_gammas():
    a = RKMETableSpecification(n_points=5, random_state=0).fit(_blobs(31))
    b = RKMETableSpecification(gamma=0.2, n_points=5, random_state=0).fit(_blobs(32))

    with pytest.raises(SpecificationError, match="gamma"):
        pack_specs([a, b])


def test_solve_simplex_qp_satisfies_kkt_conditions():
    rng = np.random.default_rng(40)
    z = rng.normal(size=(30, 2)) * 2
    X = rng.normal(size=(200, 2))
    Q = np.exp(-0.5 * ((z[:, None] - z[None]) ** 2).sum(-1))
    c = np.exp(-0.5 * ((z[:, None] - X[None]) ** 2).sum(-1)).mean(1)

    beta = solve_simplex_qp(Q, c)

    grad = Q @ beta - c
    support = beta > 0
    lam = grad[support].mean()
    assert beta.min() >= 0.0
    assert beta.sum() == pytest.approx(1.0, abs=1e-12)
    assert_allclose(grad[support], lam, atol=1e-8)  # stationarity on the support
    assert (grad[~support] >= lam - 1e-8).all()  # dual feasibility off it
    assert (~support).any()  # the constraint is active in this set-up


def test_fit_is_translation_invariant_far_from_the_origin():
    X = _blobs(16)
    shift = np.array([1e6, -2e6, 3e5, 0.0, 7e6])

    near = RKMETableSpecification(n_points=10, random_state=0).fit(X)
    far = RKMETableSpecification(n_points=10, random_state=0).fit(X + shift)

    # Same optimisation up to rounding of the shifted data (float32 passes amplify it).
    assert_allclose(far.z_ - shift, near.z_, atol=1e-4)
    assert_allclose(far.beta_, near.beta_, atol=1e-6)
    assert_allclose(
        far.mmd_squared_to_data(X + shift), near.mmd_squared_to_data(X), rtol=1e-4
    )
    assert far.dist(RKMETableSpecification.from_dict(far.to_dict())) < 1e-14


def test_fit_on_wide_spread_data_uses_float64_and_still_improves():
    X = _blobs(17) * 30.0  # gamma * |x|^2 >> 100: the float32 passes are skipped

    start = RKMETableSpecification(n_points=15, max_iter=0, random_state=0).fit(X)
    tuned = RKMETableSpecification(n_points=15, random_state=0).fit(X)

    assert tuned.beta_.min() >= 0.0
    assert tuned.beta_.sum() == pytest.approx(1.0, abs=1e-12)
    assert tuned.mmd_squared_to_data(X) <= start.mmd_squared_to_data(X)
