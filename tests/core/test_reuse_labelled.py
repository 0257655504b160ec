"""EnsemblePruningReuser and FeatureAugmentReuser on seeded tasks with a known answer.

The user's task is a linear concept in 6 features. "Good" learnwares were trained on
that concept (different samples), "bad" ones on another concept; a learnware that
knows the concept should let a model on a few labelled rows beat one trained on those
rows alone.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression, RidgeCV

from learnware_core.reuse import (
    EnsemblePruningReuser,
    FeatureAugmentReuser,
    LocalLearnware,
    ReuseError,
)

D = 6
W_USER = np.array([1.5, -2.0, 1.0, 0.5, 0.0, 0.0])
W_OTHER = np.array([0.0, 0.0, -1.0, 2.0, 1.5, -1.0])


def _rows(rng: np.random.Generator, n: int, w: np.ndarray, task: str):
    X = rng.normal(size=(n, D))
    score = X @ w + 0.3 * rng.normal(size=n)
    if task == "classification":
        return X, (score > 0).astype(np.int64)
    return X, score


def _learnwares(task: str, good: int, bad: int, *, seed: int = 0, n: int = 400):
    rng = np.random.default_rng(seed)
    lws = []
    for w in [W_USER] * good + [W_OTHER] * bad:
        X, y = _rows(rng, n, w, task)
        model = LogisticRegression() if task == "classification" else LinearRegression()
        lws.append(LocalLearnware(model.fit(X, y)))
    return lws


def _score(task: str, y: np.ndarray, pred: np.ndarray) -> float:
    if task == "classification":
        return float(np.mean(pred == y))
    return -float(np.mean((pred - y) ** 2))


# ------------------------------------------------------------- ensemble pruning


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_pruning_keeps_good_learnwares_and_drops_bad_ones(task):
    lws = _learnwares(task, good=2, bad=2)
    order = [2, 0, 3, 1]  # interleave good (0, 1) and bad (2, 3)
    shuffled = [lws[i] for i in order]
    rng = np.random.default_rng(1)
    X, y = _rows(rng, 300, W_USER, task)
    reuser = EnsemblePruningReuser(shuffled, task=task).fit(X, y)
    kept = {order[i] for i in reuser.selected_}
    assert kept
    assert kept <= {0, 1}
    X_test, y_test = _rows(rng, 2000, W_USER, task)
    everything = np.mean([lw.predict(X_test) for lw in lws], axis=0)
    if task == "classification":
        everything = (everything > 0.5).astype(np.int64)
    assert _score(task, y_test, reuser.predict(X_test)) > _score(
        task, y_test, everything
    )


def test_pruning_path_is_greedy_and_size_rule_prefers_small_sets():
    lws = _learnwares("regression", good=3, bad=1)
    rng = np.random.default_rng(2)
    X, y = _rows(rng, 200, W_USER, "regression")
    reuser = EnsemblePruningReuser(lws, task="regression").fit(X, y)
    losses = [loss for _, loss, _ in reuser.path_]
    best = int(np.argmin(losses))
    assert_array_equal(reuser.selected_, reuser.path_[best][0])
    # The one-standard-error rule never keeps more than the best ensemble.
    one_se = EnsemblePruningReuser(lws, task="regression", tol="1se").fit(X, y)
    assert len(one_se.selected_) <= best + 1
    assert set(one_se.selected_.tolist()) <= {0, 1, 2}
    # Naive reference for the first greedy step: the best single learnware.
    singles = [np.mean((lw.predict(X) - y) ** 2) for lw in lws]
    assert reuser.path_[0][0] == [int(np.argmin(singles))]
    loose = EnsemblePruningReuser(lws, task="regression", tol=1e9).fit(X, y)
    assert len(loose.selected_) == 1
    capped = EnsemblePruningReuser(lws, task="regression", max_size=2).fit(X, y)
    assert len(capped.path_) == 2


def test_pruning_with_label_only_learnwares_votes():
    class LabelsOnly:
        spec = None

        def __init__(self, inner):
            self.inner = inner

        def predict(self, X):
            return self.inner.predict(X)

    lws = [LabelsOnly(lw) for lw in _learnwares("classification", good=3, bad=1)]
    rng = np.random.default_rng(3)
    X, y = _rows(rng, 300, W_USER, "classification")
    reuser = EnsemblePruningReuser(lws).fit(X, y)
    assert not reuser.use_proba_
    assert 3 not in set(reuser.selected_.tolist())
    proba = reuser.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(reuser.predict(X), reuser.classes_[np.argmax(proba, axis=1)])


# -------------------------------------------------------------- feature augment


class _KnowsTheCurve:
    """A learnware that learned the nonlinear part ``2 sin(2 x0)`` of the concept."""

    spec = None

    def __init__(self, task: str) -> None:
        self.task = task

    def predict(self, X):
        signal = np.asarray(X) @ W_USER + 2.0 * np.sin(2.0 * np.asarray(X)[:, 0])
        return (
            (signal > 0).astype(np.int64) if self.task == "classification" else signal
        )


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_feature_augment_beats_the_labelled_only_baseline(task):
    rng = np.random.default_rng(4)

    def rows(n):
        X = rng.normal(size=(n, D))
        score = X @ W_USER + 2.0 * np.sin(2.0 * X[:, 0]) + 0.3 * rng.normal(size=n)
        return X, (score > 0).astype(np.int64) if task == "classification" else score

    lws = [_KnowsTheCurve(task), *_learnwares(task, good=0, bad=1)]
    X, y = rows(60)
    X_test, y_test = rows(3000)
    reuser = FeatureAugmentReuser(lws, task=task).fit(X, y)
    baseline = (
        LogisticRegression().fit(X, y)
        if task == "classification"
        else RidgeCV().fit(X, y)
    )
    gain = _score(task, y_test, reuser.predict(X_test)) - _score(
        task, y_test, baseline.predict(X_test)
    )
    assert gain > 0.05
    if task == "classification":
        proba = reuser.predict_proba(X_test)
        assert proba.shape == (3000, 2)
        assert_array_equal(reuser.classes_, [0, 1])


def test_feature_augment_custom_estimator_and_no_passthrough():
    lws = _learnwares("regression", good=1, bad=0)
    rng = np.random.default_rng(5)
    X, y = _rows(rng, 50, W_USER, "regression")
    reuser = FeatureAugmentReuser(
        lws, task="regression", estimator=LinearRegression(), passthrough=False
    ).fit(X, y)
    # Naive reference: a linear regression of y on the learnware's prediction.
    ref = LinearRegression().fit(lws[0].predict(X)[:, None], y)
    assert_allclose(
        reuser.predict(X), ref.predict(lws[0].predict(X)[:, None]), rtol=1e-9
    )
    assert reuser.n_features_in_ is None


def test_feature_augment_flattens_image_rows_for_passthrough():
    class Brightness:
        """A 'learnware' on images: says 1 for bright images."""

        spec = None

        def predict(self, X):
            return (np.asarray(X).mean(axis=(1, 2, 3)) > 0.5).astype(np.int64)

    rng = np.random.default_rng(7)
    images = rng.uniform(size=(80, 1, 6, 6))
    images[:40] *= 0.4  # dark half
    y = (images.mean(axis=(1, 2, 3)) > 0.5).astype(np.int64)
    reuser = FeatureAugmentReuser([Brightness()]).fit(images, y)
    assert reuser.n_features_in_ == 36
    assert np.mean(reuser.predict(images) == y) > 0.9
    with pytest.raises(ValueError, match="36"):
        reuser.predict(images[:, :, :3])  # 18 pixels per row, not 36


def test_feature_augment_one_hot_encodes_label_outputs():
    class LabelsOnly:
        spec = None

        def __init__(self, inner):
            self.inner = inner

        def predict(self, X):
            return self.inner.predict(X)

    lws = [LabelsOnly(lw) for lw in _learnwares("classification", good=1, bad=0)]
    rng = np.random.default_rng(6)
    X, y = _rows(rng, 60, W_USER, "classification")
    reuser = FeatureAugmentReuser(lws).fit(X, y)
    assert np.mean(reuser.predict(X) == y) > 0.8


# ------------------------------------------------------------------- shared


@pytest.mark.parametrize("cls", [EnsemblePruningReuser, FeatureAugmentReuser])
@pytest.mark.parametrize("task", ["classification", "regression"])
def test_labelled_reusers_clone_validate_and_do_not_mutate(cls, task):
    lws = _learnwares(task, good=1, bad=1)
    reuser = cls(lws, task=task)
    fresh = clone(reuser)
    assert fresh.get_params(deep=False)["task"] == task
    rng = np.random.default_rng(7)
    X, y = _rows(rng, 80, W_USER, task)
    X_before, y_before = X.copy(), y.copy()
    reuser.fit(X, y).predict(X)
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)
    with pytest.raises(ReuseError, match="task"):
        cls(lws, task="ranking").fit(X, y)
    with pytest.raises(ReuseError, match="not fitted"):
        fresh.predict(X)
    with pytest.raises(ReuseError, match="invalid parameter"):
        fresh.set_params(colour="blue")
