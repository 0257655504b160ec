"""Run a learnware's model in the sandbox: ``predict`` and the verification ``check``.

The host never unpickles anything the learnware produced: the input crosses the
boundary as an ``.npy`` file bound read-only into the sandbox, the output
(``.npy``, ``allow_pickle=False``) and the worker's report come back over a
size-limited result pipe, never as files. The report is the dock's: step names,
order and statuses are checked against the dock's own list and the model's text
(a traceback, stderr) is quoted only bounded, escaped and labelled as model output
(:mod:`learnware_core.runtime.guest_report`). ``learnware.yaml`` and the
statistical specification are parsed on the host with the safe loaders of
:mod:`learnware_core.package`.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnware_core.checks import CheckStatus, CheckStepResult
from learnware_core.package.manifest import LearnwareManifest
from learnware_core.package.yaml_io import load_yaml
from learnware_core.runtime.environment import Environment
from learnware_core.runtime.errors import LearnwareRunError
from learnware_core.runtime.guest_report import (
    MalformedReport,
    declared_shapes,
    expected_steps,
    model_output,
    read_result,
    worker_steps,
)
from learnware_core.runtime.inputs import (
    sample_image_inputs,
    sample_rkme_inputs,
    sample_text_inputs,
)
from learnware_core.runtime.output_checks import check_outputs
from learnware_core.runtime.sandbox import (
    Bind,
    SandboxLimits,
    SandboxResult,
    run_sandboxed,
)
from learnware_core.specification.base import StatSpecification, load_spec
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specification.semantic import SemanticSpec

__all__ = ["CheckReport", "check_learnware", "predict_learnware"]

_RUNTIME = Path(__file__).resolve().parent
_WORKER = _RUNTIME / "guest" / "worker.py"
_COMPAT = _RUNTIME / "compat"
_MAX_HEADER_BYTES = 1024 * 1024
_MAX_SPEC_BYTES = 64 * 1024 * 1024
_T = TypeVar("_T")


@dataclass(frozen=True)
class CheckReport:
    """Outcome of :func:`check_learnware`.

    Attributes
    ----------
    steps : tuple of CheckStepResult
        In order, each passed or failed; they stop at the first failure, followed
        by a ``"sandbox"`` step with the stop reason if a limit was hit or the
        worker did not finish.
    sandbox : SandboxResult or None
        The sandboxed run, if it got that far.
    """

    steps: tuple[CheckStepResult, ...]
    sandbox: SandboxResult | None = None

    @property
    def ok(self) -> bool:
        """True if every step passed."""
        return bool(self.steps) and all(step.ok for step in self.steps)

    @property
    def message(self) -> str:
        """``"ok"`` or the first failing step's name and message."""
        for step in self.steps:
            if not step.ok:
                return f"{step.name}: {step.message}"
        return "ok"


class _Recorder:
    def __init__(self) -> None:
        self.steps: list[CheckStepResult] = []

    def run(
        self,
        name: str,
        action: Callable[[], _T],
        message: str | Callable[[_T], str] = "",
    ) -> _T:
        start = time.perf_counter()
        try:
            value = action()
        except (ValueError, OSError, TypeError, KeyError) as exc:
            self.add(name, False, str(exc), time.perf_counter() - start)
            raise _Stop from exc
        text = message(value) if callable(message) else message
        self.add(name, True, text, time.perf_counter() - start)
        return value

    def add(self, name: str, ok: bool, message: str, duration: float) -> None:
        status = CheckStatus.PASSED if ok else CheckStatus.FAILED
        self.steps.append(
            CheckStepResult(name, status, message, duration_s=round(duration, 6))
        )


class _Stop(Exception):
    pass


def check_learnware(
    package_dir: str | os.PathLike[str],
    *,
    environment: Environment,
    semantic_spec: SemanticSpec | None = None,
    n_samples: int = 10,
    limits: SandboxLimits | None = None,
    random_state: int | np.random.Generator | None = 0,
    allow_unsandboxed: bool = False,
) -> CheckReport:
    """Verify that an extracted learnware loads and predicts sensibly, sandboxed.

    Steps: read ``learnware.yaml``; load the table RKME; draw ``n_samples`` inputs
    from it (:func:`sample_rkme_inputs`); in the sandbox import numpy, load the model
    and predict; then check ``input_shape`` against the RKME and the semantic
    ``Input.Dimension``, the number and shape of outputs against ``output_shape``
    and the semantic ``Output``, that outputs are finite and, for classifiers
    returning labels, that labels lie in ``[0, Output.Dimension)``.

    Parameters
    ----------
    package_dir : path
        An extracted package (see :func:`learnware_core.package.extract_package`).
    environment : Environment
        The learnware's environment (:class:`EnvironmentBuilder`).
    semantic_spec : SemanticSpec, optional
        Enables the Input/Output checks.
    n_samples : int, default=10
    limits : SandboxLimits, optional
    random_state : int, Generator or None, default=0
    allow_unsandboxed : bool, default=False
        See :func:`run_sandboxed`.

    Returns
    -------
    report : CheckReport
        Never raises for a faulty learnware; see ``report.ok``.
    """
    record = _Recorder()
    root = Path(package_dir).resolve()
    sandbox = None
    try:
        manifest = record.run("read learnware.yaml", lambda: _manifest(root))
        spec = record.run(
            "load statistical specification", lambda: _spec(root, manifest)
        )
        X, kind = record.run(
            "draw inputs from the spec",
            lambda: _draw_inputs(spec, n_samples, random_state),
            lambda drawn: (
                f"{n_samples} {drawn[1]} inputs of shape {drawn[0].shape[1:]}"
            ),
        )
        sandbox, report, y = _run_worker(
            root, manifest, environment, "check", X, limits, allow_unsandboxed, kind
        )
        accepted = _merge_worker_steps(
            record, report, sandbox, expected_steps("check", kind)
        )
        y = record.run("read outputs", lambda: _require(y))
        # Tables: the RKME fixes the sample shape; images were resized to the
        # model's declared input_shape in the sandbox; texts have none.
        if isinstance(spec, RKMETableSpecification):
            sample_shape: tuple[int, ...] | None = spec.sample_shape_
        else:
            sample_shape = None
        for name, ok, message in check_outputs(
            X, y, declared_shapes(accepted), sample_shape, semantic_spec
        ):
            record.add(name, ok, message, 0.0)
    except _Stop:
        pass
    return CheckReport(tuple(record.steps), sandbox)


def predict_learnware(
    package_dir: str | os.PathLike[str],
    X: ArrayLike,
    *,
    environment: Environment,
    limits: SandboxLimits | None = None,
    allow_unsandboxed: bool = False,
) -> NDArray[Any]:
    """Return ``model.predict(X)`` of an extracted learnware, run in the sandbox.

    Parameters
    ----------
    package_dir : path
    X : array-like of shape (n_samples, *input_shape)
        Numeric; sent as ``.npy``.
    environment : Environment
    limits : SandboxLimits, optional
    allow_unsandboxed : bool, default=False

    Returns
    -------
    y : ndarray

    Raises
    ------
    LearnwareRunError
        With the failing step's message or the sandbox's stop reason.
    """
    array = np.asarray(X)
    if array.dtype.hasobject:
        raise LearnwareRunError("X must be a numeric array")
    root = Path(package_dir).resolve()
    record = _Recorder()
    try:
        manifest = record.run("read learnware.yaml", lambda: _manifest(root))
        sandbox, report, y = _run_worker(
            root, manifest, environment, "predict", array, limits, allow_unsandboxed
        )
        _merge_worker_steps(record, report, sandbox, expected_steps("predict"))
        return record.run("read outputs", lambda: _require(y))
    except _Stop:
        failed = next(s for s in reversed(record.steps) if not s.ok)
        raise LearnwareRunError(f"{failed.name}: {failed.message}") from None


def _manifest(root: Path) -> LearnwareManifest:
    path = root / "learnware.yaml"
    manifest = LearnwareManifest.from_dict(
        load_yaml(path.read_bytes(), file_name=path.name)
    )
    module = (root / manifest.model.module_file).resolve()
    if not module.is_relative_to(root) or not module.is_file():
        raise LearnwareRunError(
            f"model module {manifest.model.module_file!r} is not a file in the package"
        )
    return manifest


def _draw_inputs(
    spec: StatSpecification,
    n_samples: int,
    random_state: int | np.random.Generator | None,
) -> tuple[NDArray[Any], str]:
    """Inputs for ``predict`` from the learnware's own spec, and their kind."""
    if isinstance(spec, RKMETableSpecification):
        return sample_rkme_inputs(spec, n_samples, random_state=random_state), "table"
    if spec.type_name == "RKMEImageSpecification":
        return sample_image_inputs(spec, n_samples, random_state=random_state), "image"
    if spec.type_name == "RKMETextSpecification":
        return sample_text_inputs(n_samples, random_state=random_state), "text"
    raise LearnwareRunError(f"cannot draw inputs from a {spec.type_name}")


def _spec(root: Path, manifest: LearnwareManifest) -> StatSpecification:
    for entry in manifest.stat_specifications:
        path = (root / entry.file_name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise LearnwareRunError(f"{entry.file_name}: missing from the package")
        if path.stat().st_size > _MAX_SPEC_BYTES:
            raise LearnwareRunError(f"{entry.file_name}: too large")
        return load_spec(json.loads(path.read_bytes()))
    raise LearnwareRunError("learnware.yaml lists no statistical specification")


def _run_worker(
    root: Path,
    manifest: LearnwareManifest,
    environment: Environment,
    action: str,
    X: NDArray[Any],
    limits: SandboxLimits | None,
    allow_unsandboxed: bool,
    input_kind: str = "table",
) -> tuple[SandboxResult, Mapping[str, Any] | MalformedReport, NDArray[Any] | None]:
    limits = limits or SandboxLimits()
    if os.geteuid() == 0:
        _make_readable(root)
    run_dir = Path(tempfile.mkdtemp(prefix="lw-run-"))
    try:
        scratch = run_dir / "scratch"
        scratch.mkdir()
        request = {
            "action": action,
            "input_kind": input_kind,
            "package_dir": str(root),
            "module_file": manifest.model.module_file,
            "class_name": manifest.model.class_name,
            "kwargs": _encode(manifest.model.kwargs),
            "compat_dir": str(_COMPAT),
            "input": str(scratch / "X.npy"),
        }
        np.save(scratch / "X.npy", X, allow_pickle=False)
        (scratch / "request.json").write_text(json.dumps(request))
        binds = [*environment.binds, Bind(root), Bind(_WORKER.parent), Bind(_COMPAT)]
        argv = [str(environment.python), "-I", "-B", str(_WORKER)]
        sandbox = run_sandboxed(
            [*argv, str(scratch / "request.json")],
            scratch_dir=scratch,
            binds=binds,
            limits=limits,
            allow_unsandboxed=allow_unsandboxed,
            result_bytes=_MAX_HEADER_BYTES + limits.max_file_bytes,
        )
        return (sandbox, *_read_worker_result(sandbox.result))
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def _read_worker_result(
    raw: bytes,
) -> tuple[Mapping[str, Any] | MalformedReport, NDArray[Any] | None]:
    """The worker's header and output, or why the dock refuses them."""
    if not raw:
        return MalformedReport("the worker sent no result"), None
    try:
        header, payload = read_result(raw)
    except MalformedReport as exc:
        return exc, None
    y = None
    if payload:
        try:
            y = np.load(io.BytesIO(payload), allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:
            return MalformedReport(f"the output is not a plain .npy: {exc}"), None
    return header, y


def _merge_worker_steps(
    record: _Recorder,
    report: Mapping[str, Any] | MalformedReport,
    sandbox: SandboxResult,
    expected: Sequence[str],
) -> Mapping[str, Any]:
    """Add the dock's steps from the worker's report and return the report; stop
    with the sandbox's reason (and the model's stderr, labelled) if it did not
    finish cleanly."""
    first = len(record.steps)
    refused = report if isinstance(report, MalformedReport) else None
    if not isinstance(report, MalformedReport):
        try:
            record.steps.extend(worker_steps(report, expected))
        except MalformedReport as exc:
            refused = exc
    worker_failed = any(not record.steps[i].ok for i in range(first, len(record.steps)))
    clean = sandbox.ok and refused is None and len(record.steps) > first
    if clean and not worker_failed and not isinstance(report, MalformedReport):
        return report
    if sandbox.killed_reason or not worker_failed:
        message = sandbox.describe()
        if refused is not None and not sandbox.killed_reason:
            message = f"the worker's report was refused ({refused}); {message}"
        detail = model_output(sandbox.stderr, "stderr")
        record.add(
            "sandbox",
            False,
            message + (f"\n{detail}" if detail else ""),
            sandbox.duration,
        )
    raise _Stop


def _worker_steps(report: Mapping[str, Any], expected: Sequence[str]) -> list[Any]:
    """The dock's steps of a (serve) worker's report; [] if it is malformed."""
    try:
        return worker_steps(report, expected)
    except MalformedReport:
        return []


def _make_readable(root: Path) -> None:
    """Let the sandbox's per-run uid read the package (files a+r, folders a+rx).

    Copying instead would cost time and disk for large model weights; the package
    is the uploader's own code and data, not a secret of the dock.
    """
    for folder, _dirs, files in os.walk(root):
        for name in [folder, *(os.path.join(folder, f) for f in files)]:
            mode = os.lstat(name).st_mode
            if stat.S_ISLNK(mode):
                continue
            extra = 0o555 if stat.S_ISDIR(mode) else 0o444
            if mode & extra != extra:
                os.chmod(name, stat.S_IMODE(mode) | extra)


def _require(y: NDArray[Any] | None) -> NDArray[Any]:
    if y is None:
        raise LearnwareRunError("the worker wrote no readable y.npy")
    return y


def _encode(value: Any) -> Any:
    """JSON-encode ``learnware.yaml`` kwargs, keeping tuples as tuples."""
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, Mapping):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_encode(v) for v in value]
    return value
