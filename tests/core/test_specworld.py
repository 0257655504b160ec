"""The specification-world engine, its system specifications and world alignment."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from learnware_core.errors import SpecificationError
from learnware_core.reuse import LocalLearnware, ReuseError
from learnware_core.reuse.world_align import WorldAlignReuser
from learnware_core.search.index import StatIndex, feature_space_key
from learnware_core.specification.base import load_spec
from learnware_core.specification.hetero import HeteroMapTableSpecification
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specworld import (
    ColumnEmbedder,
    EngineError,
    NetConfig,
    TrainConfig,
    WorldEngine,
    WorldTable,
    column_texts,
    train_engine,
)
from learnware_core.specworld.engine import _structural_split
from tests.core.test_rkme_text import HashingEncoder

NET = NetConfig(text_dim=24, hidden=16, out_dim=8, n_layers=1, n_heads=2)
COLUMNS = [f"sensor {name} reading" for name in ("alpha", "beta", "gamma", "delta")]


def _group_rows(group: int, n: int, seed: int) -> np.ndarray:
    """Group 0 sits around -1.5 in every column, group 1 around +1.5 (correlated)."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n, 1))
    return (3.0 * group - 1.5) + base + 0.3 * rng.normal(size=(n, 4))


def _rkme(X: np.ndarray, seed: int = 0) -> RKMETableSpecification:
    return RKMETableSpecification(n_points=30, random_state=seed).fit(X)


@pytest.fixture(scope="module")
def embedder() -> ColumnEmbedder:
    return ColumnEmbedder(HashingEncoder())


@pytest.fixture(scope="module")
def engine(embedder: ColumnEmbedder) -> WorldEngine:
    """Trained on both groups: full four-column tables and two-column islands."""
    tables = []
    for group in (0, 1):
        for seed in range(3):
            X = _group_rows(group, 300, 10 * group + seed)
            tables.append(WorldTable.from_rkme(_rkme(X, seed), COLUMNS))
            tables.append(WorldTable.from_rkme(_rkme(X[:, 2:], seed), COLUMNS[2:]))
    return train_engine(
        tables, net_config=NET, train_config=TrainConfig(epochs=20), embedder=embedder
    )


def test_column_texts_names_missing_columns() -> None:
    assert column_texts({"0": "age", "2": " "}, 3) == [
        "age",
        "unnamed feature 2 of 3",
        "unnamed feature 3 of 3",
    ]
    assert column_texts(["a", "b"], 2) == ["a", "b"]
    assert column_texts(None, 1) == ["unnamed feature 1 of 1"]


def test_column_embedder_encodes_each_text_once() -> None:
    encoder = HashingEncoder()
    embed = ColumnEmbedder(encoder)
    first = embed(["x", "y", "x"])
    again = embed(["y", "x"])
    assert first.shape == (3, 24)
    np.testing.assert_array_equal(again[1], first[0])
    assert encoder.calls == 1


def test_training_is_deterministic_and_learns(
    engine: WorldEngine, embedder: ColumnEmbedder
) -> None:
    tables = [WorldTable.from_rkme(_rkme(_group_rows(1, 200, 5)), COLUMNS)]
    config = TrainConfig(epochs=2, seed=3)
    a = train_engine(tables, net_config=NET, train_config=config, embedder=embedder)
    b = train_engine(tables, net_config=NET, train_config=config, embedder=embedder)
    c = train_engine(
        tables,
        net_config=NET,
        train_config=TrainConfig(epochs=2, seed=4),
        embedder=embedder,
    )
    assert a.version == b.version != c.version
    assert a.version.startswith("w-")
    m = engine.metrics
    assert m["tables"] == 12
    assert m["columns"] == 4
    assert m["loss_last_epoch"] < m["loss_first_epoch"]
    # the two views of a row find each other far above chance (1/30)
    assert m["view_match_top1"] > 0.2


def test_training_needs_a_splittable_table(embedder: ColumnEmbedder) -> None:
    one_column = WorldTable(np.ones((10, 1)), ["only"])
    with pytest.raises(EngineError, match=">= 2 columns"):
        train_engine([one_column], net_config=NET, embedder=embedder)
    with pytest.raises(EngineError, match="text_dim"):
        train_engine(
            [WorldTable(np.ones((10, 2)), ["a", "b"])],
            net_config=NetConfig(text_dim=7),
            embedder=embedder,
        )


def test_system_spec_maps_points_and_keeps_weights(engine: WorldEngine) -> None:
    rkme = _rkme(_group_rows(0, 200, 1))
    spec = engine.system_spec(rkme, COLUMNS)
    assert spec.z_.shape == (rkme.z_.shape[0], NET.out_dim)
    np.testing.assert_allclose(np.linalg.norm(spec.z_, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(spec.beta_, rkme.beta_)
    assert spec.engine_version_ == engine.version
    assert spec.gamma_ == engine.gamma > 0
    data = spec.to_dict()
    assert data["type"] == "HeteroMapTableSpecification"
    assert data["embedding"] is None
    assert data["engine_version"] == engine.version
    back = load_spec(data)
    assert isinstance(back, HeteroMapTableSpecification)
    assert back.dist(spec) == pytest.approx(0.0, abs=1e-12)
    assert feature_space_key(back) == (
        "HeteroMapTableSpecification",
        engine.version,
        NET.out_dim,
        pytest.approx(engine.gamma),
    )


def test_system_specs_of_other_versions_or_types_do_not_compare(
    engine: WorldEngine,
) -> None:
    spec = engine.system_spec(_rkme(_group_rows(0, 200, 1)), COLUMNS)
    other = load_spec(spec.to_dict() | {"engine_version": "w-000000000000"})
    assert not spec.is_compatible(other)
    with pytest.raises(SpecificationError, match="engine versions"):
        spec.dist(other)
    plain = RKMETableSpecification.from_dict(
        spec.to_dict() | {"type": "RKMETableSpecification"}
    )
    with pytest.raises(SpecificationError, match="cannot compare"):
        spec.dist(plain)
    original = {k: v for k, v in spec.to_dict().items() if k != "engine_version"}
    assert load_spec(original).engine_version_ == "unknown"  # type: ignore[attr-defined]


def test_heterogeneous_user_finds_its_group(engine: WorldEngine) -> None:
    """Learnwares with four columns; a user holding two of them (another feature
    space) is nearest, in the world, to the learnwares of its own group."""
    index = StatIndex()
    for group in (0, 1):
        for seed in (7, 8):
            X = _group_rows(group, 300, 100 + 10 * group + seed)
            index.add((group, seed), engine.system_spec(_rkme(X, seed), COLUMNS))
    for group in (0, 1):
        user = _group_rows(group, 300, 500 + group)[:, 2:]
        query = engine.system_spec(_rkme(user, 9), COLUMNS[2:])
        top = index.search_single(query, top_k=2)
        assert [hit.key[0] for hit in top] == [group, group]  # type: ignore[index]


def test_engine_bytes_round_trip(engine: WorldEngine) -> None:
    data = engine.to_bytes()
    back = WorldEngine.from_bytes(data, encoder=HashingEncoder())
    assert back.version == engine.version
    assert back.metrics == engine.metrics
    assert back.gamma == engine.gamma
    X = _group_rows(1, 20, 3)
    np.testing.assert_allclose(
        back.embed(X, COLUMNS), engine.embed(X, COLUMNS), atol=1e-6
    )
    with pytest.raises(EngineError, match="encoder"):
        WorldEngine.from_bytes(data, encoder=HashingEncoder(name="other"))
    with pytest.raises(EngineError, match="not a specification-world engine"):
        WorldEngine.from_bytes(b"not torch")


def test_embed_is_cached_but_returns_copies(engine: WorldEngine) -> None:
    X = _group_rows(0, 10, 4)
    first = engine.embed(X, COLUMNS)
    first[:] = 0.0
    assert np.abs(engine.embed(X, COLUMNS)).sum() > 0


def test_world_align_carries_rows_into_the_learnware_space(engine: WorldEngine) -> None:
    from sklearn.linear_model import LogisticRegression

    X = np.vstack([_group_rows(0, 200, 11), _group_rows(1, 200, 12)])
    y = np.repeat([0, 1], 200)
    spec = _rkme(X, 2)
    lw = LocalLearnware(LogisticRegression().fit(X, y), spec)
    user_X = np.vstack([_group_rows(0, 100, 13), _group_rows(1, 100, 14)])[:, 2:]
    user_y = np.repeat([0, 1], 100)
    reuser = WorldAlignReuser(
        lw, engine, learnware_columns=COLUMNS, user_columns=COLUMNS[2:]
    )
    reuser.fit()
    mapped = reuser.transform(user_X)
    assert mapped.shape == (200, 4)
    z = spec.z_
    # the columns the user lacks come from the learnware's points; the two it
    # shares (described identically) are copied
    assert (mapped[:, :2] >= z.min(axis=0)[:2] - 1e-9).all()
    assert (mapped[:, :2] <= z.max(axis=0)[:2] + 1e-9).all()
    np.testing.assert_array_equal(mapped[:, 2:], user_X)
    assert np.mean(reuser.predict(user_X) == user_y) > 0.8  # chance: 0.5
    world = engine.system_spec(spec, COLUMNS).z_
    same = WorldAlignReuser(
        lw,
        engine,
        learnware_columns=COLUMNS,
        user_columns=COLUMNS[2:],
        learnware_world=world,
    ).fit()
    np.testing.assert_allclose(same.transform(user_X), mapped, atol=1e-9)
    corrected = WorldAlignReuser(
        lw, engine, user_columns=COLUMNS[2:], learnware_columns=COLUMNS
    )
    corrected.fit(user_X[::10], user_y[::10])
    assert corrected.corrector_ is not None
    assert np.mean(corrected.predict(user_X) == user_y) > 0.9


def test_world_align_rejects_bad_parameters(engine: WorldEngine) -> None:
    from sklearn.dummy import DummyClassifier

    X = _group_rows(0, 100, 1)
    model = DummyClassifier().fit(X, np.zeros(100))
    lw = LocalLearnware(model, _rkme(X))
    with pytest.raises(ReuseError, match="sharpness"):
        WorldAlignReuser(lw, engine, sharpness=0.0).fit()
    with pytest.raises(ReuseError, match="one row per RKME point"):
        WorldAlignReuser(lw, engine, learnware_world=np.zeros((3, NET.out_dim))).fit()
    with pytest.raises(ReuseError, match="RKMETableSpecification"):
        WorldAlignReuser(LocalLearnware(model), engine).fit()


def test_world_align_linear_map_keeps_the_spread(engine: WorldEngine) -> None:
    """For regression the affine map, fitted to the kernel mapping and refined by
    MMD, keeps the user's spread that the kernel mean shrinks."""
    from sklearn.linear_model import LinearRegression

    X = np.vstack([_group_rows(0, 300, 21), _group_rows(1, 300, 22)])
    spec = _rkme(X, 3)
    lw = LocalLearnware(LinearRegression().fit(X, X[:, 0] + X[:, 1]), spec)
    user = np.vstack([_group_rows(0, 200, 23), _group_rows(1, 200, 24)])
    truth, user_X = user[:, 0] + user[:, 1], user[:, 2:]  # columns 0, 1 unseen
    scores = {}
    for mapping in ("kernel", "linear"):
        reuser = WorldAlignReuser(
            lw,
            engine,
            task="regression",
            learnware_columns=COLUMNS,
            user_columns=COLUMNS[2:],
            mapping=mapping,
            random_state=0,
        ).fit(user_X)
        pred = reuser.predict(user_X)
        scores[mapping] = 1 - np.mean((pred - truth) ** 2) / np.var(truth)
    assert reuser.coef_.shape == (4, 2)
    assert scores["linear"] > 0.5
    assert scores["linear"] > scores["kernel"]
    with pytest.raises(ReuseError, match="X or user_spec"):
        WorldAlignReuser(lw, engine, mapping="linear").fit()
    with pytest.raises(ReuseError, match="mapping"):
        WorldAlignReuser(lw, engine, mapping="cubic").fit()  # type: ignore[arg-type]


@pytest.mark.parametrize("arch", ["deepsets", "transformer"])
def test_both_architectures_embed_rows_as_unit_vectors(
    arch: str, embedder: ColumnEmbedder
) -> None:
    tables = [WorldTable.from_rkme(_rkme(_group_rows(0, 100, 1)), COLUMNS)]
    config = NetConfig(text_dim=24, hidden=16, out_dim=8, n_layers=1, n_heads=2)
    engine = train_engine(
        tables,
        net_config=dataclasses.replace(config, arch=arch),  # type: ignore[arg-type]
        train_config=TrainConfig(epochs=2),
        embedder=embedder,
    )
    assert engine.net.config.arch == arch
    world = engine.embed(_group_rows(1, 7, 2), COLUMNS)
    assert world.shape == (7, 8)
    np.testing.assert_allclose(np.linalg.norm(world, axis=1), 1.0, rtol=1e-5)
    # a table with an unseen column and a missing description still embeds
    assert engine.embed(np.ones((2, 3)), {"0": "a column never seen"}).shape == (2, 8)


def test_structural_split_separates_feature_spaces_joined_by_a_learnware() -> None:
    raw, engineered = ["a", "b", "c"], ["x", "y"]
    sets = {frozenset(raw), frozenset(engineered), frozenset(raw + engineered)}
    order, cut = _structural_split(raw + engineered, sets)  # type: ignore[misc]
    assert sorted(order[:cut]) == [0, 1, 2]
    assert sorted(order[cut:]) == [3, 4]
    assert _structural_split(raw, sets) is None  # one feature space: no split


def test_world_align_copies_identically_described_columns(engine: WorldEngine) -> None:
    from sklearn.linear_model import LinearRegression

    X = _group_rows(1, 300, 31)
    lw = LocalLearnware(LinearRegression().fit(X, X.sum(axis=1)), _rkme(X, 4))
    user = _group_rows(1, 50, 32)[:, [3, 1]]  # described as the learnware's 3 and 1
    for mapping in ("kernel", "linear"):
        reuser = WorldAlignReuser(
            lw,
            engine,
            learnware_columns=COLUMNS,
            user_columns=[COLUMNS[3], COLUMNS[1]],
            mapping=mapping,
            random_state=0,
        ).fit(user)
        mapped = reuser.transform(user)
        np.testing.assert_array_equal(mapped[:, 3], user[:, 0])
        np.testing.assert_array_equal(mapped[:, 1], user[:, 1])
