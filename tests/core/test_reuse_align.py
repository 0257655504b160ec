"""FeatureAlignReuser: recovers a known linear map between feature spaces.

The learnware's data are four well-separated blobs with distinct weights in 3-d (no
symmetry, so the map is identifiable); the user sees the same rows through a known
affine map into 5-d (or 2-d subsets for the equal-dimension case).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import check_grad
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression

from learnware_core.kernels import mmd_squared
from learnware_core.reuse import FeatureAlignReuser, LocalLearnware, ReuseError
from learnware_core.reuse.feature_align import _objective, mmd_linear_map
from learnware_core.specification.rkme import RKMETableSpecification

CENTRES = np.array(
    [[0.0, 0.0, 0.0], [5.0, 1.0, 0.0], [0.0, 4.0, -4.0], [-3.0, -3.0, 3.0]]
)
PROBS = np.array([0.4, 0.3, 0.2, 0.1])
W = np.array([1.0, -2.0, 0.5])


def _learnware_space(rng: np.random.Generator, n: int) -> np.ndarray:
    comp = rng.choice(4, size=n, p=PROBS)
    return CENTRES[comp] + rng.normal(size=(n, 3)) * np.array([1.0, 0.6, 0.8])


def _setup(task: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    X_lw = _learnware_space(rng, 1500)
    y_lw = X_lw @ W
    if task == "classification":
        model = LogisticRegression().fit(X_lw, (y_lw > 0).astype(np.int64))
    else:
        model = LinearRegression().fit(X_lw, y_lw)
    spec = RKMETableSpecification(n_points=60, random_state=0).fit(X_lw)
    B = rng.normal(size=(5, 3))
    shift = rng.normal(size=5)
    X_true = _learnware_space(rng, 800)
    U = X_true @ B.T + shift
    return LocalLearnware(model, spec), U, X_true


def test_mmd_objective_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    Us, T = rng.normal(size=(12, 3)), rng.normal(size=(9, 4))
    wu, wt = np.full(12, 1 / 12), np.full(9, 1 / 9)
    theta = rng.normal(size=4 * 3 + 4)
    args = (Us, wu, T, wt, 0.3, 4, 3)
    err = check_grad(
        lambda t: _objective(t, *args)[0], lambda t: _objective(t, *args)[1], theta
    )
    assert err < 1e-6
    # The objective is MMD^2 minus the constant <t, t>: compare with the kernels module.
    A, b = theta[:12].reshape(4, 3), theta[12:]
    tt = float(wt @ np.exp(-0.3 * ((T[:, None] - T[None]) ** 2).sum(-1)) @ wt)
    mmd2 = mmd_squared(Us @ A.T + b, wu, T, wt, gamma=0.3)
    assert _objective(theta, *args)[0] + tt == pytest.approx(mmd2, abs=1e-12)


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_feature_align_recovers_the_map_across_dimensions(task):
    lw, U, X_true = _setup(task)
    reuser = FeatureAlignReuser(lw, task=task, random_state=0).fit(U)
    mapped = reuser.transform(U)
    assert np.median(np.abs(mapped - X_true)) < 0.3
    pred, truth = reuser.predict(U), lw.predict(X_true)
    if task == "classification":
        assert np.mean(pred == truth) > 0.95
        assert reuser.predict_proba(U).shape == (U.shape[0], 2)
    else:
        assert np.corrcoef(pred, truth)[0, 1] > 0.97


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_feature_align_correction_with_a_few_labels(task):
    lw, U, X_true = _setup(task, seed=1)
    y = X_true @ W + 1.0  # the user's target is shifted: the correction absorbs it
    if task == "classification":
        y = (y > 1.0).astype(np.int64)
    user_spec = RKMETableSpecification(n_points=60, random_state=0).fit(U)
    reuser = FeatureAlignReuser(lw, task=task, random_state=0)
    reuser.fit(U[:40], y[:40], user_spec=user_spec)
    assert reuser.corrector_ is not None
    pred = reuser.predict(U)
    if task == "classification":
        assert np.mean(pred == y) > 0.9
        assert_allclose(reuser.predict_proba(U).sum(axis=1), 1.0)
    else:
        assert np.mean((pred - y) ** 2) < 0.1 * np.var(y)


def test_feature_align_equal_dimensions_undoes_a_shift_and_scale():
    lw, _, _ = _setup("regression", seed=2)
    rng = np.random.default_rng(3)
    X_true = _learnware_space(rng, 800)
    U = 2.0 * X_true + np.array([10.0, -5.0, 1.0])
    reuser = FeatureAlignReuser(lw, task="regression", random_state=0).fit(U)
    assert_allclose(np.diag(reuser.coef_), 0.5, atol=0.08)
    assert np.median(np.abs(reuser.transform(U) - X_true)) < 0.3


def test_mmd_linear_map_public_helper_and_validation():
    lw, U, _ = _setup("regression")
    user_spec = RKMETableSpecification(n_points=60, random_state=0).fit(U)
    spec = lw.spec
    A, b, mmd2 = mmd_linear_map(
        user_spec.z_,
        user_spec.beta_,
        spec.z_,
        spec.beta_,
        gamma=spec.gamma_,
        random_state=0,
    )
    assert A.shape == (3, 5)
    assert b.shape == (3,)
    mapped = user_spec.z_ @ A.T + b
    assert mmd2 == pytest.approx(
        mmd_squared(mapped, user_spec.beta_, spec.z_, spec.beta_, gamma=spec.gamma_),
        abs=1e-9,
    )
    with pytest.raises(ReuseError, match="X or user_spec"):
        FeatureAlignReuser(lw).fit()
    bare = LocalLearnware(lw.model)
    with pytest.raises(ReuseError, match="RKMETableSpecification"):
        FeatureAlignReuser(bare).fit(U)
    with pytest.raises(ReuseError, match="n_restarts"):
        FeatureAlignReuser(lw, n_restarts=0).fit(U)


def test_feature_align_clones_and_does_not_mutate_inputs():
    lw, U, X_true = _setup("regression")
    reuser = FeatureAlignReuser(lw, task="regression", n_restarts=2, random_state=0)
    assert clone(reuser).get_params(deep=False)["n_restarts"] == 2
    U_before, z_before = U.copy(), lw.spec.z_.copy()
    y = X_true @ W
    y_before = y.copy()
    reuser.fit(U, y).predict(U)
    assert_array_equal(U, U_before)
    assert_array_equal(y, y_before)
    assert_array_equal(lw.spec.z_, z_before)
