"""StatIndex: exact ranking vs brute force, incremental updates, spaces, scores."""

from __future__ import annotations

import threading
from typing import cast

import numpy as np
import pytest
from numpy.testing import assert_allclose

from learnware_core.errors import SpecificationError
from learnware_core.search.index import (
    StatIndex,
    feature_space_key,
    score_from_mmd2,
    spec_resolution,
)
from learnware_core.specification.image import RKMEImageSpecification
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.text import SEARCH_GAMMA, RKMETextSpecification

TINY_IMAGE_CONFIG = {"k": 1, "net_width": 4, "net_depth": 2, "seed": 0}


def table_spec(
    rng: np.random.Generator, loc: float, *, k: int = 8, d: int = 3, gamma: float = 0.1
) -> RKMETableSpecification:
    z = loc + rng.normal(size=(k, d))
    beta = rng.dirichlet(np.ones(k))
    return RKMETableSpecification.from_dict(
        {"z": z.tolist(), "beta": beta.tolist(), "gamma": gamma}
    )


def text_spec(
    rng: np.random.Generator,
    topic: np.ndarray,
    encoder: str = "test/fake",
    gamma: float = SEARCH_GAMMA,
) -> RKMETextSpecification:
    E = topic + 0.8 * rng.normal(size=(6, topic.shape[0]))
    E /= np.linalg.norm(E, axis=1, keepdims=True)
    return RKMETextSpecification.from_dict(
        {"z": E.tolist(), "beta": [1 / 6] * 6, "gamma": gamma, "encoder": encoder}
    )


def image_spec(rng: np.random.Generator, pattern: np.ndarray) -> RKMEImageSpecification:
    z = pattern + 0.5 * rng.normal(size=(3, 1, 32, 32))
    return RKMEImageSpecification.from_dict(
        {
            "z": z.astype(np.float32).tolist(),
            "beta": [1 / 3] * 3,
            "n_models": 2,
            "model_config": TINY_IMAGE_CONFIG,
        }
    )


def brute_force(query, specs: dict) -> tuple[list, np.ndarray]:
    keys = list(specs)
    d = np.array([query.dist(specs[k]) for k in keys])
    order = np.lexsort((np.arange(len(keys)), d))
    return [keys[i] for i in order], d[order]


def clustered_table_market(seed: int = 0, n: int = 300) -> dict:
    rng = np.random.default_rng(seed)
    return {f"lw{i}": table_spec(rng, loc=3.0 * (i % 12)) for i in range(n)}


@pytest.mark.parametrize("sketch_min_size", [10_000, 32])  # exhaustive and pruned
def test_search_single_table_matches_brute_force(sketch_min_size: int) -> None:
    specs = clustered_table_market()
    index = StatIndex(sketch_min_size=sketch_min_size, n_features=64)
    index.add_many(specs.items())
    rng = np.random.default_rng(1)
    for loc in (0.0, 7.5, 21.0, 100.0):  # in clusters, between them, far away
        query = table_spec(rng, loc=loc, k=10)
        keys, values = brute_force(query, specs)
        got = index.search_single(query, top_k=10)
        assert [r.key for r in got] == keys[:10]
        assert_allclose([r.mmd2 for r in got], values[:10], rtol=1e-9, atol=1e-14)


def test_search_single_text_matches_brute_force() -> None:
    rng = np.random.default_rng(2)
    topics = rng.normal(size=(5, 16))
    specs = {i: text_spec(rng, topics[i % 5]) for i in range(120)}
    index = StatIndex(sketch_min_size=32, n_features=64)
    index.add_many(specs.items())
    query = text_spec(rng, topics[3])
    keys, values = brute_force(query, specs)
    got = index.search_single(query, top_k=15)
    assert [r.key for r in got] == keys[:15]
    assert_allclose([r.mmd2 for r in got], values[:15], rtol=1e-9, atol=1e-14)


def test_search_single_image_matches_brute_force() -> None:
    rng = np.random.default_rng(3)
    patterns = rng.normal(size=(4, 1, 32, 32))
    specs = {i: image_spec(rng, patterns[i % 4]) for i in range(24)}
    index = StatIndex()
    index.add_many(specs.items())
    query = image_spec(rng, patterns[1])
    keys, values = brute_force(query, specs)
    got = index.search_single(query, top_k=8)
    assert [r.key for r in got] == keys[:8]
    assert_allclose([r.mmd2 for r in got], values[:8], rtol=1e-9, atol=1e-14)
    assert {cast(int, r.key) % 4 for r in got[:5]} == {1}


def test_add_remove_update_equals_fresh_index() -> None:
    specs = clustered_table_market(seed=4, n=200)
    rng = np.random.default_rng(5)
    index = StatIndex(sketch_min_size=32, n_features=64)
    for key, spec in specs.items():  # one by one: growth, pivot refreshes
        index.add(key, spec)
    removed = [f"lw{i}" for i in range(0, 200, 3)]
    for key in removed:  # > 25 % dead: triggers compaction
        index.remove(key)
    replaced = {f"lw{i}": table_spec(rng, loc=6.0) for i in range(1, 40, 5)}
    for key, spec in replaced.items():
        index.update(key, spec)
    final = {k: v for k, v in specs.items() if k not in removed} | replaced
    fresh = StatIndex()
    fresh.add_many(final.items())
    assert len(index) == len(final)
    for loc in (0.0, 6.0, 30.0):
        query = table_spec(rng, loc=loc)
        got = index.search_single(query, top_k=12)
        want = fresh.search_single(query, top_k=12)
        assert [r.key for r in got] == [r.key for r in want]
        assert_allclose([r.mmd2 for r in got], [r.mmd2 for r in want], rtol=1e-12)
        assert not {r.key for r in got} & (set(removed) - set(replaced))
    with pytest.raises(KeyError):
        index.remove("lw0")


def test_candidate_keys_restrict_the_search() -> None:
    specs = clustered_table_market(seed=6, n=100)
    index = StatIndex(sketch_min_size=32, n_features=64)
    index.add_many(specs.items())
    query = table_spec(np.random.default_rng(7), loc=0.0)
    allowed = [f"lw{i}" for i in range(1, 100, 2)] + ["absent"]
    got = index.search_single(query, top_k=5, candidate_keys=allowed)
    keys, _ = brute_force(query, {k: specs[k] for k in allowed if k in specs})
    assert [r.key for r in got] == keys[:5]


def _regammaed(spec: RKMETextSpecification, gamma: float) -> RKMETextSpecification:
    """The same points and weights, another gamma."""
    return RKMETextSpecification.from_dict(
        {
            "z": spec.z_.tolist(),
            "beta": spec.beta_.tolist(),
            "gamma": gamma,
            "encoder": spec.encoder_name_,
        }
    )


def test_text_specs_of_any_gamma_are_searched_under_one_kernel() -> None:
    """A text spec's fitted gamma never makes it unsearchable (issue 21): every
    text spec of an encoder is compared under the space's kernel."""
    rng = np.random.default_rng(21)
    topics = rng.normal(size=(4, 16))
    gammas = (0.5, 0.05, 2.7e-3, SEARCH_GAMMA)
    specs = {
        (t, g): text_spec(rng, topics[t], gamma=g) for t in range(4) for g in gammas
    }
    index = StatIndex()
    index.add_many(specs.items())
    assert len(index.spaces()) == 1
    query = text_spec(rng, topics[2], gamma=0.02)  # a gamma no learnware has
    got = index.search_single(query, top_k=4)
    keys = [cast(tuple[int, float], r.key) for r in got]
    assert {topic for topic, _ in keys} == {2}  # the query's topic, every gamma
    # exact under the search kernel, whatever the stored and the query's gammas
    ref = _regammaed(query, SEARCH_GAMMA)
    for r, key in zip(got, keys, strict=True):
        expected = ref.dist(_regammaed(specs[key], SEARCH_GAMMA))
        assert r.mmd2 == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_gaussian_image_specs_of_any_gamma_share_a_space() -> None:
    rng = np.random.default_rng(22)
    patterns = rng.normal(size=(3, 1, 1, 32, 32))

    def gaussian(pattern: np.ndarray, gamma: float) -> RKMEImageSpecification:
        z = pattern + 0.3 * rng.normal(size=(4, 1, 32, 32))
        return RKMEImageSpecification.from_dict(
            {
                "z": z.astype(np.float32).tolist(),
                "beta": [0.25] * 4,
                "kernel": {"type": "gaussian", "gamma": gamma},
            }
        )

    index = StatIndex()
    for p in range(3):
        for g in (1e-4, 1e-2):
            index.add((p, g), gaussian(patterns[p], g))
    assert len(index.spaces()) == 1
    got = index.search_single(gaussian(patterns[1], 3e-3), top_k=2)
    assert {cast(tuple[int, float], r.key)[0] for r in got} == {1}


def test_spaces_are_never_mixed() -> None:
    rng = np.random.default_rng(8)
    index = StatIndex()
    index.add("d3", table_spec(rng, 0.0, d=3))
    index.add("d4", table_spec(rng, 0.0, d=4))
    index.add("d3-gamma", table_spec(rng, 0.0, d=3, gamma=0.5))
    index.add("text", text_spec(rng, np.ones(3)))
    index.add("text-gamma", text_spec(rng, np.ones(3), gamma=0.5))  # same space
    assert len(index.spaces()) == 4
    got = index.search_single(table_spec(rng, 0.0, d=3), top_k=10)
    assert [r.key for r in got] == ["d3"]
    with pytest.raises(SpecificationError, match="feature space"):
        index.search_single(table_spec(rng, 0.0, d=5))
    with pytest.raises(SpecificationError, match="feature space"):
        index.search_single(text_spec(rng, np.ones(3), encoder="other/encoder"))
    assert feature_space_key(text_spec(rng, np.ones(3)))[1] == "test/fake"


def test_scores_are_calibrated_and_comparable() -> None:
    specs = clustered_table_market(seed=9, n=80)
    index = StatIndex()
    index.add_many(specs.items())
    rng = np.random.default_rng(10)
    query = table_spec(rng, loc=3.0)
    got = index.search_single(query, top_k=80)
    scores = np.array([r.score for r in got])
    assert np.all((scores > 0) & (scores <= 1))
    assert np.all(np.diff(scores) <= 0)  # monotone in mmd2
    res = spec_resolution(query)
    assert_allclose(scores, score_from_mmd2([r.mmd2 for r in got], res))
    # A score depends on the query and the candidate only, never on the others.
    subset = [r.key for r in got[10:20]]
    again = index.search_single(query, top_k=10, candidate_keys=subset)
    assert_allclose([r.score for r in again], scores[10:20])
    assert score_from_mmd2(0.0, res) == 1.0


def test_concurrent_reads_during_writes_stay_exact() -> None:
    specs = clustered_table_market(seed=11, n=150)
    index = StatIndex(sketch_min_size=32, n_features=32)
    index.add_many(list(specs.items())[:50])
    query = table_spec(np.random.default_rng(12), loc=0.0)
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(20):
                for r in index.search_single(query, top_k=5):
                    assert r.mmd2 == pytest.approx(query.dist(specs[r.key]), abs=1e-12)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for i, (key, spec) in enumerate(list(specs.items())[50:]):
        index.add(key, spec)
        if i % 7 == 0:
            index.discard(f"lw{i}")
    for t in threads:
        t.join()
    assert not errors


def test_pruning_bounds_are_valid_and_prune_mixed_queries() -> None:
    """The Hilbert-exclusion bound never exceeds the exact MMD^2 (duplicates,
    a stored spec as the query, mixtures, far queries) and skips most rows for a
    query drawn from two clusters."""
    from learnware_core.search.index import _exact_top_k

    rng = np.random.default_rng(3)
    specs = clustered_table_market(seed=2, n=600)
    specs["dup_a"] = specs["dup_b"] = specs["lw5"]  # exact duplicates
    index = StatIndex(sketch_min_size=32, n_features=64)
    index.add_many(specs.items())
    two = table_spec(rng, loc=6.0, k=20)
    z = np.vstack([table_spec(rng, loc=0.0).z_, table_spec(rng, loc=9.0).z_])
    mixed = RKMETableSpecification.from_dict(
        {"z": z.tolist(), "beta": [1 / 16] * 16, "gamma": 0.1}
    )
    for query in (specs["lw5"], two, mixed, table_spec(rng, loc=500.0)):
        snap, q, rows = index._snapshot_for(query)
        lower = snap.space.lower_bounds(snap, q, rows)
        assert lower is not None
        exact = snap.space.exact(snap, q, rows)
        assert np.all(lower <= exact + 1e-15)
    snap, q, rows = index._snapshot_for(mixed)
    assert _exact_top_k(snap, q, rows, 10)[2] < rows.shape[0] / 3
