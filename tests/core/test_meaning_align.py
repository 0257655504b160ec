"""Heterogeneous reuse aligned by column meaning (MeaningAlignReuser).

Uses the real offline MiniLM encoder (loaded once for the module). Seeded.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import LinearRegression

from learnware_core.islands import ColumnSpace, default_column_space
from learnware_core.reuse import LocalLearnware, ReuseError
from learnware_core.reuse.meaning_align import (
    MeaningAlignReuser,
    marginal_agreement,
    match_by_meaning,
    rkme_conditional_mean,
)
from learnware_core.specification.rkme import RKMETableSpecification

LEARNWARE_COLUMNS = {
    "0": "outdoor air temperature in degrees Celsius",
    "1": "relative humidity of the air in percent",
    "2": "wind speed in kilometres per hour",
}
USER_HEADER = ["humidity_pct", "rainfall_mm", "temp_c"]  # wind missing, rain extra
USER_TO_LEARNWARE = {0: 1, 2: 0}


@pytest.fixture(scope="module")
def space() -> ColumnSpace:
    return default_column_space()


def _weather(n: int, rng: np.random.Generator) -> np.ndarray:
    """temperature, humidity, wind (wind follows temperature), rainfall."""
    temp = rng.normal(15.0, 8.0, n)
    humidity = np.clip(70.0 - 1.2 * (temp - 15.0) + rng.normal(0, 8.0, n), 5, 100)
    wind = 5.0 + 0.9 * temp + rng.normal(0.0, 1.5, n)
    rain = rng.gamma(2.0, 2.0, n)
    return np.column_stack([temp, humidity, wind, rain])


def _target(W: np.ndarray) -> np.ndarray:
    temp, humidity, wind = W[:, 0], W[:, 1], W[:, 2]
    return 2.0 * temp + 0.05 * (humidity - 60.0) ** 2 - 1.5 * wind


@pytest.fixture(scope="module")
def learnware() -> LocalLearnware:
    rng = np.random.default_rng(0)
    W = _weather(1000, rng)
    X = W[:, :3]
    model = GradientBoostingRegressor(n_estimators=60, random_state=0)
    model.fit(X, _target(W) + rng.normal(0, 1.0, len(W)))
    spec = RKMETableSpecification(gamma=0.1, random_state=0).fit(X)  # raw units
    return LocalLearnware(model, spec)


def _user_rows(W: np.ndarray) -> np.ndarray:
    return W[:, [1, 3, 0]]  # humidity, rainfall, temperature


def test_header_columns_align_to_sentence_described_columns(space: ColumnSpace):
    match = match_by_meaning(
        USER_HEADER, [LEARNWARE_COLUMNS[str(i)] for i in range(3)], space=space
    )

    assert {p.left: p.right for p in match.pairs} == USER_TO_LEARNWARE


def test_reuser_maps_header_named_columns(space: ColumnSpace, learnware):
    W = _weather(300, np.random.default_rng(1))
    reuser = MeaningAlignReuser(
        learnware,
        learnware_columns=LEARNWARE_COLUMNS,
        user_columns=USER_HEADER,
        task="regression",
        space=space,
        random_state=0,
    ).fit(_user_rows(W))

    assert reuser.column_map_ == (2, 0, -1)
    Xl = reuser.transform(_user_rows(W))
    np.testing.assert_array_equal(Xl[:, :2], W[:, :2])


def test_values_break_a_tie_between_similar_meanings(space: ColumnSpace):
    rng = np.random.default_rng(2)
    user = ["area of the house in square feet", "area of the plot in square feet"]
    theirs = ["lot size (sq ft)", "living area (sq ft)"]
    living, lot = rng.normal(1500, 300, 400), rng.normal(9000, 2000, 400)
    X_user = np.column_stack([living, lot])
    z = np.column_stack([rng.normal(9000, 2000, 100), rng.normal(1500, 300, 100)])
    A = marginal_agreement(X_user, z, np.full(100, 0.01))

    match = match_by_meaning(user, theirs, space=space, agreement=A)

    assert A[0, 1] > 0.7 > 0.1 > A[0, 0]
    assert {p.left: p.right for p in match.pairs} == {0: 1, 1: 0}


def test_conditional_imputation_beats_mean_fill():
    rng = np.random.default_rng(3)
    a = rng.normal(0.0, 3.0, 1500)
    b = 100.0 + 20.0 * a + rng.normal(0.0, 5.0, 1500)  # raw units, own scale
    c = np.sin(a) * 4.0 + rng.normal(0.0, 0.3, 1500)  # nonlinear in a
    X = np.column_stack([a, b, c])
    spec = RKMETableSpecification(gamma=0.1, random_state=0).fit(X[:1000])
    test = X[1000:]

    conditional, h = rkme_conditional_mean(spec.z_, spec.beta_, test[:, [0]], [0])
    mean_fill = np.tile(spec.beta_ @ spec.z_, (len(test), 1))

    assert np.isfinite(h)
    np.testing.assert_array_equal(conditional[:, 0], test[:, 0])
    for j in (1, 2):
        err_cond = np.mean((conditional[:, j] - test[:, j]) ** 2)
        err_mean = np.mean((mean_fill[:, j] - test[:, j]) ** 2)
        assert err_cond < 0.5 * err_mean


def test_output_correction_beats_raw_prediction_and_own_model_at_60_rows(
    space: ColumnSpace, learnware
):
    rng = np.random.default_rng(4)
    W = _weather(560, rng)
    # the user's world differs: rainfall (a column the learnware never saw) matters
    y = _target(W) + 3.0 * W[:, 3] + rng.normal(0, 1.0, len(W))
    X = _user_rows(W)
    X_lab, y_lab, X_test, y_test = X[:60], y[:60], X[60:], y[60:]

    reuser = MeaningAlignReuser(
        learnware,
        learnware_columns=LEARNWARE_COLUMNS,
        user_columns=USER_HEADER,
        task="regression",
        space=space,
        random_state=0,
    ).fit(X_lab, y_lab)
    own = RandomForestRegressor(n_estimators=50, random_state=0).fit(X_lab, y_lab)

    def mse(pred: np.ndarray) -> float:
        return float(np.mean((pred - y_test) ** 2))

    corrected = mse(reuser.predict(X_test))
    raw = mse(learnware.predict(reuser.transform(X_test)))
    assert reuser.correction_ != "none"
    assert corrected < raw
    assert corrected < mse(own.predict(X_test))


def test_without_labels_the_learnware_answers_as_it_is(space: ColumnSpace, learnware):
    X = _user_rows(_weather(200, np.random.default_rng(5)))
    reuser = MeaningAlignReuser(
        learnware,
        learnware_columns=LEARNWARE_COLUMNS,
        user_columns=USER_HEADER,
        task="regression",
        space=space,
    ).fit(X)

    assert reuser.correction_ == "none"
    np.testing.assert_allclose(
        reuser.predict(X), learnware.predict(reuser.transform(X))
    )


def test_a_regressor_for_classes_needs_labels(space: ColumnSpace, learnware):
    X = _user_rows(_weather(200, np.random.default_rng(6)))
    reuser = MeaningAlignReuser(
        learnware,
        learnware_columns=LEARNWARE_COLUMNS,
        user_columns=USER_HEADER,
        task="classification",
        learnware_task="regression",
        space=space,
    ).fit(X)

    with pytest.raises(ReuseError, match="output correction"):
        reuser.predict(X)


def test_fit_leaves_inputs_untouched(space: ColumnSpace):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(200, 2))
    spec = RKMETableSpecification(random_state=0).fit(X)
    lw = LocalLearnware(LinearRegression().fit(X, X.sum(axis=1)), spec)
    X_user = X[:50, [1]].copy()
    X_user[3, 0] = np.nan
    before = X_user.copy()

    reuser = MeaningAlignReuser(
        lw,
        learnware_columns=["speed of the car", "distance driven"],
        user_columns=["distance driven"],
        task="regression",
        space=space,
    ).fit(X_user, np.ones(50))
    out = reuser.predict(X_user)

    np.testing.assert_array_equal(X_user, before)
    assert np.isfinite(out).all()
