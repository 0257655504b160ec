"""Running learnwares sandboxed: the official package, output checks, hostile models."""

from __future__ import annotations

import json
import os
import re
import tempfile
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from benchmarks._hostile_sandbox import REPORT_FORGING_MODEL
from learnware_core.runtime import (
    CheckReport,
    Environment,
    EnvironmentBuilder,
    IndexOptions,
    LearnwareRunError,
    SandboxLimits,
    check_learnware,
    check_model,
    parse_requirements,
    predict_learnware,
    sample_rkme_inputs,
    sandbox_available,
)
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.semantic import SemanticSpec
from tests.conftest import OFFICIAL

pytestmark = pytest.mark.skipif(
    not sandbox_available(), reason="bubblewrap cannot create namespaces here"
)

TEST_CACHE = Path(tempfile.gettempdir()) / "bmw-test-envs"
FAST = SandboxLimits(cpu_seconds=5, wall_seconds=20, memory_bytes=2 << 30)


@pytest.fixture(scope="module")
def sklearn_env() -> Environment:
    """The one real environment of the session (cached across sessions)."""
    builder = EnvironmentBuilder(TEST_CACHE, index=IndexOptions.from_pip_config())
    return builder.build(parse_requirements("scikit-learn\nnumpy\n"))


@pytest.fixture
def official_dir(tmp_path: Path) -> Path:
    with zipfile.ZipFile(OFFICIAL / "learnware" / "official_format.zip") as zf:
        zf.extractall(tmp_path / "official")
    return tmp_path / "official"


def _official_semantic(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (OFFICIAL / "semantic" / "table_classification.json").read_text()
    )
    data.update(changes)
    return data


def _semantic(inputs: int = 4, classes: int = 2) -> SemanticSpec:
    return SemanticSpec.from_dict(
        _official_semantic(
            Input={
                "Dimension": inputs,
                "Description": {str(i): f"f{i}" for i in range(inputs)},
            },
            Output={
                "Dimension": classes,
                "Description": {str(i): f"c{i}" for i in range(classes)},
            },
        )
    )


MODEL = """
import os
import numpy as np
from learnware.model import BaseModel

HERE = os.path.dirname(os.path.abspath(__file__))


class Model(BaseModel):
    def __init__(self, input_shape=(4,), output_shape=(1,)):
        super().__init__(input_shape=input_shape, output_shape=output_shape)
{init}

    def predict(self, X):
{predict}
        return (np.asarray(X).sum(axis=1) > 0).astype(int)
"""


def _package(
    root: Path, *, init: str = "pass", predict: str = "pass", kwargs: str = "{}"
) -> Path:
    """Write a small learnware (4 inputs, labels 0/1) whose model runs given code."""
    root.mkdir(parents=True)
    indent = " " * 8
    code = MODEL.format(
        init=textwrap.indent(textwrap.dedent(init), indent),
        predict=textwrap.indent(textwrap.dedent(predict), indent),
    )
    (root / "__init__.py").write_text(code)
    (root / "learnware.yaml").write_text(
        "model:\n  class_name: Model\n"
        f"  kwargs: {kwargs}\n"
        "stat_specifications:\n- module_path: learnware.specification\n"
        "  class_name: RKMETableSpecification\n  file_name: stat.json\n  kwargs: {}\n"
    )
    X = np.random.default_rng(0).normal(size=(80, 4))
    spec = RKMETableSpecification(n_points=10, random_state=0).fit(X)
    (root / "stat.json").write_text(json.dumps(spec.to_dict()))
    (root / "requirements.txt").write_text("numpy\n")
    return root


def _check(package: Path, limits: SandboxLimits = FAST) -> CheckReport:
    return check_learnware(
        package,
        environment=Environment.current(),
        semantic_spec=_semantic(),
        limits=limits,
    )


def _failed(report: CheckReport) -> dict[str, str]:
    return {step.name: step.message for step in report.steps if not step.ok}


@pytest.fixture
def assert_next_check_passes(tmp_path: Path) -> Callable[[], None]:
    def check() -> None:
        report = _check(_package(tmp_path / "good-after"))
        assert report.ok, report.message

    return check


# ----------------------------------------------------------------- official


def test_check_learnware_passes_official_fixture_in_real_environment(
    sklearn_env: Environment, official_dir: Path
) -> None:
    before = {p.name: p.read_bytes() for p in official_dir.iterdir()}

    report = check_learnware(
        official_dir,
        environment=sklearn_env,
        semantic_spec=SemanticSpec.from_dict(_official_semantic()),
    )

    assert report.ok, report.message
    names = [step.name for step in report.steps]
    assert names[:3] == [
        "read learnware.yaml",
        "load statistical specification",
        "draw inputs from the spec",
    ]
    assert {"load model", "predict", "output shape"} <= set(names)
    assert all(
        step.duration_s is not None and step.duration_s >= 0 for step in report.steps
    )
    assert {p.name: p.read_bytes() for p in official_dir.iterdir()} == before


def test_check_model_reports_three_phases_for_official_fixture(
    sklearn_env: Environment, official_dir: Path
) -> None:
    report = check_model(
        official_dir, semantic_spec=_official_semantic(), cache_dir=TEST_CACHE
    )

    assert report.ok, [p.message for p in report.phases]
    assert [p.name for p in report.phases] == [
        "environment",
        "model_loads",
        "model_predicts",
    ]
    assert report.step("environment").message.startswith("reused environment")


def test_predict_learnware_returns_official_probabilities(
    sklearn_env: Environment, official_dir: Path
) -> None:
    X = np.random.default_rng(1).normal(size=(5, 6)).astype(np.float32)

    y = predict_learnware(official_dir, X, environment=sklearn_env)

    assert y.shape == (5, 3)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-6)


# ----------------------------------------------------------------- output checks


def test_check_learnware_passes_label_model(tmp_path: Path) -> None:
    report = _check(_package(tmp_path / "p"))

    assert report.ok, report.message
    assert any(s.name == "labels" and s.ok for s in report.steps)


def test_check_learnware_converts_yaml_tuples_for_kwargs(tmp_path: Path) -> None:
    kwargs = "{input_shape: !!python/tuple [4], output_shape: [1]}"
    init = "assert isinstance(input_shape, tuple) and self.output_shape == (1,)"

    report = _check(_package(tmp_path / "p", kwargs=kwargs, init=init))

    assert report.ok, report.message


def test_check_learnware_rejects_input_shape_mismatch(tmp_path: Path) -> None:
    report = _check(_package(tmp_path / "p", kwargs="{input_shape: [5]}"))

    assert "RKME's samples have shape (4,)" in _failed(report)["input shape"]


def test_check_learnware_rejects_output_shape_mismatch(tmp_path: Path) -> None:
    predict = "return np.zeros((len(X), 3))"

    report = _check(_package(tmp_path / "p", predict=predict))

    assert "but model.output_shape is (1,)" in _failed(report)["output shape"]


def test_check_learnware_rejects_class_count_mismatch(tmp_path: Path) -> None:
    package = _package(
        tmp_path / "p",
        kwargs="{output_shape: [3]}",
        predict="return np.full((len(X), 3), 1 / 3)",
    )

    report = _check(package)

    assert "2 classes" in _failed(report)["output shape"]


def test_check_learnware_rejects_labels_out_of_range(tmp_path: Path) -> None:
    report = _check(_package(tmp_path / "p", predict="return np.full(len(X), 7)"))

    assert "[0, 2)" in _failed(report)["labels"]


def test_check_learnware_rejects_nan_outputs(tmp_path: Path) -> None:
    report = _check(_package(tmp_path / "p", predict="return np.full(len(X), np.nan)"))

    assert "NaN" in _failed(report)["outputs finite"]


def test_check_learnware_reports_model_import_error(tmp_path: Path) -> None:
    report = _check(_package(tmp_path / "p", init="import not_a_module_xyz"))

    assert "No module named 'not_a_module_xyz'" in _failed(report)["load model"]
    assert report.steps[-1].name == "load model"


def test_sample_rkme_inputs_stays_near_reduced_set() -> None:
    X = np.random.default_rng(0).normal(size=(200, 3))
    spec = RKMETableSpecification(n_points=10, random_state=0).fit(X)

    drawn = sample_rkme_inputs(spec, 500, random_state=0)
    clipped = sample_rkme_inputs(spec, 50, bounds=([-0.1] * 3, [0.1] * 3))

    assert drawn.shape == (500, 3)
    nearest = np.min(np.linalg.norm(drawn[:, None] - spec.z_[None], axis=2), axis=1)
    assert nearest.max() < 1.5  # noise sd = 0.1 * kernel width (2.24) per feature
    assert np.all(np.abs(clipped) <= 0.1)


# ----------------------------------------------------------------- hostile models


def test_check_learnware_model_cannot_open_network(
    tmp_path: Path, assert_next_check_passes: Callable[[], None]
) -> None:
    init = "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3)"

    report = _check(_package(tmp_path / "p", init=init))

    assert "Network is unreachable" in _failed(report)["load model"]
    assert_next_check_passes()


def test_check_learnware_model_cannot_read_server_files_or_env(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    assert_next_check_passes: Callable[[], None],
) -> None:
    monkeypatch.setenv("DJANGO_SECRET_KEY", "server-secret-value")
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("top secret")
    init = f"""
found = [os.environ.get("DJANGO_SECRET_KEY", "")]
for path in [{str(secret)!r}, "/etc/passwd", "/etc/shadow", "/root/.bashrc"]:
    try:
        found.append(open(path).read())
    except OSError as exc:
        found.append(type(exc).__name__)
raise RuntimeError("SEEN " + repr(found))
"""
    report = _check(_package(tmp_path / "p", init=init))

    message = _failed(report)["load model"]
    assert "SEEN ['', 'FileNotFoundError'" in message
    assert "server-secret-value" not in message
    assert "top secret" not in message
    assert "root:" not in message


def test_check_learnware_model_cannot_write_outside_scratch(
    tmp_path: Path, assert_next_check_passes: Callable[[], None]
) -> None:
    outside = tmp_path / "outside.txt"
    predict = f"""
for path in [os.path.join(HERE, "evil.py"), {str(outside)!r}, "/usr/evil"]:
    try:
        open(path, "w").write("x")
        raise RuntimeError("WROTE " + path)
    except OSError:
        pass
open("scratch-is-fine.txt", "w").write("ok")
"""
    package = _package(tmp_path / "p", predict=predict)

    report = _check(package)

    assert report.ok, report.message
    assert not outside.exists()
    assert not (package / "evil.py").exists()
    assert_next_check_passes()


def test_check_learnware_contains_fork_bomb(
    tmp_path: Path, assert_next_check_passes: Callable[[], None]
) -> None:
    limits = SandboxLimits(cpu_seconds=10, wall_seconds=20, max_processes=32)

    report = _check(
        _package(tmp_path / "p", predict="while True:\n    os.fork()"), limits
    )

    assert "process limit" in _failed(report)["sandbox"]
    assert_next_check_passes()


def test_check_learnware_stops_50_gb_allocation(
    tmp_path: Path, assert_next_check_passes: Callable[[], None]
) -> None:
    predict = "np.ones(50 * 2**30 // 8)"

    report = _check(_package(tmp_path / "p", predict=predict))

    failed = _failed(report)
    assert "MemoryError" in failed["predict"]
    assert "memory limit" in failed["sandbox"]
    assert_next_check_passes()


def test_check_learnware_stops_infinite_loop(
    tmp_path: Path, assert_next_check_passes: Callable[[], None]
) -> None:
    limits = SandboxLimits(cpu_seconds=1, wall_seconds=20)

    report = _check(_package(tmp_path / "p", predict="while True:\n    pass"), limits)

    assert "cpu time limit" in _failed(report)["sandbox"]
    assert report.sandbox is not None
    assert report.sandbox.duration < 10
    assert_next_check_passes()


def test_check_learnware_stops_printing_1_gb(
    tmp_path: Path, assert_next_check_passes: Callable[[], None]
) -> None:
    predict = "import sys\nfor _ in range(2**14):\n    sys.stdout.write('y' * 65536)"

    report = _check(_package(tmp_path / "p", predict=predict))

    assert "output limit" in _failed(report)["sandbox"]
    assert report.sandbox is not None
    assert report.sandbox.output_bytes < 2 * FAST.max_output_bytes
    assert_next_check_passes()


def test_check_learnware_reports_interpreter_crash(
    tmp_path: Path, assert_next_check_passes: Callable[[], None]
) -> None:
    predict = "import ctypes\nctypes.string_at(0)"

    report = _check(_package(tmp_path / "p", predict=predict))

    assert "crashed (SIGSEGV)" in _failed(report)["sandbox"]
    assert_next_check_passes()


def test_predict_learnware_raises_with_stop_reason(tmp_path: Path) -> None:
    package = _package(tmp_path / "p", predict="while True:\n    pass")

    with pytest.raises(LearnwareRunError, match="cpu time limit"):
        predict_learnware(
            package,
            np.zeros((2, 4)),
            environment=Environment.current(),
            limits=SandboxLimits(cpu_seconds=1),
        )


def _spec_package(root: Path, *, model: str, spec: Any, spec_class: str) -> Path:
    root.mkdir(parents=True)
    (root / "__init__.py").write_text(textwrap.dedent(model))
    (root / "learnware.yaml").write_text(
        "model:\n  class_name: Model\n  kwargs: {}\n"
        "stat_specifications:\n- module_path: learnware.specification\n"
        f"  class_name: {spec_class}\n  file_name: stat.json\n  kwargs: {{}}\n"
    )
    (root / "stat.json").write_text(json.dumps(spec.to_dict()))
    (root / "requirements.txt").write_text("numpy\n")
    return root


IMAGE_MODEL = """
import numpy as np
from learnware.model import BaseModel


class Model(BaseModel):
    def __init__(self):
        super().__init__(input_shape=(28, 28, 1), output_shape=(3,))

    def predict(self, X):
        X = np.asarray(X)
        assert X.shape[1:] == (28, 28, 1), X.shape
        brightness = X.reshape(len(X), -1).mean(axis=1)
        logits = np.stack([brightness, 1 - brightness, np.zeros_like(brightness)], 1)
        return np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
"""

TEXT_MODEL = """
import numpy as np
from learnware.model import BaseModel


class Model(BaseModel):
    def __init__(self):
        super().__init__(input_shape=None, output_shape=(1,))

    def predict(self, X):
        assert isinstance(X, list) and all(isinstance(t, str) for t in X), X
        return np.array([len(t.split()) % 2 for t in X])
"""


def test_check_learnware_image_model_gets_rkme_images_in_its_input_shape(
    tmp_path: Path,
) -> None:
    from learnware_core.specification.image import RKMEImageSpecification

    images = np.random.default_rng(0).uniform(size=(40, 28, 28)).astype(np.float32)
    spec = RKMEImageSpecification(n_points=4, max_iter=5, random_state=0).fit(images)
    package = _spec_package(
        tmp_path / "image",
        model=IMAGE_MODEL,
        spec=spec,
        spec_class="RKMEImageSpecification",
    )
    semantic = _official_semantic(
        Data={"Type": "Class", "Values": ["Image"]},
        Output={"Dimension": 3, "Description": {"0": "a", "1": "b", "2": "c"}},
    )
    semantic.pop("Input")

    report = check_learnware(
        package,
        environment=Environment.current(),
        semantic_spec=SemanticSpec.from_dict(semantic),
        limits=FAST,
    )

    assert report.ok, report.message
    names = [step.name for step in report.steps]
    assert "fit images to input_shape" in names
    drawn = next(s for s in report.steps if s.name == "draw inputs from the spec")
    assert drawn.message == "10 image inputs of shape (1, 32, 32)"


def test_check_learnware_text_model_gets_a_list_of_sentences(tmp_path: Path) -> None:
    from learnware_core.specification.text import RKMETextSpecification

    rng = np.random.default_rng(1)
    spec = RKMETextSpecification.from_dict(
        {
            "type": "RKMETextSpecification",
            "z": rng.normal(size=(5, 384)).tolist(),
            "beta": [0.2] * 5,
            "gamma": 0.1,
            "num_points": 5,
            "encoder": "sentence-transformers/all-MiniLM-L6-v2",
            "language": ["en"],
        }
    )
    package = _spec_package(
        tmp_path / "text",
        model=TEXT_MODEL,
        spec=spec,
        spec_class="RKMETextSpecification",
    )
    semantic = _official_semantic(
        Data={"Type": "Class", "Values": ["Text"]},
        Output={"Dimension": 2, "Description": {"0": "even", "1": "odd"}},
    )
    semantic.pop("Input")

    report = check_learnware(
        package,
        environment=Environment.current(),
        semantic_spec=SemanticSpec.from_dict(semantic),
        limits=FAST,
    )

    assert report.ok, report.message
    drawn = next(s for s in report.steps if s.name == "draw inputs from the spec")
    assert drawn.message.startswith("10 text inputs")


def test_check_learnware_works_under_a_strict_umask(tmp_path: Path) -> None:
    """A dock started with umask 077 still lets the sandbox read its inputs."""
    package = _package(tmp_path / "strict")
    previous = os.umask(0o077)
    try:
        report = _check(package)
    finally:
        os.umask(previous)

    assert report.ok, report.message


# ----------------------------------------------------------------- the dock's report
DOCK_STEPS = {
    "read learnware.yaml",
    "load statistical specification",
    "draw inputs from the spec",
    "import numpy",
    "load model",
    "predict",
    "read outputs",
    "input shape",
    "output count",
    "output shape",
    "outputs finite",
    "labels",
    "sandbox",
}
_QUOTED = re.compile(r"\[model output: [^\]]*\]\n(.*?)\n\[end of model output\]", re.S)


def _assert_model_text_only_labelled(report: CheckReport, text: str) -> None:
    for step in report.steps:
        assert text not in _QUOTED.sub("", step.message), step
        for quoted in _QUOTED.findall(step.message):
            assert len(quoted) <= 2000


def test_a_model_cannot_write_the_dock_report(tmp_path: Path) -> None:
    package = _package(tmp_path / "p")
    (package / "__init__.py").write_text(REPORT_FORGING_MODEL)

    report = _check(package)

    names = [step.name for step in report.steps]
    assert "dock security review" not in names
    assert set(names) <= DOCK_STEPS, names
    assert not report.ok
    assert names[-1] == "sandbox"
    assert "the worker's report was refused" in report.steps[-1].message
    _assert_model_text_only_labelled(report, "Reviewed and approved by the dock")


def test_a_failing_model_text_is_bounded_escaped_and_labelled(tmp_path: Path) -> None:
    fake = json.dumps({"name": "dock security review", "status": "passed"})
    ansi = "\x1b[32mAll checks passed\x1b[0m"  # real escape characters
    predict = f"raise RuntimeError({fake!r} * 300 + {ansi!r})"

    report = _check(_package(tmp_path / "p", predict=predict))

    failed = _failed(report)
    assert list(failed) == ["predict"]
    message = failed["predict"]
    assert message.startswith("[model output: traceback, not verified by the dock")
    assert message.endswith("[end of model output]")
    assert "\x1b" not in message
    assert "\\x1b[32mAll checks passed" in message
    assert len(message) < 2200
    _assert_model_text_only_labelled(report, "dock security review")
