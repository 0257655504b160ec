"""The pickle scan check: an allow-list of globals, before anything loads the model.

No test here unpickles anything: the malicious pickles are only ever written.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import zipfile
from pathlib import Path
from typing import Any

import joblib  # type: ignore[import-untyped]
import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier

from benchmarks._hostile_sandbox import (
    HOSTILE_GLOBALS,
    global_call_pickle,
    spawnv_passfds_pickle,
)
from learnware_core.checks import CHECK_STEPS, CheckStepResult, run_checks
from learnware_core.pickle_scan import scan_file, scan_files
from tests.conftest import OFFICIAL_ZIP, TABLE_SPEC

SYSTEM = f"{os.system.__module__}.system"  # posix.system on Linux


class _RunsCommand:
    """Pickles to a call of os.system (never unpickled here)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, ("echo pwned",))


def _package(
    *, replace: dict[str, bytes] | None = None, extra: dict[str, bytes] | None = None
) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(OFFICIAL_ZIP) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item, (replace or {}).get(item.filename) or src.read(item))
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def _check(
    tmp_path: Path, package: bytes, steps: tuple[str, ...] = CHECK_STEPS
) -> dict[str, CheckStepResult]:
    path = tmp_path / "package.zip"
    path.write_bytes(package)
    results = run_checks(
        path, semantic_spec=json.loads(TABLE_SPEC.read_text()), steps=steps
    )
    return {r.name: r for r in results}


def _findings(result: CheckStepResult) -> set[tuple[str, str, str]]:
    return {
        (f["file"], f"{f['module']}.{f['name']}", f["severity"])
        for f in result.details["pickle_scan"]["findings"]
    }


@pytest.fixture
def model_never_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the runtime check ran")

    monkeypatch.setattr("learnware_core.runtime.check_model", refuse)


def test_the_scan_runs_before_anything_loads_the_model() -> None:
    assert CHECK_STEPS.index("pickle_scan") < CHECK_STEPS.index("environment")
    assert CHECK_STEPS.index("pickle_scan") < CHECK_STEPS.index("model_loads")


def test_a_pickle_calling_os_system_fails_and_the_model_never_loads(
    tmp_path: Path, model_never_runs: None
) -> None:
    evil = pickle.dumps(_RunsCommand(), protocol=4)

    steps = _check(tmp_path, _package(replace={"model.pkl": evil}))

    scan = steps["pickle_scan"]
    assert scan.status == "failed"
    assert scan.message == f"model.pkl: dangerous global {SYSTEM}"
    assert ("model.pkl", SYSTEM, "dangerous") in _findings(scan)
    assert f"dangerous   {SYSTEM}" in scan.log
    assert scan.details["pickle_scan"]["files"] == [
        {"file": "model.pkl", "format": "pickle", "error": ""}
    ]
    for later in ("environment", "model_loads", "model_predicts"):
        assert steps[later].status == "skipped"


@pytest.mark.parametrize(
    ("name", "protocol"),
    [("weights", 4), ("model.h5", 5), ("notes.txt", 0), ("state.bin", 2)],
)
def test_a_pickle_is_scanned_whatever_its_file_name(
    tmp_path: Path, model_never_runs: None, name: str, protocol: int
) -> None:
    evil = pickle.dumps(_RunsCommand(), protocol=protocol)

    steps = _check(tmp_path, _package(extra={f"params/{name}": evil}))

    scan = steps["pickle_scan"]
    assert scan.status == "failed"
    assert f"params/{name}: dangerous global {SYSTEM}" in scan.message
    assert (f"params/{name}", SYSTEM, "dangerous") in _findings(scan)


def test_the_official_sklearn_pickle_passes_with_its_globals_listed(
    tmp_path: Path,
) -> None:
    steps = _check(tmp_path, _package(), ("format", "pickle_scan"))

    scan = steps["pickle_scan"]
    assert scan.status == "passed", scan.message
    assert scan.message == (
        "1 pickle file (model.pkl): no dangerous globals, 1 to review"
    )
    model = "sklearn.linear_model._logistic.LogisticRegression"
    assert ("model.pkl", model, "suspicious") in _findings(scan)
    assert ("model.pkl", "numpy.ndarray", "innocuous") in _findings(scan)
    assert f"suspicious  {model}" in scan.log
    assert scan.details["pickle_scan"]["scanner"].startswith("picklescan ")


@pytest.mark.parametrize("compress", [0, 3], ids=["plain", "zlib"])
def test_a_joblib_model_with_arrays_is_scanned_past_the_array_data(
    tmp_path: Path, compress: int
) -> None:
    X = np.random.default_rng(0).normal(size=(60, 6))
    forest = RandomForestClassifier(n_estimators=3, random_state=0)
    joblib.dump(forest.fit(X, X[:, 0] > 0), tmp_path / "forest.pkl", compress=compress)

    package = _package(extra={"forest.pkl": (tmp_path / "forest.pkl").read_bytes()})
    scan = _check(tmp_path, package, ("format", "pickle_scan"))["pickle_scan"]

    assert scan.status == "passed", scan.message
    files = {f["file"]: f for f in scan.details["pickle_scan"]["files"]}
    assert files["forest.pkl"]["format"] == ("joblib+zlib" if compress else "joblib")
    # sklearn.tree._tree.Tree comes after the first array's data: scanned too.
    assert {
        ("forest.pkl", "sklearn.ensemble._forest.RandomForestClassifier", "suspicious"),
        ("forest.pkl", "sklearn.tree._tree.Tree", "suspicious"),
    } <= _findings(scan)


def test_a_dangerous_global_after_joblib_array_data_is_found(tmp_path: Path) -> None:
    model = {
        "weights": np.arange(1000, dtype=np.float64),
        "labels": np.array([_RunsCommand(), "b"], dtype=object),  # a nested pickle
        "then": _RunsCommand(),
    }
    joblib.dump(model, tmp_path / "model.joblib")

    found = scan_file(tmp_path / "model.joblib", "model.joblib")

    assert found is not None
    scanned, findings = found
    assert scanned.format == "joblib"
    assert scanned.error == ""
    assert [f.qualified for f in findings if f.severity == "dangerous"] == [SYSTEM]


def test_a_truncated_pickle_is_reported_and_fails(
    tmp_path: Path, model_never_runs: None
) -> None:
    whole = zipfile.ZipFile(OFFICIAL_ZIP).read("model.pkl")

    steps = _check(tmp_path, _package(replace={"model.pkl": whole[: len(whole) // 2]}))

    scan = steps["pickle_scan"]
    assert scan.status == "failed"
    assert scan.message.startswith("model.pkl: not a valid pickle: ")
    (entry,) = scan.details["pickle_scan"]["files"]
    assert entry["file"] == "model.pkl"
    assert entry["error"].startswith("not a valid pickle")
    assert steps["model_loads"].status == "skipped"


def test_files_that_are_not_pickles_are_not_listed(tmp_path: Path) -> None:
    numbers = io.BytesIO()
    np.save(numbers, np.arange(10.0))
    package = _package(
        extra={
            "data.csv": b"1.5,2\n3,4\n",
            "README.md": b"# A model\n",
            "mean.npy": numbers.getvalue(),
        }
    )

    scan = _check(tmp_path, package, ("format", "pickle_scan"))["pickle_scan"]

    assert [f["file"] for f in scan.details["pickle_scan"]["files"]] == ["model.pkl"]


# ------------------------------------------------------------------ allow-list
def test_a_global_picklescan_only_calls_suspicious_fails_the_check(
    tmp_path: Path, model_never_runs: None
) -> None:
    steps = _check(tmp_path, _package(replace={"model.pkl": spawnv_passfds_pickle()}))

    scan = steps["pickle_scan"]
    assert scan.status == "failed"
    assert scan.message == (
        "model.pkl: dangerous global multiprocessing.util.spawnv_passfds"
    )
    assert steps["model_loads"].status == "skipped"


@pytest.mark.parametrize(
    ("module", "name"), HOSTILE_GLOBALS, ids=[".".join(g) for g in HOSTILE_GLOBALS]
)
def test_globals_off_the_allow_list_are_dangerous(
    tmp_path: Path, module: str, name: str
) -> None:
    path = tmp_path / "model.pkl"
    path.write_bytes(global_call_pickle(module, name))

    report = scan_files(tmp_path)

    assert report.errors == ()
    assert [f.qualified for f in report.dangerous] == [f"{module}.{name}"]


def test_the_package_own_classes_are_allowed_but_not_an_installed_module_name(
    tmp_path: Path,
) -> None:
    (tmp_path / "model.py").write_text("class Net: ...\n")
    (tmp_path / "requests.py").write_text("def get(url): ...\n")
    (tmp_path / "own.pkl").write_bytes(global_call_pickle("model", "Net"))
    (tmp_path / "worker.pkl").write_bytes(
        global_call_pickle("learnware_modelpy", "Adapted")  # a fine-tuned state
    )
    (tmp_path / "main.pkl").write_bytes(global_call_pickle("__main__", "MyModel"))
    (tmp_path / "web.pkl").write_bytes(global_call_pickle("requests", "get"))

    report = scan_files(tmp_path)

    assert [f.qualified for f in report.dangerous] == ["requests.get"]


def _models() -> dict[str, Any]:
    """The models the project itself packages: the demo market's three builders,
    the load benchmark's four, and common others."""
    from sklearn.ensemble import (
        HistGradientBoostingClassifier,
        RandomForestRegressor,
    )
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from learnware_core.scenarios import fashion, wordnet

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = (X[:, 0] > 0).astype(int)
    images = rng.random((20, 1, 28, 28))
    texts = ["a dog", "the cat", "a bird", "cat and dog"]
    return {
        "flights": Ridge(alpha=1.0).fit(X, X[:, 1]),
        "fashion": fashion.model(max_iter=5).fit(images, rng.integers(0, 3, 20)),
        "wordnet": wordnet.model().fit(texts, [0, 1, 0, 1]),
        "load-ridge": Ridge().fit(X, X[:, 1]),
        "load-forest": RandomForestRegressor(3, max_depth=4).fit(X, X[:, 1]),
        "load-logistic": LogisticRegression().fit(X, y),
        "load-forest-cls": RandomForestClassifier(3, max_depth=4).fit(X, y),
        "hgb": HistGradientBoostingClassifier(max_iter=3).fit(X, y),
        "svc": make_pipeline(StandardScaler(), SVC(probability=True)).fit(X, y),
        "mlp": MLPClassifier(max_iter=5).fit(X, y),
        "rng": np.random.default_rng(0),
    }


@pytest.mark.filterwarnings("ignore")
def test_every_model_the_project_packages_passes_the_allow_list(
    tmp_path: Path,
) -> None:
    import torch

    from learnware_core.package import extract_package
    from learnware_core.package.pickled import write_pickled_package
    from learnware_core.specification.rkme import RKMETableSpecification
    from learnware_core.specification.semantic import SemanticSpec

    semantic = SemanticSpec.from_dict(json.loads(TABLE_SPEC.read_text()))
    spec = RKMETableSpecification(gamma=0.1, random_state=0).fit(
        np.random.default_rng(0).normal(size=(20, semantic.input_dimension or 4))
    )
    folder = tmp_path / "files"
    folder.mkdir()
    models = _models()
    for key, model in models.items():
        # as the demo market and the load benchmark write them ...
        zipped = tmp_path / f"{key}.zip"
        write_pickled_package(zipped, model=model, semantic=semantic, stat_spec=spec)
        extract_package(zipped, tmp_path / key)
        # ... and as joblib files, plain and compressed
        joblib.dump(model, folder / f"{key}.joblib")
        joblib.dump(model, folder / f"{key}.z.joblib", compress=3)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU(), torch.nn.Flatten(),
        torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2), torch.nn.LSTM(2, 2),
    )  # fmt: skip
    torch.save(net, folder / "net.pt")
    torch.save(net.state_dict(), folder / "state.pth")
    torch.save(
        net.state_dict(), folder / "legacy.pt", _use_new_zipfile_serialization=False
    )

    for root in [folder, *(tmp_path / key for key in models)]:
        report = scan_files(root)
        assert report.files, root
        assert report.errors == (), root
        assert report.dangerous == (), (root, report.dangerous)
