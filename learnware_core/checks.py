"""The quality checks a submitted learnware goes through, in order.

``format → pickle_scan → semantic → statistical → environment → model_loads →
model_predicts → sensitive_words``. The first failing step fails the package; later
steps are skipped. Steps that run the uploader's code (environment and model) go
through :mod:`learnware_core.runtime` (an isolated environment and the sandbox).
Progress is reported through ``on_step`` as each step starts and ends, so callers can
show it live. A step may attach structured ``details`` to its result (the pickle scan's
findings) for the dock to show reviewers.

:class:`CheckStepResult` is the one shape of a check step, from the sandboxed model
run (``load model``, ``predict`` ...) through the runtime's phases to the steps
:func:`run_checks` reports; the dock records the last ones field by field, and
``to_dict``/``from_dict`` carry a step across a process boundary (the sandbox's
worker writes its steps in the ``to_dict`` layout).

The pickle scan (:mod:`learnware_core.pickle_scan`, picklescan) runs before anything
loads the model. Its policy:

* a global rated **dangerous** (``os``/``posix.system``, ``subprocess``,
  ``builtins.eval``/``exec``/``getattr``, ``socket``, ``runpy`` ...) fails the step,
  naming the file and the globals;
* a file that is a pickle but cannot be scanned to its end (truncated or corrupt,
  trailing data, a 7z archive, data joblib would read past the end) fails it too: a
  pickle the scanner cannot follow may hide what it loads;
* every other global must be on the allow-list
  (:mod:`learnware_core.pickle_allowlist`: the classes and rebuilders of numpy,
  scikit-learn, SciPy, torch, LightGBM, XGBoost, pandas ..., harmless builtins, the
  package's own classes); anything else is rated dangerous and fails the step, naming
  it (``multiprocessing.util.spawnv_passfds``, whatever picklescan thinks of it);
* allowed globals picklescan does not know (**suspicious** to it: library classes a
  model needs) and **innocuous** ones (``numpy.ndarray`` ...) pass; they are listed
  in the step's log and ``details`` for reviewers.
"""

from __future__ import annotations

import math
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from learnware_core.errors import LearnwareError
from learnware_core.package import PackageInfo, extract_package, inspect_package
from learnware_core.specification.semantic import SemanticSpec

if TYPE_CHECKING:
    from learnware_core.pickle_scan import PickleScanReport

__all__ = [
    "CHECK_STEPS",
    "CheckConfig",
    "CheckFailed",
    "CheckStatus",
    "CheckStepResult",
    "StepOutcome",
    "StepResult",
    "check_stat_values",
    "refused_word",
    "run_checks",
    "scan_package_pickles",
]

CHECK_STEPS: tuple[str, ...] = (
    "format",
    "pickle_scan",
    "semantic",
    "statistical",
    "environment",
    "model_loads",
    "model_predicts",
    "sensitive_words",
)
_TEXT_SUFFIXES = (".txt", ".yaml", ".yml", ".json", ".py", ".md", ".cfg", ".toml")
_MAX_SCAN_BYTES = 2 << 20


class CheckFailed(LearnwareError):
    """A check step found a problem; ``log`` holds supporting output."""

    def __init__(
        self, message: str, log: str = "", details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.log = log
        self.details = dict(details or {})


class CheckStatus(StrEnum):
    """Where a check step stands; the values of ``market.models.CheckStep.Status``.

    The dock's own ``pending`` (a row whose step has not started) is never a result.
    """

    RUNNING = "running"
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


_STEP_FIELDS = frozenset({"name", "status", "message", "log", "duration_s", "details"})


@dataclass(frozen=True)
class CheckStepResult:
    """The outcome of one check step, the same type at every level.

    Attributes
    ----------
    name : str
        A :data:`CHECK_STEPS` name, a runtime phase or a step of the sandboxed run.
    status : CheckStatus
        A plain string is accepted and converted; an unknown one is a ``ValueError``.
    message : str
        One line, or a short explanation (a traceback excerpt on failure).
    log : str
        Supporting output (tracebacks, installer output, sandbox stderr); may be empty.
    duration_s : float or None
        Seconds; None for a step that did not run (skipped, or still running).
    details : Mapping
        JSON-ready structured output, by kind: ``pickle_scan`` holds
        :meth:`learnware_core.pickle_scan.PickleScanReport.to_dict`.
    """

    name: str
    status: CheckStatus
    message: str = ""
    log: str = ""
    duration_s: float | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", CheckStatus(self.status))

    @property
    def ok(self) -> bool:
        """True if the step passed."""
        return self.status is CheckStatus.PASSED

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (``status`` as its plain string)."""
        return {
            "name": self.name,
            "status": self.status.value,
            "message": self.message,
            "log": self.log,
            "duration_s": self.duration_s,
            "details": dict(self.details),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckStepResult:
        """Rebuild a step from :meth:`to_dict`'s layout, checking every field.

        ``name`` and ``status`` are required; the other fields default as in the
        class. Raises ``ValueError`` for an unknown field, status or a wrong type.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a check step is a mapping, not {type(data).__name__}")
        unknown = sorted(str(key) for key in set(data) - _STEP_FIELDS)
        if unknown:
            raise ValueError(f"unknown check step fields: {', '.join(unknown)}")
        if "name" not in data or "status" not in data:
            raise ValueError("a check step needs a 'name' and a 'status'")
        name, status, message, log = (
            _text(data, key) for key in ("name", "status", "message", "log")
        )
        duration = data.get("duration_s")
        if duration is not None and (
            isinstance(duration, bool)
            or not isinstance(duration, int | float)
            or not math.isfinite(duration)
            or duration < 0
        ):
            raise ValueError("check step 'duration_s' must be a number >= 0 or null")
        details = data.get("details", {})
        if not isinstance(details, Mapping):
            raise ValueError("check step 'details' must be a mapping")
        return cls(
            name,
            CheckStatus(status),
            message,
            log,
            None if duration is None else float(duration),
            dict(details),
        )


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"check step '{key}' must be a string")
    return value


#: The name the dock imports (``market.services``); the same class.
StepResult = CheckStepResult


@dataclass(frozen=True)
class StepOutcome:
    """What a passing step reports besides its message."""

    message: str
    log: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckConfig:
    """Settings of a check run.

    Attributes
    ----------
    sensitive_words : tuple of str
        Case-insensitive words or phrases refused in text fields and text files.
    runtime : Mapping
        Keyword options for the runtime (environment cache, sandbox limits); see
        :func:`learnware_core.runtime.check_model`.
    """

    sensitive_words: tuple[str, ...] = ()
    runtime: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> CheckConfig:
        data = dict(data or {})
        words = data.get("sensitive_words", ())
        return cls(sensitive_words=tuple(words), runtime=dict(data.get("runtime", {})))


class OnStep(Protocol):
    def __call__(
        self, result: CheckStepResult, position: int, *, started: bool
    ) -> None: ...


@dataclass
class _Context:
    package: Path
    workdir: Path
    semantic: Mapping[str, Any]
    config: CheckConfig
    info: PackageInfo | None = None
    spec: SemanticSpec | None = None
    model_state: dict[str, Any] = field(default_factory=dict)


def _step_format(ctx: _Context) -> str:
    ctx.info = extract_package(ctx.package, ctx.workdir)
    return f"{len(ctx.info.files)} files, {ctx.info.total_bytes:,} bytes unpacked"


def _step_pickle_scan(ctx: _Context) -> StepOutcome:
    if ctx.info is None:  # run on its own: the package is not unpacked yet
        ctx.info = extract_package(ctx.package, ctx.workdir)
    return scan_package_pickles(ctx.workdir)


def scan_package_pickles(folder: Path) -> StepOutcome:
    """The pickle scan step on an unpacked package (shared with ``bmw check``).

    Returns an outcome with ``message``, ``log`` and ``details`` (the report);
    raises :class:`CheckFailed` naming each file and dangerous global.
    """
    from learnware_core.pickle_scan import scan_files

    report = scan_files(folder)
    details = {"pickle_scan": report.to_dict()}
    log = _pickle_log(report)
    by_file: dict[str, list[str]] = {}
    for finding in report.dangerous:
        by_file.setdefault(finding.file, []).append(finding.qualified)
    problems = [
        f"{name}: dangerous global{'s' if len(found) > 1 else ''} {', '.join(found)}"
        for name, found in by_file.items()
    ]
    problems += [f"{f.file}: {f.error}" for f in report.errors]
    if problems:
        raise CheckFailed("; ".join(problems), log, details)
    if not report.files:
        return StepOutcome("no pickle files in the package", log, details)
    review = sum(f.severity == "suspicious" for f in report.findings)
    files = ", ".join(f.file for f in report.files[:5])
    more = f" and {len(report.files) - 5} more" if len(report.files) > 5 else ""
    return StepOutcome(
        f"{len(report.files)} pickle file{'s' if len(report.files) > 1 else ''} "
        f"({files}{more}): no dangerous globals, {review} to review",
        log,
        details,
    )


def _pickle_log(report: PickleScanReport) -> str:
    lines = [report.scanner]
    for scanned in report.files:
        error = f": {scanned.error}" if scanned.error else ""
        lines.append(f"{scanned.file} ({scanned.format}){error}")
        for finding in report.findings:
            if finding.file == scanned.file:
                lines.append(f"  {finding.severity:<10}  {finding.qualified}")
    if report.truncated:
        lines.append("(more files or globals not listed)")
    return "\n".join(lines)


def _step_semantic(ctx: _Context) -> str:
    ctx.spec = SemanticSpec.from_dict(ctx.semantic)
    return f"{ctx.spec.data} {ctx.spec.task} learnware '{ctx.spec.name}'"


def _step_statistical(ctx: _Context) -> str:
    info = inspect_package(ctx.package, semantic_spec=ctx.spec)  # types and dimensions
    return check_stat_values(info)


def check_stat_values(info: PackageInfo) -> str:
    """Every loaded specification has finite values and distance 0 to itself.

    Loading bounded each one's size (:mod:`learnware_core.package.limits`), so the
    ``O(K^2)`` self-distance here is bounded too. Raises :class:`CheckFailed`.
    """
    described = []
    for stat in info.stat_specs:
        data = stat.spec.to_dict()
        for key in ("z", "beta"):
            values = np.asarray(data.get(key, []), dtype=float)
            if not np.all(np.isfinite(values)):
                raise CheckFailed(
                    f"{stat.entry.file_name}: '{key}' has NaN or infinite values"
                )
        self_distance = stat.spec.dist(stat.spec)
        if not math.isfinite(self_distance) or abs(self_distance) > 1e-6:
            raise CheckFailed(
                f"{stat.entry.file_name}: distance to itself is {self_distance}, not 0"
            )
        described.append(f"{stat.type_name} ({stat.entry.file_name})")
    return "loaded " + ", ".join(described)


def _runtime_steps(ctx: _Context, name: str) -> str:
    from learnware_core import runtime  # heavy: only when the model must run

    if "report" not in ctx.model_state:
        ctx.model_state["report"] = runtime.check_model(
            ctx.workdir, semantic_spec=ctx.semantic, **dict(ctx.config.runtime)
        )
    report = ctx.model_state["report"]
    step = report.step(name)
    if not step.ok:
        raise CheckFailed(step.message, step.log)
    return str(step.message)


def _scan(text: str, pattern: re.Pattern[str]) -> str | None:
    found = pattern.search(text)
    return found.group(0) if found else None


def _words_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """Whole-word, case-insensitive alternation of ``words`` (None if none)."""
    cleaned = [w.strip() for w in words if w.strip()]
    if not cleaned:
        return None
    return re.compile(
        "|".join(rf"\b{re.escape(w)}\b" for w in cleaned), flags=re.IGNORECASE
    )


def refused_word(semantic: Mapping[str, Any], words: Iterable[str]) -> str | None:
    """The first of ``words`` found (as a whole word, any case) in the text of a
    semantic specification (its string values); None if none is.

    The sensitive-words check's test of the specification, for callers that refuse
    an edit before anything is queued (the dock's services)."""
    pattern = _words_pattern(words)
    return None if pattern is None else _scan(_semantic_text(semantic), pattern)


def _step_sensitive_words(ctx: _Context) -> str:
    pattern = _words_pattern(ctx.config.sensitive_words)
    if pattern is None:
        return "no word list configured"
    fields = _semantic_text(ctx.semantic)
    hit = _scan(fields, pattern)
    if hit:
        raise CheckFailed(f"semantic specification contains a refused word: '{hit}'")
    scanned = 0
    for path in sorted(ctx.workdir.rglob("*")):
        if path.suffix.lower() not in _TEXT_SUFFIXES or not path.is_file():
            continue
        text = path.read_bytes()[:_MAX_SCAN_BYTES].decode("utf-8", errors="ignore")
        hit = _scan(text, pattern)
        if hit:
            rel = path.relative_to(ctx.workdir)
            raise CheckFailed(f"{rel}: contains a refused word: '{hit}'")
        scanned += 1
    return f"{scanned} text files and the semantic specification scanned"


def _semantic_text(semantic: Mapping[str, Any]) -> str:
    def walk(value: Any) -> Iterable[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, Mapping):
            for v in value.values():
                yield from walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                yield from walk(v)

    return "\n".join(walk(semantic))


_STEPS: dict[str, Callable[[_Context], str | StepOutcome]] = {
    "format": _step_format,
    "pickle_scan": _step_pickle_scan,
    "semantic": _step_semantic,
    "statistical": _step_statistical,
    "environment": lambda ctx: _runtime_steps(ctx, "environment"),
    "model_loads": lambda ctx: _runtime_steps(ctx, "model_loads"),
    "model_predicts": lambda ctx: _runtime_steps(ctx, "model_predicts"),
    "sensitive_words": _step_sensitive_words,
}


def run_checks(
    package: str | Path,
    *,
    semantic_spec: Mapping[str, Any],
    config: CheckConfig | Mapping[str, Any] | None = None,
    on_step: OnStep | None = None,
    steps: Iterable[str] = CHECK_STEPS,
) -> list[CheckStepResult]:
    """Run the checks on a package zip; report each step as it starts and ends.

    Parameters
    ----------
    package : path
        The learnware zip.
    semantic_spec : mapping
        The semantic specification it was submitted with (original JSON layout).
    config : CheckConfig or mapping, optional
    on_step : callable, optional
        ``on_step(result, position, started=bool)``: called with a ``running`` result
        when a step starts and with its final result when it ends.
    steps : iterable of str, default=CHECK_STEPS
        Run only these steps (in the canonical order), e.g. the cheap ones.

    Returns
    -------
    results : list of CheckStepResult
        One per step, in order; after a failure the rest are ``skipped``.
    """
    cfg = (
        config if isinstance(config, CheckConfig) else CheckConfig.from_mapping(config)
    )
    wanted = [name for name in CHECK_STEPS if name in set(steps)]
    results: list[CheckStepResult] = []
    failed = False

    def report(result: CheckStepResult, position: int, started: bool) -> None:
        if on_step is not None:
            on_step(result, position, started=started)

    with tempfile.TemporaryDirectory(prefix="bmw-check-") as tmp:
        ctx = _Context(Path(package), Path(tmp) / "package", semantic_spec, cfg)
        for position, name in enumerate(wanted):
            if failed:
                result = CheckStepResult(
                    name, CheckStatus.SKIPPED, "skipped: an earlier check failed"
                )
                results.append(result)
                report(result, position, False)
                continue
            report(CheckStepResult(name, CheckStatus.RUNNING), position, True)
            start = time.perf_counter()
            details: Mapping[str, Any] = {}
            try:
                outcome = _STEPS[name](ctx)
                if isinstance(outcome, StepOutcome):
                    message, log, details = (
                        outcome.message,
                        outcome.log,
                        outcome.details,
                    )
                else:
                    message, log = outcome, ""
                status = CheckStatus.PASSED
            except CheckFailed as exc:
                message, log, status, details = (
                    exc.message,
                    exc.log,
                    CheckStatus.FAILED,
                    exc.details,
                )
            except LearnwareError as exc:  # PackageError, SpecificationError, ...
                message, log, status = str(exc), "", CheckStatus.FAILED
            duration = time.perf_counter() - start
            result = CheckStepResult(name, status, message, log, duration, details)
            failed = status is CheckStatus.FAILED
            results.append(result)
            report(result, position, False)
    return results
