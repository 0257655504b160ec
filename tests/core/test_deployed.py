"""DeployedLearnware: one long-lived sandboxed worker per learnware."""

from __future__ import annotations

import importlib.util
import json
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from learnware_core.client import Client
from learnware_core.reuse import AveragingReuser, JobSelectorReuser, LearnwareLike
from learnware_core.runtime import (
    DeployedLearnware,
    Environment,
    EnvironmentBuilder,
    IndexOptions,
    LearnwareRunError,
    SandboxLimits,
    SandboxUnavailableError,
    sandbox_available,
)
from learnware_core.runtime import sandbox as sandbox_module
from learnware_core.specification.rkme import RKMETableSpecification
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(
    not sandbox_available(), reason="bubblewrap cannot create namespaces here"
)

TEST_CACHE = Path(tempfile.gettempdir()) / "bmw-test-envs"
RUN_PY = REPO / "market" / "bundles" / "files" / "run.py"
FAST = SandboxLimits(cpu_seconds=60, wall_seconds=20, memory_bytes=2 << 30)

MODEL = """
import os
import numpy as np
from learnware.model import BaseModel


class Model(BaseModel):
    def __init__(self, shift=0.0):
        super().__init__(input_shape=(4,), output_shape=(2,))
        self.shift = shift

    def predict(self, X):
        X = np.asarray(X)
        if X[0, 0] > 1000:
            raise ValueError("row too large for this model")
        if X[0, 0] < -1000:
            os._exit(3)
        print("noise on stdout must not break the protocol")
        return (X.sum(axis=1) + self.shift > 0).astype(int)
{proba}
"""

PROBA = """
    def predict_proba(self, X):
        p = 1 / (1 + np.exp(-(np.asarray(X).sum(axis=1) + self.shift)))
        return np.column_stack([1 - p, p])
"""


def _package(
    root: Path, *, proba: bool = True, shift: float = 0.0, seed: int = 0
) -> Path:
    """A numpy-only learnware: 4 inputs, labels 0/1 (and probabilities)."""
    root.mkdir(parents=True)
    (root / "__init__.py").write_text(MODEL.format(proba=PROBA if proba else ""))
    (root / "learnware.yaml").write_text(
        "model:\n  class_name: Model\n"
        f"  kwargs: {{shift: {shift}}}\n"
        "stat_specifications:\n- module_path: learnware.specification\n"
        "  class_name: RKMETableSpecification\n  file_name: stat.json\n  kwargs: {}\n"
    )
    X = np.random.default_rng(seed).normal(loc=3 * seed, size=(80, 4))
    spec = RKMETableSpecification(n_points=10, random_state=0).fit(X)
    (root / "stat.json").write_text(json.dumps(spec.to_dict()))
    (root / "requirements.txt").write_text("numpy\n")
    return root


def _deploy(package: Path) -> DeployedLearnware:
    return DeployedLearnware(package, environment=Environment.current(), limits=FAST)


@pytest.fixture
def X() -> np.ndarray:
    return np.random.default_rng(1).normal(size=(7, 4))


def test_deployed_learnware_predicts_several_times_in_one_process(
    tmp_path: Path, X: np.ndarray
) -> None:
    with _deploy(_package(tmp_path / "lw")) as lw:
        pid = lw.pid
        assert pid is not None
        assert lw.sandboxed
        for _ in range(3):
            np.testing.assert_array_equal(lw.predict(X), (X.sum(axis=1) > 0))
        assert lw.pid == pid
        assert lw.input_shape == [4]
        assert lw.output_shape == [2]


def test_deployed_learnware_predict_proba_only_when_the_model_has_it(
    tmp_path: Path, X: np.ndarray
) -> None:
    with _deploy(_package(tmp_path / "proba")) as lw:
        proba = lw.predict_proba(X)
        p = 1 / (1 + np.exp(-X.sum(axis=1)))
        np.testing.assert_allclose(proba, np.column_stack([1 - p, p]), rtol=1e-12)
    with _deploy(_package(tmp_path / "labels", proba=False)) as lw:
        assert not hasattr(lw, "predict_proba")


def test_deployed_learnware_spec_comes_from_the_package(tmp_path: Path) -> None:
    package = _package(tmp_path / "lw")
    with _deploy(package) as lw:
        assert isinstance(lw, LearnwareLike)
        assert isinstance(lw.spec, RKMETableSpecification)
        saved = json.loads((package / "stat.json").read_text())
        assert lw.spec.to_dict() == saved


def test_deployed_learnware_model_error_is_reported_and_worker_keeps_serving(
    tmp_path: Path, X: np.ndarray
) -> None:
    with _deploy(_package(tmp_path / "lw")) as lw:
        pid = lw.pid
        with pytest.raises(LearnwareRunError, match="row too large for this model"):
            lw.predict(np.full((2, 4), 5000.0))
        assert lw.pid == pid
        np.testing.assert_array_equal(lw.predict(X), (X.sum(axis=1) > 0))


def test_deployed_learnware_restarts_a_worker_that_died(
    tmp_path: Path, X: np.ndarray
) -> None:
    with _deploy(_package(tmp_path / "lw")) as lw:
        pid = lw.pid
        with pytest.raises(LearnwareRunError, match="the worker exited"):
            lw.predict(np.full((2, 4), -5000.0))
        assert lw.pid is None
        np.testing.assert_array_equal(lw.predict(X), (X.sum(axis=1) > 0))
        assert lw.pid not in (None, pid)


def test_deployed_learnware_stops_a_request_over_the_time_limit(
    tmp_path: Path, X: np.ndarray
) -> None:
    package = _package(tmp_path / "lw")
    init = package / "__init__.py"
    init.write_text(
        init.read_text().replace(
            "        X = np.asarray(X)\n",
            "        X = np.asarray(X)\n        if X.shape[0] == 1:\n"
            "            while True:\n                pass\n",
            1,
        )
    )
    limits = SandboxLimits(cpu_seconds=60, wall_seconds=2, memory_bytes=2 << 30)
    with DeployedLearnware(
        package, environment=Environment.current(), limits=limits
    ) as lw:
        with pytest.raises(LearnwareRunError, match="no answer within"):
            lw.predict(X[:1])
        np.testing.assert_array_equal(lw.predict(X), (X.sum(axis=1) > 0))


def test_deployed_learnware_close_kills_the_worker(tmp_path: Path) -> None:
    lw = _deploy(_package(tmp_path / "lw"))
    proc = lw._proc
    assert proc is not None
    lw.close()
    assert proc.poll() is not None
    assert lw.pid is None
    lw.close()  # idempotent
    with pytest.raises(LearnwareRunError, match="closed"):
        lw.predict(np.zeros((1, 4)))


def test_deployed_learnware_context_manager_closes(tmp_path: Path) -> None:
    with _deploy(_package(tmp_path / "lw")) as lw:
        proc = lw._proc
        assert proc is not None
        assert proc.poll() is None
    assert proc.poll() is not None


def test_deployed_learnware_load_failure_is_clear(tmp_path: Path) -> None:
    package = _package(tmp_path / "lw")
    (package / "__init__.py").write_text("raise RuntimeError('cannot load me')\n")
    with pytest.raises(LearnwareRunError, match="load model failed") as err:
        _deploy(package)
    assert "cannot load me" in str(err.value)


def test_deployed_learnwares_work_with_reusers(tmp_path: Path, X: np.ndarray) -> None:
    first = _deploy(_package(tmp_path / "a", seed=0))
    second = _deploy(_package(tmp_path / "b", shift=100.0, seed=1))
    try:
        proba = AveragingReuser([first, second], mode="vote_by_prob").fit()
        expected = (first.predict_proba(X) + second.predict_proba(X)) / 2
        np.testing.assert_allclose(proba.predict_proba(X), expected, rtol=1e-12)

        selector = JobSelectorReuser([first, second], n_samples=100, random_state=0)
        user = np.random.default_rng(2).normal(loc=3.0, size=(20, 4))
        routed = selector.fit(user).predict(user)
        assert routed.shape == (20,)
        assert set(np.unique(routed)) <= {0, 1}
    finally:
        first.close()
        second.close()


def test_deployed_learnware_reuses_the_cached_environment(
    tmp_path: Path, X: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _package(tmp_path / "lw")
    (package / "requirements.txt").write_text("scikit-learn\nnumpy\n")
    index = IndexOptions.from_pip_config()
    with DeployedLearnware(
        package, cache_dir=TEST_CACHE, index=index, limits=FAST
    ) as lw:
        first = lw.environment
        assert lw.predict(X).shape == (7,)

    def no_install(*args: object) -> None:
        raise AssertionError("the environment should come from the cache")

    monkeypatch.setattr(EnvironmentBuilder, "_install", no_install)
    with DeployedLearnware(
        package, cache_dir=TEST_CACHE, index=index, limits=FAST
    ) as again:
        assert again.environment == first
        assert again.environment.prefix.is_relative_to(TEST_CACHE / "envs")
        np.testing.assert_array_equal(again.predict(X), (X.sum(axis=1) > 0))


# ------------------------------------------------------------ sandboxed by default
NO_BWRAP = "/usr/bin/bwrap is not installed (apt-get install bubblewrap)"


@pytest.fixture
def no_bwrap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox_module, "_probe", lambda privileged: NO_BWRAP)


@pytest.fixture
def current_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Environments are this interpreter (no build)."""
    monkeypatch.setattr(
        EnvironmentBuilder, "build", lambda self, requirements: Environment.current()
    )


def test_deployed_learnware_without_bubblewrap_fails_saying_how_to_install(
    tmp_path: Path, no_bwrap: None
) -> None:
    with pytest.raises(SandboxUnavailableError, match="apt-get install bubblewrap"):
        _deploy(_package(tmp_path / "lw"))


def test_deployed_learnware_runs_unsandboxed_only_when_asked_with_a_warning(
    tmp_path: Path, X: np.ndarray, no_bwrap: None
) -> None:
    with pytest.warns(RuntimeWarning, match="WITHOUT a sandbox"):
        lw = DeployedLearnware(
            _package(tmp_path / "lw"),
            environment=Environment.current(),
            limits=FAST,
            allow_unsandboxed=True,
        )
    with lw:
        assert not lw.sandboxed
        np.testing.assert_array_equal(lw.predict(X), (X.sum(axis=1) > 0))


def test_client_load_is_sandboxed_unless_told_otherwise(
    tmp_path: Path,
    X: np.ndarray,
    no_bwrap: None,
    current_env: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    package = _package(tmp_path / "lw")
    monkeypatch.setattr(
        Client, "_package_dir", lambda self, learnware_id, store, progress: package
    )
    client = Client("http://127.0.0.1:9", token="unused")

    with pytest.raises(SandboxUnavailableError) as refused:
        client.load(1, progress=False)
    assert "apt-get install bubblewrap" in str(refused.value)
    assert "allow_unsandboxed=True" in str(refused.value)

    with pytest.warns(RuntimeWarning, match="WITHOUT a sandbox"):
        [lw] = client.load(1, allow_unsandboxed=True, progress=False)
    with lw:
        assert not lw.sandboxed
        assert lw.predict(X).shape == (7,)


def _bundle(tmp_path: Path) -> Any:
    """A deploy bundle's files (one learnware) and its run.py, imported."""
    folder = tmp_path / "bundle"
    (folder / "learnwares").mkdir(parents=True)
    package = _package(tmp_path / "lw")
    with zipfile.ZipFile(folder / "learnwares" / "1.zip", "w") as zf:
        for path in sorted(package.iterdir()):
            zf.write(path, path.name)
    shutil.copy(RUN_PY, folder / "run.py")
    config = {
        "learnwares": [{"id": 1, "file": "learnwares/1.zip", "data_type": "Table"}],
        "weights": None,
        "reuser": None,
        "mode": None,
    }
    (folder / "bundle.json").write_text(json.dumps(config))
    np.savetxt(folder / "input.csv", np.ones((3, 4)), delimiter=",")
    spec = importlib.util.spec_from_file_location("bundle_run", folder / "run.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return folder, module


def test_bundle_run_py_is_sandboxed_unless_told_otherwise(
    tmp_path: Path, no_bwrap: None, current_env: None
) -> None:
    folder, run = _bundle(tmp_path)
    out = folder / "predictions.csv"
    argv = [str(folder / "input.csv"), "-o", str(out)]

    with pytest.raises(SystemExit) as refused:
        run.main(argv)
    assert "apt-get install bubblewrap" in str(refused.value)
    assert "--unsandboxed" in str(refused.value)
    assert not out.exists()

    with pytest.warns(RuntimeWarning, match="WITHOUT a sandbox"):
        assert run.main([*argv, "--unsandboxed"]) == 0
    assert out.read_text().splitlines() == ["prediction", "1", "1", "1"]


def test_bundle_run_py_runs_sandboxed_where_bubblewrap_works(
    tmp_path: Path, current_env: None, recwarn: pytest.WarningsRecorder
) -> None:
    folder, run = _bundle(tmp_path)
    out = folder / "predictions.csv"

    assert run.main([str(folder / "input.csv"), "-o", str(out)]) == 0

    assert out.read_text().splitlines() == ["prediction", "1", "1", "1"]
    assert not [w for w in recwarn if "WITHOUT a sandbox" in str(w.message)]
