"""Real-data scenarios: flights scaling, WordNet's super-categories, Fashion-MNIST
sampling, and packages of in-memory scikit-learn models."""

from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

from learnware_core.package import inspect_package
from learnware_core.package.pickled import write_pickled_package
from learnware_core.scenarios import (
    ScenarioDataMissing,
    fashion,
    flights,
    mfeat,
    wordnet,
)
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.semantic import SemanticSpec


def test_flights_inputs_are_scaled_by_the_published_constants() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({name: [c, c + s] for name, (c, s) in flights.SCALING.items()})

    X = flights.matrix(frame)

    np.testing.assert_allclose(X, [[0.0] * 8, [1.0] * 8])
    described = flights.feature_descriptions()
    assert list(described) == [str(i) for i in range(8)]
    assert described["2"].startswith("dep_delay: departure delay")
    assert "(value - 0) / 40" in described["2"]


def test_every_wordnet_lexicographer_file_has_one_super_category() -> None:
    assert len(wordnet.LEXNAMES) == 45
    assert sorted(wordnet.SUPER_OF_LEXFILE) == list(range(45))
    assert set(wordnet.SUPER_OF_LEXFILE.values()) == set(range(5))
    if not (wordnet.DIR / "data.noun").is_file():
        pytest.skip("wordnet-base not installed")
    texts, labels = wordnet.glosses()
    assert len(texts) == len(labels) == 117659
    assert texts[0].startswith("that which is perceived or known")
    assert labels[0] == wordnet.SUPER_OF_LEXFILE[wordnet.LEXNAMES.index("noun.Tops")]


def test_fashion_sample_keeps_the_class_proportions() -> None:
    y = np.repeat(np.arange(10, dtype=np.uint8), 500)
    rows = fashion.sample(
        y, (3, 7, 1, 0), (0.4, 0.4, 0.1, 0.1), 1000, np.random.default_rng(0)
    )

    counts = {int(c): int((y[rows] == c).sum()) for c in np.unique(y[rows])}

    assert counts == {3: 400, 7: 400, 1: 100, 0: 100}
    assert len(set(rows.tolist())) == 1000  # no image twice


def test_a_pickled_model_package_is_valid_and_predicts_like_the_model(
    tmp_path: Path,
) -> None:
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    model = Ridge().fit(X, X @ [1.0, -2.0, 0.5])
    semantic = SemanticSpec.from_dict(
        {
            "Data": {"Type": "Class", "Values": ["Table"]},
            "Task": {"Type": "Class", "Values": ["Regression"]},
            "Library": {"Type": "Class", "Values": ["Scikit-learn"]},
            "Scenario": {"Type": "Tag", "Values": ["Others"]},
            "License": {"Type": "Class", "Values": ["MIT"]},
            "Name": {"Type": "String", "Values": "tiny ridge"},
            "Description": {
                "Type": "String",
                "Values": "A ridge regression for tests.",
            },
            "Input": {"Dimension": 3, "Description": {"0": "a", "1": "b", "2": "c"}},
            "Output": {"Dimension": 1, "Description": {"0": "y"}},
        }
    )
    spec = RKMETableSpecification(n_points=10, random_state=0).fit(X)

    info = write_pickled_package(
        tmp_path / "lw.zip",
        model=model,
        semantic=semantic,
        stat_spec=spec,
        output_dimension=1,
    )

    assert set(info.files) >= {
        "__init__.py",
        "model.pkl",
        "learnware.yaml",
        "stat.json",
    }
    inspect_package(tmp_path / "lw.zip", semantic_spec=semantic)
    assert info.manifest.model.kwargs["input_shape"] == (3,)
    assert info.manifest.model.kwargs["output_shape"] == (1,)
    with zipfile.ZipFile(tmp_path / "lw.zip") as zf:
        unpickled = pickle.loads(zf.read("model.pkl"))
    np.testing.assert_allclose(unpickled.predict(X[:5]), model.predict(X[:5]))


def test_mfeat_views_describe_the_same_2000_digits() -> None:
    try:
        views = {view: mfeat.load(view) for view in mfeat.VIEWS}
    except ScenarioDataMissing as exc:
        pytest.skip(str(exc))
    labels = views["pix"][1]
    assert np.bincount(labels).tolist() == [200] * 10
    for view, (X, y) in views.items():
        d = mfeat.VIEWS[view][0]
        assert X.shape == (2000, d)
        assert np.isfinite(X).all()
        np.testing.assert_array_equal(y, labels)  # rows aligned across views
        assert list(mfeat.feature_descriptions(view)) == [str(i) for i in range(d)]
    with pytest.raises(ValueError, match="unknown view"):
        mfeat.load("xyz")


def test_flights_second_feature_engineering_has_its_own_columns() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "year": [2013, 2013],
            "month": [1, 1],
            "day": [5, 7],  # a Saturday and a Monday
            "dep_delay": [60.0, -6.0],
            "distance": [np.exp(6.5), 700.0],
            "air_time": [150.0, 100.0],
            "sched_dep_time": [0, 1200],
            "sched_arr_time": [600, 1800],
        }
    )

    X = flights.matrix_fe(frame)

    assert X.shape == (2, len(flights.FE_FEATURES))
    np.testing.assert_allclose(X[:, 0], [1.0, -0.1])  # delay in hours
    np.testing.assert_allclose(X[:, 1:3], [[0.0, 1.0], [0.0, -1.0]], atol=1e-12)
    np.testing.assert_allclose(X[0, 5], 0.0, atol=1e-12)  # log(distance) - 6.5
    np.testing.assert_allclose(X[:, 8], [1.0, 0.0])  # weekend
    assert len(flights.fe_feature_descriptions()) == len(flights.FE_FEATURES)
