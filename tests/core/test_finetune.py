"""Fine-tuning a deployed learnware with labelled data and saving it as a package."""

from __future__ import annotations

import json
import pickle
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from learnware_core.checks import run_checks
from learnware_core.cli import main
from learnware_core.errors import PackageError
from learnware_core.package import extract_package, inspect_package, write_package
from learnware_core.runtime import (
    DeployedLearnware,
    Environment,
    LearnwareRunError,
    SandboxLimits,
    sandbox_available,
)
from learnware_core.runtime.finetuned import STATE_FILE, WRAPPER_CLASS, WRAPPER_FILE
from learnware_core.specification.base import StatSpecification
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.semantic import SemanticSpec
from tests.conftest import TABLE_SPEC

pytestmark = pytest.mark.skipif(
    not sandbox_available(), reason="bubblewrap cannot create namespaces here"
)

TEST_CACHE = Path(tempfile.gettempdir()) / "bmw-test-envs"
FAST = SandboxLimits(cpu_seconds=120, wall_seconds=30, memory_bytes=2 << 30)

# A linear classifier fitted (least squares) on y = (x0 > 0); its finetune refits on
# the user's rows and records them in an object of a class from a sibling module,
# so the saved pickle refers to the package's own modules. numpy only: a worker
# starts in well under a second. Special inputs make it fail or hang.
MODEL = """
import time

import numpy as np
from learnware.model import BaseModel

from .helpers import History


def _least_squares(X, y):
    A = np.column_stack([np.asarray(X, dtype=float), np.ones(len(X))])
    return np.linalg.lstsq(A, 2.0 * np.asarray(y) - 1.0, rcond=None)[0]


class Model(BaseModel):
    def __init__(self):
        super().__init__(input_shape=(4,), output_shape=(1,))
        X = np.random.default_rng(0).normal(size=(200, 4))
        self.w = _least_squares(X, X[:, 0] > 0)
        self.history = History()

    def _scores(self, X):
        return np.asarray(X, dtype=float) @ self.w[:-1] + self.w[-1]

    def predict(self, X):
        return (self._scores(X) > 0).astype(int)

    def predict_proba(self, X):
        p = 1 / (1 + np.exp(-4 * self._scores(X)))
        return np.column_stack([1 - p, p])
{methods}
"""
HELPERS = """
class History:
    def __init__(self):
        self.rows = []
"""
FINETUNE = """
    def finetune(self, X, y):
        if len(X) == 1:
            time.sleep(600)
        if np.all(np.asarray(y) == 7):
            self.w = None
            raise RuntimeError("cannot adapt to these labels")
        self.w = _least_squares(X, y)
        self.history.rows.append(len(X))
"""
FIT_ONLY = """
    def fit(self, X, y):
        self.w = _least_squares(X, y)
"""
UNPICKLABLE = """
    def finetune(self, X, y):
        self.w = _least_squares(X, y)
        self.hook = lambda: None
"""


def _semantic() -> SemanticSpec:
    data: dict[str, Any] = json.loads(TABLE_SPEC.read_text())
    data["Input"] = {"Dimension": 4, "Description": {str(i): f"f{i}" for i in range(4)}}
    data["Output"] = {"Dimension": 2, "Description": {"0": "no", "1": "yes"}}
    return SemanticSpec.from_dict(data)


def _zip(path: Path, methods: str = FINETUNE) -> Path:
    X = np.random.default_rng(0).normal(size=(80, 4))
    write_package(
        path,
        model_files={
            "__init__.py": MODEL.format(methods=methods),
            "helpers.py": HELPERS,
        },
        learnware_yaml={"model": {"class_name": "Model", "kwargs": {}}},
        stat_specs={
            "stat.json": RKMETableSpecification(n_points=10, random_state=0).fit(X)
        },
        requirements="numpy\n",
        semantic_spec=_semantic(),
    )
    return path


def _deploy(package_zip: Path, folder: Path) -> DeployedLearnware:
    extract_package(package_zip, folder)
    return DeployedLearnware(folder, environment=Environment.current(), limits=FAST)


def _flipped(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows labelled the opposite way of the original training data."""
    X = np.random.default_rng(seed).normal(size=(n, 4))
    return X, (X[:, 0] <= 0).astype(int)


@pytest.fixture(scope="module")
def original_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _zip(tmp_path_factory.mktemp("original") / "lw.zip")


@pytest.fixture(scope="module")
def finetuned(
    original_zip: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Fine-tune once on flipped labels, save; what each test needs to compare."""
    tmp = tmp_path_factory.mktemp("finetuned")
    X_train, y_train = _flipped(150, seed=1)
    X_test, y_test = _flipped(200, seed=2)
    with _deploy(original_zip, tmp / "original") as lw:
        before = lw.predict(X_test)
        lw.finetune(X_train, y_train)
        after = lw.predict(X_test)
        proba = lw.predict_proba(X_test)
        info = lw.save_finetuned(tmp / "adapted.zip")
        method = lw.finetune_method
    return {
        "zip": tmp / "adapted.zip",
        "info": info,
        "method": method,
        "X_test": X_test,
        "y_test": y_test,
        "before": before,
        "after": after,
        "proba": proba,
    }


def test_finetune_adapts_the_running_model(finetuned: dict[str, Any]) -> None:
    y_test = finetuned["y_test"]
    assert finetuned["method"] == "finetune"
    assert np.mean(finetuned["before"] == y_test) < 0.1  # the original is wrong
    assert np.mean(finetuned["after"] == y_test) > 0.9


def test_saved_package_keeps_the_original_files_and_specs(
    finetuned: dict[str, Any], original_zip: Path
) -> None:
    info = inspect_package(finetuned["zip"])
    assert info.files == finetuned["info"].files
    assert info.manifest == finetuned["info"].manifest
    assert info.manifest.model.class_name == WRAPPER_CLASS
    assert info.manifest.model.module_file == WRAPPER_FILE
    kwargs = info.manifest.model.kwargs
    assert kwargs["base_module"] == "__init__.py"
    assert kwargs["base_class"] == "Model"
    assert kwargs["input_shape"] == [4]
    assert kwargs["output_shape"] == [1]
    assert {"__init__.py", "helpers.py", "requirements.txt", "stat.json"} <= set(
        info.files
    )
    assert info.files[STATE_FILE] > 0
    with zipfile.ZipFile(original_zip) as old, zipfile.ZipFile(finetuned["zip"]) as new:
        for name in ("__init__.py", "helpers.py", "requirements.txt", "stat.json"):
            assert new.read(name) == old.read(name), name
    assert info.semantic_spec == _semantic()


def test_saved_package_runs_with_the_adapted_predictions(
    finetuned: dict[str, Any], tmp_path: Path
) -> None:
    X_test = finetuned["X_test"]
    with _deploy(finetuned["zip"], tmp_path / "adapted") as lw:
        np.testing.assert_array_equal(lw.predict(X_test), finetuned["after"])
        np.testing.assert_allclose(lw.predict_proba(X_test), finetuned["proba"])
        assert lw.input_shape == [4]
        assert lw.output_shape == [1]


def test_saved_package_passes_the_dock_checks(
    finetuned: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(finetuned["zip"]), "--quiet"]) == 0
    results = run_checks(
        finetuned["zip"],
        semantic_spec=_semantic().to_dict(),
        config={"runtime": {"cache_dir": TEST_CACHE}},
    )
    assert [(r.name, r.status) for r in results if r.status != "passed"] == []


def test_the_host_never_unpickles(
    original_zip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the host unpickled something")

    for name in ("load", "loads", "Unpickler", "_Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    X, y = _flipped(100, seed=3)
    with _deploy(original_zip, tmp_path / "original") as lw:
        adapted = lw.finetune(X, y).predict(X)
        lw.save_finetuned(tmp_path / "adapted.zip")
    with _deploy(tmp_path / "adapted.zip", tmp_path / "adapted") as again:
        np.testing.assert_array_equal(again.predict(X), adapted)


def test_finetuning_a_finetuned_package_again(
    finetuned: dict[str, Any], tmp_path: Path
) -> None:
    X_test = finetuned["X_test"]
    X = np.random.default_rng(4).normal(size=(150, 4))
    original_labels = (X[:, 0] > 0).astype(int)
    with _deploy(finetuned["zip"], tmp_path / "adapted") as lw:
        lw.finetune(X, original_labels)
        assert lw.finetune_method == "finetune"  # the inner model's own
        back = lw.predict(X_test)
        info = lw.save_finetuned(tmp_path / "twice.zip")
    assert np.mean(back == (X_test[:, 0] > 0)) > 0.9
    assert info.manifest.model.kwargs["base_module"] == "__init__.py"
    assert info.manifest.model.kwargs["base_class"] == "Model"
    with _deploy(tmp_path / "twice.zip", tmp_path / "twice") as again:
        np.testing.assert_array_equal(again.predict(X_test), back)


def test_finetune_checks_its_input_and_save_can_replace_the_stat_spec(
    original_zip: Path, tmp_path: Path
) -> None:
    X, y = _flipped(60, seed=5)
    mine = RKMETableSpecification(n_points=10, random_state=0).fit(X)
    with _deploy(original_zip, tmp_path / "lw") as lw:
        with pytest.raises(LearnwareRunError, match="same, non-zero number of rows"):
            lw.finetune(X, y[:-1])
        with pytest.raises(LearnwareRunError, match="method must be one of"):
            lw.finetune(X, y, method="partial_fit")
        with pytest.raises(LearnwareRunError, match="y must be a numeric array"):
            lw.finetune(X[:2], np.array([{}, {}], dtype=object))
        lw.finetune(X, y)
        info = lw.save_finetuned(tmp_path / "mine.zip", stat_spec=mine)
        with pytest.raises(PackageError, match="no OtherSpecification"):
            lw.save_finetuned(tmp_path / "bad.zip", stat_spec=_OtherSpec())
    saved = info.stat_spec("RKMETableSpecification")
    assert saved is not None
    assert saved.to_dict() == mine.to_dict()
    assert not (tmp_path / "bad.zip").exists()


class _OtherSpec(StatSpecification):
    """A specification type the package does not have."""

    type_name = "OtherSpecification"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type_name}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> _OtherSpec:
        return cls()

    def dist(self, other: StatSpecification) -> float:
        return 0.0


def test_finetune_falls_back_to_fit(tmp_path: Path) -> None:
    X, y = _flipped(100, seed=6)
    with _deploy(_zip(tmp_path / "fit.zip", FIT_ONLY), tmp_path / "lw") as lw:
        assert lw.finetune(X, y).finetune_method == "fit"
        assert np.mean(lw.predict(X) == y) > 0.9
        with pytest.raises(LearnwareRunError, match=r"does not implement finetune"):
            lw.finetune(X, y, method="finetune")


def test_a_failed_or_stopped_finetune_restarts_from_the_original(
    original_zip: Path, tmp_path: Path
) -> None:
    X, y = _flipped(50, seed=7)
    with _deploy(original_zip, tmp_path / "lw") as lw:
        original = lw.predict(X)
        with pytest.raises(LearnwareRunError) as err:
            lw.finetune(X, np.full(50, 7))
        message = str(err.value)
        assert "finetune raised" in message
        assert "RuntimeError: cannot adapt to these labels" in message
        assert "restarts from the original model" in message
        assert lw.finetune_method is None
        np.testing.assert_array_equal(lw.predict(X), original)
        with pytest.raises(LearnwareRunError, match="call finetune"):
            lw.save_finetuned(tmp_path / "nothing.zip")

        lw.finetune(X, y)
        with pytest.raises(LearnwareRunError) as err:
            lw.finetune(X[:1], y[:1], timeout=2)
        assert "no answer within 2" in str(err.value)
        assert "the earlier fine-tuning is discarded" in str(err.value)
        np.testing.assert_array_equal(lw.predict(X), original)


def _labelled_csv(path: Path, n: int, seed: int) -> Path:
    X, y = _flipped(n, seed)
    lines = ["id,f0,f1,f2,f3,label"]
    lines += [
        f"row{i}," + ",".join(f"{v:.17g}" for v in x) + f",{t}"
        for i, (x, t) in enumerate(zip(X, y, strict=True))
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_cli_finetune_a_local_zip(
    original_zip: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BMW_CACHE_DIR", str(TEST_CACHE))
    data = _labelled_csv(tmp_path / "train.csv", 120, seed=10)
    out = tmp_path / "adapted.zip"
    args = ["finetune", str(original_zip), "--data", str(data), "--target", "label"]
    assert main([*args, "--drop", "id", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "with its finetune(X, y) on 120 rows" in err
    assert f"wrote {out}" in err
    assert "still describes the original training data" in err
    assert main(["check", str(out), "--quiet"]) == 0
    X_test, y_test = _flipped(200, seed=11)
    with _deploy(out, tmp_path / "adapted") as lw:
        assert np.mean(lw.predict(X_test) == y_test) > 0.9


def test_cli_finetune_bad_input_is_one_line(
    original_zip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _labelled_csv(tmp_path / "train.csv", 10, seed=12)
    out = tmp_path / "out.zip"
    args = ["finetune", str(original_zip), "--data", str(data), "-o", str(out)]
    assert main([*args, "--target", "nope", "--drop", "id"]) == 2
    assert "no column(s) 'nope'" in capsys.readouterr().err
    assert main([*args, "--target", "id"]) == 2
    assert "--target 'id': must be a numeric column" in capsys.readouterr().err
    assert (
        main(
            [
                "finetune",
                "missing.zip",
                "--data",
                str(data),
                "--target",
                "label",
                "-o",
                str(out),
            ]
        )
        == 2
    )
    assert "neither a learnware id nor a package zip" in capsys.readouterr().err
    assert not out.exists()


def test_cli_finetune_without_bubblewrap_refuses_naming_the_opt_out(
    original_zip: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Sandboxed by default (issue 22): no bubblewrap, no run, unless --unsandboxed."""
    from learnware_core.runtime import sandbox as sandbox_module

    monkeypatch.setattr(
        sandbox_module, "_probe", lambda privileged: "/usr/bin/bwrap is not installed"
    )
    data = _labelled_csv(tmp_path / "train.csv", 30, seed=13)
    out = tmp_path / "adapted.zip"
    args = ["finetune", str(original_zip), "--data", str(data), "--target", "label"]
    assert main([*args, "--drop", "id", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "bwrap is not installed" in err
    assert "--unsandboxed" in err
    assert not out.exists()
