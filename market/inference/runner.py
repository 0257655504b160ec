"""Hosted inference on the worker: run a :class:`~market.inference.protocol.PredictJob`
in the sandbox of the checks and answer a
:class:`~market.inference.protocol.PredictOutcome`.

Each learnware runs as a :class:`~learnware_core.runtime.DeployedLearnware` — the
bubblewrap sandbox and environment cache of the checks, with the time and memory
limits of the ``BMW_INFERENCE_*`` settings — kept warm between requests
(:mod:`market.inference.pool`), and predicts (one learnware, or several through a
reuser); the input is deleted whatever happens.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bmw.storage import StorageUnavailable
from learnware_core.errors import LearnwareError
from learnware_core.reuse import AveragingReuser, JobSelectorReuser, ReuseError
from learnware_core.reuse.base import labels_from_output
from learnware_core.runtime import (
    LearnwareRunError,
    SandboxUnavailableError,
)
from learnware_core.runtime.guest.worker import fit_images
from market.inference import files
from market.inference.pool import warm_learnware
from market.inference.protocol import (
    FailureKind,
    PredictFailure,
    PredictJob,
    PredictOutcome,
)

logger = logging.getLogger(__name__)

_MAX_OUTPUT_VALUES = 200_000


def run(job: PredictJob) -> PredictOutcome:
    """Run a job of :func:`market.inference.services.learnware_predict`; never raises
    for a faulty learnware or a missing dependency: the outcome names the failure."""
    started = time.perf_counter()
    try:
        X = files.input_load(job.input)
        learnwares = [
            _model(version_id, learnware_id, job)
            for version_id, learnware_id in zip(
                job.version_ids, job.learnware_ids, strict=True
            )
        ]
        loaded = time.perf_counter()
        predictions, probabilities = _predict(learnwares, X, job)
        done = time.perf_counter()
    except SandboxUnavailableError as exc:
        logger.error("hosted inference without a sandbox: %s", exc)
        return _failed(
            FailureKind.UNAVAILABLE, "hosted inference is unavailable: no sandbox", exc
        )
    except StorageUnavailable as exc:
        return _failed(FailureKind.UNAVAILABLE, "the file store is unavailable", exc)
    except LearnwareError as exc:  # the model failed, or its package/environment
        return _failed(FailureKind.LEARNWARE, _summary(exc), exc)
    finally:
        files.input_delete(job.input)
    return PredictOutcome(
        learnware_ids=job.learnware_ids,
        reuser=job.reuser,
        n_rows=len(X),
        predictions=predictions,
        probabilities=probabilities,
        timing={
            "start_s": round(loaded - started, 4),
            "predict_s": round(done - loaded, 4),
        },
    )


def _failed(kind: FailureKind, message: str, exc: Exception) -> PredictOutcome:
    return PredictOutcome(failure=PredictFailure(kind, message, str(exc)[-4000:]))


def _summary(exc: Exception) -> str:
    """First line and, for a traceback, its last line (the exception itself)."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    if len(lines) > 1 and any(line.startswith("Traceback") for line in lines):
        return f"{lines[0]} {lines[-1]}"[:1000]
    return "\n".join(lines[:3])[:1000]


def _model(version_id: int, learnware_id: int, job: PredictJob) -> Any:
    """The version's model, warm on this worker for the job's caller (images resized
    as the checks do)."""
    learnware = warm_learnware(
        version_id, job.caller, job.time_limit_s, f"learnware {learnware_id}"
    )
    return _ImageModel(learnware) if job.kind == "image" else learnware


class _ImageModel:
    """Resizes images to the model's ``input_shape`` first, as the checks do."""

    def __init__(self, learnware: Any) -> None:
        self.learnware = learnware
        self.spec = learnware.spec

    def _fit(self, X: NDArray[Any]) -> NDArray[Any]:
        try:
            fitted: NDArray[Any] = fit_images(np, X, self.learnware.input_shape)
        except ValueError as exc:
            raise LearnwareRunError(f"{self.learnware.name}: {exc}") from exc
        return fitted

    def predict(self, X: NDArray[Any]) -> NDArray[Any]:
        return self.learnware.predict(self._fit(X))

    def __getattr__(self, name: str) -> Any:
        if name == "predict_proba" and hasattr(self.learnware, "predict_proba"):
            return lambda X: self.learnware.predict_proba(self._fit(X))
        raise AttributeError(name)


def _predict(
    learnwares: list[Any], X: NDArray[Any], job: PredictJob
) -> tuple[list[Any], list[Any] | None]:
    """Predictions and (for classifiers, if any) class probabilities as lists."""
    classify = job.task_type == "Classification"
    weights = job.weights
    try:
        if len(learnwares) == 1:
            model = learnwares[0]
        elif job.reuser == "job_selector":
            model = JobSelectorReuser(learnwares, weights=weights, random_state=0).fit()
        elif classify:
            try:
                averaging = AveragingReuser(
                    learnwares, mode="vote_by_prob", weights=weights
                ).fit()
                voted = averaging.predict_proba(X)
                return _rows(np.argmax(voted, axis=1), len(X)), _rows(voted, len(X))
            except ReuseError:  # some give labels only: vote by label
                model = AveragingReuser(
                    learnwares, mode="vote_by_label", weights=weights
                ).fit()
        else:
            model = AveragingReuser(learnwares, mode="mean", weights=weights).fit()
        y = np.asarray(model.predict(X))
        if not classify:
            return _rows(y, len(X)), None
        if y.ndim == 2 and y.shape[1] > 1:  # predict gives probabilities
            return _rows(labels_from_output(y), len(X)), _rows(y, len(X))
        method = getattr(model, "predict_proba", None)
        proba = np.asarray(method(X)) if callable(method) else None
        return _rows(y, len(X)), None if proba is None else _rows(proba, len(X))
    except ReuseError as exc:
        raise LearnwareRunError(str(exc)) from exc


def _rows(values: Any, n: int) -> list[Any]:
    """A model output as JSON-ready rows (non-finite numbers become None)."""
    array = np.asarray(values)
    if array.ndim == 0 or array.shape[0] != n:
        raise LearnwareRunError(f"the model returned shape {array.shape} for {n} rows")
    if array.size > _MAX_OUTPUT_VALUES:
        raise LearnwareRunError(
            f"the output has {array.size} values; at most {_MAX_OUTPUT_VALUES} "
            "are returned"
        )
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.dtype.kind == "f":
        cells = array.astype(object)
        cells[~np.isfinite(array)] = None
        return list(cells.tolist())
    if array.dtype.kind not in "biuUSb":
        raise LearnwareRunError(f"the model returned {array.dtype} values")
    return list(array.tolist())
