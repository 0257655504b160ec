"""The dock's runtime checks in three phases: environment, model loads, model predicts.

:func:`check_model` builds (or reuses) the learnware's environment and runs
:func:`check_learnware`, then groups the detailed steps into the three phases that
:mod:`learnware_core.checks` records. Steps and phases are both
:class:`~learnware_core.checks.CheckStepResult`.
"""

from __future__ import annotations

import functools
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from learnware_core.checks import CheckStatus, CheckStepResult
from learnware_core.errors import LearnwareError
from learnware_core.runtime.environment import EnvironmentBuilder, IndexOptions
from learnware_core.runtime.guest_report import (
    MODEL_OUTPUT_END,
    MODEL_OUTPUT_HEAD,
    model_output,
)
from learnware_core.runtime.requirements import read_requirements
from learnware_core.runtime.runner import CheckReport, check_learnware
from learnware_core.runtime.sandbox import SandboxLimits
from learnware_core.specification.semantic import SemanticSpec

__all__ = ["PHASES", "ModelCheckReport", "check_model"]

PHASES = ("environment", "model_loads", "model_predicts")
_PREDICT_STEPS = frozenset(
    {
        "predict",
        "read outputs",
        "output count",
        "output shape",
        "outputs finite",
        "labels",
    }
)


@dataclass(frozen=True)
class ModelCheckReport:
    """The three phases plus the detailed steps they summarise.

    Attributes
    ----------
    phases : tuple of CheckStepResult
        One per :data:`PHASES` name, in order. ``message`` is one line: a summary,
        or the failing step and its first line; ``log`` holds the details
        (tracebacks, installer output, sandbox stderr) and may be empty.
    detail : CheckReport or None
        The steps of :func:`check_learnware`, if it ran.
    """

    phases: tuple[CheckStepResult, ...]
    detail: CheckReport | None = None

    @property
    def ok(self) -> bool:
        """True if every phase passed."""
        return all(phase.ok for phase in self.phases)

    def step(self, name: str) -> CheckStepResult:
        """Return the phase called ``name`` (see :data:`PHASES`)."""
        for phase in self.phases:
            if phase.name == name:
                return phase
        raise KeyError(name)


def check_model(
    package_dir: str | os.PathLike[str],
    *,
    semantic_spec: SemanticSpec | Mapping[str, Any] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    limits: SandboxLimits | Mapping[str, Any] | None = None,
    index: IndexOptions | None = None,
    only_binary: bool = True,
    n_samples: int = 10,
    allow_unsandboxed: bool = False,
) -> ModelCheckReport:
    """Build the learnware's environment, then load and run its model sandboxed.

    Parameters
    ----------
    package_dir : path
        An extracted package.
    semantic_spec : SemanticSpec or its dict, optional
    cache_dir : path, optional
        Environment cache; default ``$BMW_ENV_CACHE`` or ``<tmp>/bmw-envs``.
    limits : SandboxLimits or mapping of its fields, optional
    index : IndexOptions, optional
        Default: read from pip's configuration.
    only_binary : bool, default=True
    n_samples : int, default=10
    allow_unsandboxed : bool, default=False

    Returns
    -------
    report : ModelCheckReport
        Phases after a failed one are reported as skipped.
    """
    spec = semantic_spec
    if spec is not None and not isinstance(spec, SemanticSpec):
        spec = SemanticSpec.from_dict(spec)
    if isinstance(limits, Mapping):
        limits = SandboxLimits(**limits)
    cache = Path(
        cache_dir
        or os.environ.get("BMW_ENV_CACHE")
        or Path(tempfile.gettempdir()) / "bmw-envs"
    )
    start = time.perf_counter()
    try:
        index = index or _pip_index()
        requirements = read_requirements(package_dir, allowed_index_hosts=index.hosts)
        builder = EnvironmentBuilder(cache, index=index, only_binary=only_binary)
        cached = builder.get(requirements) is not None
        environment = builder.build(requirements)
    except LearnwareError as exc:
        failed = CheckStepResult(
            "environment",
            CheckStatus.FAILED,
            str(exc).splitlines()[0],
            getattr(exc, "log", "") or str(exc),
            time.perf_counter() - start,
        )
        return ModelCheckReport((failed, *_skipped(PHASES[1:])))
    packages = ", ".join(requirements.lines)
    env_phase = CheckStepResult(
        "environment",
        CheckStatus.PASSED,
        f"{'reused' if cached else 'built'} environment {environment.key}: {packages}",
        "\n".join(requirements.notes),
        time.perf_counter() - start,
    )
    detail = check_learnware(
        package_dir,
        environment=environment,
        semantic_spec=spec,
        n_samples=n_samples,
        limits=limits,
        allow_unsandboxed=allow_unsandboxed,
    )
    return ModelCheckReport((env_phase, *_group(detail)), detail)


@functools.cache
def _pip_index() -> IndexOptions:
    return IndexOptions.from_pip_config()


def _skipped(names: tuple[str, ...]) -> tuple[CheckStepResult, ...]:
    return tuple(
        CheckStepResult(n, CheckStatus.SKIPPED, "skipped: an earlier step failed")
        for n in names
    )


def _group(detail: CheckReport) -> tuple[CheckStepResult, CheckStepResult]:
    loads: list[CheckStepResult] = []
    predicts: list[CheckStepResult] = []
    for step in detail.steps:
        in_predict = step.name in _PREDICT_STEPS or (
            step.name == "sandbox"
            and any(s.name == "load model" and s.ok for s in loads)
        )
        (predicts if in_predict else loads).append(step)
    load_phase = _phase("model_loads", loads, detail)
    if not load_phase.ok:
        return load_phase, _skipped(("model_predicts",))[0]
    return load_phase, _phase("model_predicts", predicts, detail)


def _summary(message: str) -> str:
    """One line of a failed step's message: the dock's first line, or the last line
    of a quoted traceback (the error) marked as the model's output."""
    lines = message.strip().splitlines() or [""]
    if lines[0].startswith(MODEL_OUTPUT_HEAD):
        quoted = lines[1:-1] if lines[-1] == MODEL_OUTPUT_END else lines[1:]
        return f"{quoted[-1] if quoted else ''} (model output)"
    return lines[0]


def _phase(
    name: str, steps: list[CheckStepResult], detail: CheckReport
) -> CheckStepResult:
    duration = sum(step.duration_s or 0.0 for step in steps)
    failed = [step for step in steps if not step.ok]
    if not steps:
        return CheckStepResult(name, CheckStatus.FAILED, "not reached", "", duration)
    if failed:
        first = failed[0]
        log = "\n\n".join(f"{s.name}:\n{s.message}" for s in failed)
        if detail.sandbox is not None:
            stdout = model_output(detail.sandbox.stdout, "stdout")
            log += f"\n\nstdout:\n{stdout}" if stdout else ""
        message = f"{first.name}: {_summary(first.message)}"
        return CheckStepResult(name, CheckStatus.FAILED, message, log, duration)
    summary = "; ".join(
        f"{s.name}: {s.message}" if s.message else s.name for s in steps
    )
    return CheckStepResult(name, CheckStatus.PASSED, summary, "", duration)
