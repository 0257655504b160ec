"""JobSelectorReuser and AveragingReuser: routing, averaging modes, weights.

Seeded two-domain tasks with a known best answer: rows of domain A belong to
learnware A, rows of domain B to learnware B, and each learnware is poor on the other
domain (a different concept there).
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from learnware_core.reuse import (
    AveragingReuser,
    JobSelectorReuser,
    LearnwareLike,
    LocalLearnware,
    ReuseError,
    rkme_mixture_weights,
)
from learnware_core.specification.rkme import RKMETableSpecification

D = 4
CENTRES = (np.full(D, -4.0), np.full(D, 4.0))


def _domain(rng: np.random.Generator, k: int, n: int, task: str):
    X = CENTRES[k] + rng.normal(size=(n, D))
    Xc = X - CENTRES[k]
    if task == "classification":
        y = (Xc[:, k] > 0).astype(np.int64)  # concept differs between domains
    else:
        w = (
            np.array([1.0, -2.0, 0.5, 0.0])
            if k == 0
            else np.array([0.0, 1.0, 2.0, -1.0])
        )
        y = Xc @ w
    return X, y


def _market(task: str, seed: int = 0) -> list[LocalLearnware]:
    rng = np.random.default_rng(seed)
    lws = []
    for k in (0, 1):
        X, y = _domain(rng, k, 600, task)
        model = LogisticRegression() if task == "classification" else LinearRegression()
        spec = RKMETableSpecification(n_points=40, random_state=k).fit(X)
        lws.append(LocalLearnware(model.fit(X, y), spec))
    return lws


def _table_spec(lw: LocalLearnware) -> RKMETableSpecification:
    assert isinstance(lw.spec, RKMETableSpecification)
    return lw.spec


def _user(task: str, seed: int = 1, n: int = 200):
    rng = np.random.default_rng(seed)
    Xa, ya = _domain(rng, 0, n, task)
    Xb, yb = _domain(rng, 1, n, task)
    return np.vstack((Xa, Xb)), np.concatenate((ya, yb)), np.repeat([0, 1], n)


def _score(task: str, y: np.ndarray, pred: np.ndarray) -> float:
    if task == "classification":
        return float(np.mean(pred == y))
    return -float(np.mean((pred - y) ** 2))


# ----------------------------------------------------------------- protocol


def test_local_learnware_satisfies_protocol_and_exposes_proba_only_if_present():
    clf = _market("classification")[0]
    reg = _market("regression")[0]
    assert isinstance(clf, LearnwareLike)
    assert hasattr(clf, "predict_proba")
    assert not hasattr(reg, "predict_proba")
    with pytest.raises(ReuseError):
        LocalLearnware(object())


# -------------------------------------------------------------- job selector


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_job_selector_routes_domains_and_beats_each_learnware(task):
    lws = _market(task)
    X, y, domain = _user(task)
    reuser = JobSelectorReuser(lws, random_state=0).fit(X)
    assert np.mean(reuser.route(X) == domain) > 0.99
    pred = reuser.predict(X)
    oracle = np.empty_like(pred)
    for k in (0, 1):
        oracle[domain == k] = lws[k].predict(X[domain == k])
    assert np.mean(pred == oracle) > 0.99
    for lw in lws:
        assert _score(task, y, pred) > _score(task, y, lw.predict(X)) + 0.1


def test_job_selector_proba_and_weights_from_user_data():
    lws = _market("classification")
    X, _, domain = _user("classification")
    reuser = JobSelectorReuser(lws, random_state=0).fit(X)
    assert_allclose(reuser.weights_, [0.5, 0.5], atol=0.05)
    proba = reuser.predict_proba(X)
    assert proba.shape == (X.shape[0], 2)
    assert_allclose(proba[domain == 1], lws[1].predict_proba(X[domain == 1]))
    # A user from domain A only: weight ~1 on learnware A, every row routed there.
    only_a = X[domain == 0]
    weights = rkme_mixture_weights([_table_spec(lw) for lw in lws], only_a)
    assert weights[0] > 0.95
    reuser = JobSelectorReuser(lws, weights=[1.0, 0.0]).fit()
    assert_array_equal(reuser.route(X), np.zeros(X.shape[0]))
    assert reuser.selector_ is None


def test_job_selector_calls_each_learnware_once_on_its_rows():
    calls: list[int] = []

    class Counting:
        def __init__(self, inner: LocalLearnware) -> None:
            self.inner, self.spec = inner, inner.spec

        def predict(self, X):
            calls.append(len(X))
            return self.inner.predict(X)

    lws = [Counting(lw) for lw in _market("regression")]
    X, _, _ = _user("regression")
    JobSelectorReuser(lws, random_state=0).fit().predict(X)
    assert sorted(calls) == [200, 200]


def test_job_selector_accepts_a_custom_selector_and_is_fast():
    lws = _market("classification")
    X, _, domain = _user("classification", n=500)
    start = time.perf_counter()
    reuser = JobSelectorReuser(lws, random_state=0).fit(X)
    reuser.predict(X)
    assert time.perf_counter() - start < 5.0
    custom = JobSelectorReuser(
        lws, selector=DecisionTreeClassifier(random_state=0), random_state=0
    ).fit()
    assert np.mean(custom.route(X) == domain) > 0.95


def test_job_selector_rejects_learnwares_without_rkme():
    lw = LocalLearnware(LinearRegression().fit([[0.0], [1.0]], [0.0, 1.0]))
    with pytest.raises(ReuseError, match="no fitted specification"):
        JobSelectorReuser([lw]).fit()
    with pytest.raises(ReuseError, match="not fitted"):
        JobSelectorReuser(_market("regression")).predict(np.zeros((2, D)))


class _Letters:
    """A toy text encoder: letter frequencies (26-d)."""

    name, dim = "toy/letters", 26

    def encode(self, texts, *, progress=False):
        E = np.zeros((len(texts), 26))
        for i, text in enumerate(texts):
            for ch in text.lower():
                if "a" <= ch <= "z":
                    E[i, ord(ch) - 97] += 1
        return E / np.maximum(E.sum(1, keepdims=True), 1)


class _Constant:
    """A 'model' answering one label for every input (texts or images)."""

    def __init__(self, label: int) -> None:
        self.label = label

    def predict(self, X):
        return np.full(len(X), self.label)


def test_job_selector_routes_texts_by_their_embeddings():
    from learnware_core.specification.text import RKMETextSpecification

    a_texts = ["aaa ab ba", "a aa aab", "baa aa", "aa a ba ab"] * 10
    z_texts = ["zzz yz zy", "z zz zzy", "yzz zz", "zz z yz zy"] * 10
    lws = [
        LocalLearnware(
            _Constant(label),
            RKMETextSpecification(
                encoder=_Letters(), n_points=8, language_detector=None, random_state=0
            ).fit(texts),
        )
        for label, texts in ((0, a_texts), (1, z_texts))
    ]
    reuser = JobSelectorReuser(lws, n_samples=200, random_state=0).fit()
    user = ["ab aa a", "zy zz z", "aaa", "zzz yy"]
    assert reuser.predict(user).tolist() == [0, 1, 0, 1]
    assert reuser.predict(np.asarray(user, dtype=object)).tolist() == [0, 1, 0, 1]


def test_job_selector_routes_images_by_their_pixels():
    from learnware_core.specification.image import RKMEImageSpecification

    rng = np.random.default_rng(0)
    dark = rng.uniform(0, 60, size=(60, 28, 28)).astype(np.uint8)
    bright = rng.uniform(190, 255, size=(60, 28, 28)).astype(np.uint8)
    lws = [
        LocalLearnware(
            _Constant(label),
            RKMEImageSpecification(
                n_points=6, max_iter=3, n_models=2, random_state=label
            ).fit(images),
        )
        for label, images in ((0, dark), (1, bright))
    ]
    reuser = JobSelectorReuser(lws, n_samples=100, random_state=0).fit()
    user = np.concatenate([dark[:5], bright[:5]])[[0, 5, 1, 6, 2, 7]]
    assert reuser.predict(user).tolist() == [0, 1, 0, 1, 0, 1]


def test_job_selector_refuses_specs_of_different_spaces():
    from learnware_core.specification.text import RKMETextSpecification

    text = RKMETextSpecification(
        encoder=_Letters(), n_points=3, language_detector=None, random_state=0
    ).fit(["abc", "def", "ghi", "jkl"])
    table = _market("regression")[0]
    with pytest.raises(ReuseError, match="different spaces"):
        JobSelectorReuser([table, LocalLearnware(_Constant(0), text)]).fit()


# ------------------------------------------------------------------ averaging


class _FixedProba:
    """A learnware returning a fixed probability row (and its argmax as label)."""

    spec = None

    def __init__(self, row: list[float]) -> None:
        self.row = np.asarray(row)

    def predict(self, X):
        return np.full(len(X), int(np.argmax(self.row)))

    def predict_proba(self, X):
        return np.tile(self.row, (len(X), 1))


def test_averaging_vote_by_prob_averages_probabilities_without_softmax():
    rows = [[0.9, 0.1, 0.0], [0.2, 0.3, 0.5], [0.1, 0.6, 0.3]]
    lws = [_FixedProba(r) for r in rows]
    X = np.zeros((5, 2))
    proba = AveragingReuser(lws, mode="vote_by_prob").fit().predict_proba(X)
    naive = np.mean(np.array(rows), axis=0)  # plain mean, no re-softmax
    assert_allclose(proba, np.tile(naive, (5, 1)), rtol=0, atol=1e-15)
    softmaxed = np.mean([np.exp(r) / np.exp(r).sum() for r in np.array(rows)], axis=0)
    assert not np.allclose(proba[0], softmaxed)
    weighted = AveragingReuser(lws, mode="vote_by_prob", weights=[2, 1, 1]).fit()
    assert_allclose(
        weighted.predict_proba(X)[0], (2 * np.array(rows[0]) + rows[1] + rows[2]) / 4
    )
    assert_array_equal(weighted.predict(X), np.zeros(5))


def test_averaging_vote_by_label_majority_weights_and_ties():
    lws = [_FixedProba(r) for r in ([0, 1.0], [0, 1.0], [1.0, 0])]
    X = np.zeros((3, 1))
    assert_array_equal(
        AveragingReuser(lws, mode="vote_by_label").fit().predict(X), [1, 1, 1]
    )
    heavy = AveragingReuser(lws, mode="vote_by_label", weights=[1, 1, 3]).fit()
    assert_array_equal(heavy.predict(X), [0, 0, 0])
    tie = AveragingReuser(lws[1:], mode="vote_by_label").fit()
    assert_array_equal(tie.predict(X), [0, 0, 0])  # ties go to the smallest label


def test_averaging_mean_regression_matches_naive_reference():
    lws = _market("regression")
    X, _, _ = _user("regression")
    reuser = AveragingReuser(lws, mode="mean", weights=[3.0, 1.0]).fit()
    naive = 0.75 * lws[0].predict(X) + 0.25 * lws[1].predict(X)
    assert_allclose(reuser.predict(X), naive, rtol=1e-12)
    with pytest.raises(ReuseError):
        reuser.predict_proba(X)


@pytest.mark.parametrize("mode", ["vote_by_prob", "vote_by_label"])
def test_averaging_classification_beats_the_average_member(mode):
    # Three weak learnwares of one domain, each fitted on 30 rows with 20 % flipped
    # labels: their vote should beat the mean member accuracy.
    rng = np.random.default_rng(5)
    lws = []
    for _ in range(3):
        X, y = _domain(rng, 0, 30, "classification")
        y = np.where(rng.random(30) < 0.2, 1 - y, y)
        lws.append(LocalLearnware(LogisticRegression().fit(X, y)))
    X, y = _domain(rng, 0, 2000, "classification")
    reuser = AveragingReuser(lws, mode=mode).fit()
    members = [np.mean(lw.predict(X) == y) for lw in lws]
    assert np.mean(reuser.predict(X) == y) > np.mean(members)
    if mode == "vote_by_prob":
        assert_allclose(reuser.predict_proba(X).sum(axis=1), 1.0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"mode": "median"}, "mode"), ({"weights": [1.0, -1.0]}, "weights")],
)
def test_averaging_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ReuseError, match=match):
        AveragingReuser(_market("regression"), **kwargs).fit()


# ------------------------------------------------------------------- shared


@pytest.mark.parametrize(
    "make",
    [
        lambda lws: JobSelectorReuser(lws, n_samples=400, random_state=3),
        lambda lws: AveragingReuser(lws, mode="mean", weights=[1.0, 2.0]),
    ],
)
def test_data_free_reusers_clone_and_do_not_mutate_inputs(make):
    lws = _market("regression")
    reuser = make(lws)
    copy = clone(reuser)
    assert copy.get_params(deep=False).keys() == reuser.get_params(deep=False).keys()
    assert not hasattr(copy, "weights_")
    X, _, _ = _user("regression")
    X_before = X.copy()
    spec = _table_spec(lws[0])
    spec_before = spec.z_.copy(), spec.beta_.copy()
    reuser.fit(X).predict(X)
    assert_array_equal(X, X_before)
    assert_array_equal(spec.z_, spec_before[0])
    assert_array_equal(spec.beta_, spec_before[1])
