"""Hosted inference ("try it"): run approved learnwares on a small upload.

The web side (:func:`learnware_predict`) checks the learnwares and the upload
(limits, format, columns), stores the parsed input as ``.npy`` under
``inference/`` in the file store and waits for an ``ml`` worker. The worker side
(:func:`learnware_predict_run`) starts each learnware with
:class:`~learnware_core.runtime.DeployedLearnware` — the bubblewrap sandbox and
environment cache of the checks, with the time and memory limits of the
``BMW_INFERENCE_*`` settings — predicts (one learnware, or several through a
reuser), and deletes the input whatever happens.
"""

from __future__ import annotations

import contextlib
import io
import logging
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from kombu.exceptions import OperationalError
from numpy.typing import NDArray

from accounts.models import User
from bmw.api.exceptions import ApplicationError
from learnware_core.errors import LearnwareError
from learnware_core.package import PackageLimits, extract_package
from learnware_core.reuse import AveragingReuser, JobSelectorReuser, ReuseError
from learnware_core.reuse.base import labels_from_output
from learnware_core.runtime import (
    DeployedLearnware,
    LearnwareRunError,
    SandboxLimits,
    SandboxUnavailableError,
)
from learnware_core.runtime.guest.worker import fit_images
from market import selectors, storage, tasks
from market.inference_inputs import InputError, Upload, parse_input
from market.models import Learnware, LearnwareVersion

logger = logging.getLogger(__name__)

REUSERS = ("averaging", "job_selector")
INPUT_FOLDER = "inference"
_MAX_OUTPUT_VALUES = 200_000


class InferenceUnavailable(RuntimeError):
    """No inference worker took the job (the API answers 503)."""


# ------------------------------------------------------------------ web side
def learnware_predict(
    *,
    viewer: User | None,
    learnware_ids: Sequence[int],
    files: Sequence[UploadedFile],
    reuser: str | None = None,
    weights: Sequence[float] | None = None,
) -> dict[str, Any]:
    """Predict with one learnware, or several combined by ``reuser``.

    Returns ``{learnware_ids, reuser, n_rows, predictions, probabilities, timing}``.
    Raises ``ApplicationError`` (404 unknown or unapproved learnware, 400 bad input,
    413 too large, 422 the learnware failed, 504 no answer in time) and
    ``InferenceUnavailable`` (503).
    """
    started = time.perf_counter()
    learnwares = [_runnable(viewer, i) for i in dict.fromkeys(learnware_ids)]
    if len(learnwares) > 1:
        _check_combinable(learnwares, reuser, weights)
    first = learnwares[0]
    assert first.live_version is not None
    parsed = _parse(files, first)
    name = _store(parsed.X)
    job = {
        "learnware_ids": [lw.id for lw in learnwares],
        "version_ids": [lw.live_version_id for lw in learnwares],
        "input": name,
        "kind": parsed.kind,
        "task_type": first.task_type,
        "reuser": reuser if len(learnwares) > 1 else None,
        "weights": list(weights) if weights is not None else None,
        "time_limit_s": settings.BMW_INFERENCE_TIME_LIMIT_S,
    }
    result = _wait(job)
    if "error" in result:
        raise ApplicationError(
            result["error"],
            extra={"detail": result.get("detail", "")},
            status_code=int(result.get("status", 422)),
        )
    result["timing"]["total_s"] = round(time.perf_counter() - started, 4)
    return result


def _runnable(viewer: User | None, learnware_id: int) -> Learnware:
    try:
        learnware = selectors.learnware_get(learnware_id=learnware_id, viewer=viewer)
    except Learnware.DoesNotExist:
        raise ApplicationError(
            f"learnware {learnware_id} not found", status_code=404
        ) from None
    if learnware.live_version is None:
        raise ApplicationError(
            f"learnware {learnware_id} has no approved version to run",
            status_code=404,
        )
    return learnware


def _check_combinable(
    learnwares: list[Learnware], reuser: str | None, weights: Sequence[float] | None
) -> None:
    limit = settings.BMW_INFERENCE_MAX_LEARNWARES
    if len(learnwares) > limit:
        raise ApplicationError(
            f"learnware_ids: at most {limit} learnwares can be combined",
            extra={"fields": {"learnware_ids": [f"at most {limit}"]}},
        )
    if reuser not in REUSERS:
        raise ApplicationError(
            f"reuser: one of {', '.join(REUSERS)}",
            extra={"fields": {"reuser": ["required for several learnwares"]}},
        )
    if weights is not None and len(weights) != len(learnwares):
        raise ApplicationError(
            f"weights: one per learnware ({len(learnwares)})",
            extra={"fields": {"weights": ["one per learnware"]}},
        )
    for attribute in ("data_type", "task_type"):
        values = {getattr(lw, attribute) for lw in learnwares}
        if len(values) > 1:
            raise ApplicationError(
                f"the learnwares differ in {attribute.replace('_', ' ')} "
                f"({', '.join(sorted(values))}); they cannot be combined"
            )
    dimensions = {
        lw.live_version.input_dimension
        for lw in learnwares
        if lw.live_version is not None and lw.live_version.input_dimension is not None
    }
    if len(dimensions) > 1:
        raise ApplicationError(
            "the learnwares take different input dimensions "
            f"({', '.join(str(d) for d in sorted(dimensions))})"
        )
    if reuser == "job_selector" and learnwares[0].data_type != "Table":
        raise ApplicationError("reuser: job_selector needs table learnwares")


def _parse(files: Sequence[UploadedFile], learnware: Learnware) -> Any:
    limit = settings.BMW_INFERENCE_MAX_BYTES
    size = sum(f.size or 0 for f in files)
    if size > limit:
        raise ApplicationError(
            f"file: {size} bytes is over the limit of {limit} bytes",
            extra={"fields": {"file": ["too large"]}},
            status_code=413,
        )
    uploads = [Upload(f.name or "upload", f.read(limit + 1)) for f in files]
    if sum(len(u.data) for u in uploads) > limit:  # a size the client lied about
        raise ApplicationError(
            f"file: over the limit of {limit} bytes",
            extra={"fields": {"file": ["too large"]}},
            status_code=413,
        )
    assert learnware.live_version is not None
    try:
        return parse_input(
            uploads,
            data_type=learnware.data_type,
            input_dimension=learnware.live_version.input_dimension,
            max_rows=settings.BMW_INFERENCE_MAX_ROWS,
        )
    except InputError as exc:
        raise ApplicationError(
            f"file: {exc.message}",
            extra={"fields": {"file": [exc.message]}},
            status_code=413 if exc.too_large else 400,
        ) from exc


def _store(X: NDArray[Any]) -> str:
    buffer = io.BytesIO()
    np.save(buffer, X, allow_pickle=False)
    name = f"{INPUT_FOLDER}/{uuid.uuid4().hex}.npy"
    try:
        return default_storage.save(name, ContentFile(buffer.getvalue()))
    except storage.STORAGE_ERRORS as exc:
        raise InferenceUnavailable(f"the file store is unavailable: {exc}") from exc


def _delete(name: str) -> None:
    with contextlib.suppress(*storage.STORAGE_ERRORS):
        default_storage.delete(name)


def _wait(job: dict[str, Any]) -> dict[str, Any]:
    """Enqueue the job and wait for it; clean up a job no worker took."""
    try:
        pending = tasks.learnware_predict.delay(job)
    except OperationalError as exc:
        _delete(job["input"])
        raise InferenceUnavailable(str(exc) or "the broker is unreachable") from exc
    timeout = settings.BMW_INFERENCE_TIMEOUT_S
    try:
        result: dict[str, Any] = pending.get(timeout=timeout, interval=0.02)
    except (CeleryTimeoutError, OperationalError) as exc:
        if pending.state == "PENDING":  # no worker started it: withdraw it
            pending.revoke()
            _delete(job["input"])
            raise InferenceUnavailable("no inference worker answered") from exc
        raise ApplicationError(
            f"no answer within {timeout:g} s; the learnware's environment may still "
            "be being prepared: try again in a minute",
            status_code=504,
        ) from exc
    finally:
        _delete(job["input"])  # the worker deletes it too; this is idempotent
    pending.forget()
    return result


# ------------------------------------------------------------------ worker side
def learnware_predict_run(job: dict[str, Any]) -> dict[str, Any]:
    """Run a job of :func:`learnware_predict` (on an ``ml`` worker); never raises
    for a faulty learnware: errors are returned as ``{error, detail, status}``."""
    started = time.perf_counter()
    limit = float(job["time_limit_s"])
    limits = SandboxLimits(
        cpu_seconds=int(4 * limit) + 10,  # the worker's lifetime; threads add up
        wall_seconds=limit,
        memory_bytes=settings.BMW_INFERENCE_MEMORY_BYTES,
    )
    try:
        X = _load(job["input"])
        with (
            tempfile.TemporaryDirectory(prefix="bmw-infer-") as tmp,
            contextlib.ExitStack() as stack,
        ):
            learnwares = [
                stack.enter_context(_deployed(v, i, Path(tmp), limits, job["kind"]))
                for v, i in zip(job["version_ids"], job["learnware_ids"], strict=True)
            ]
            loaded = time.perf_counter()
            predictions, probabilities = _predict(learnwares, X, job)
            done = time.perf_counter()
    except SandboxUnavailableError as exc:
        logger.error("hosted inference without a sandbox: %s", exc)
        return _error("hosted inference is unavailable: no sandbox", str(exc), 503)
    except storage.StorageUnavailable as exc:
        return _error("the file store is unavailable", str(exc), 503)
    except LearnwareError as exc:  # the model failed, or its package/environment
        return _error(_summary(exc), str(exc)[-4000:], 422)
    finally:
        _delete(job["input"])
    return {
        "learnware_ids": job["learnware_ids"],
        "reuser": job["reuser"],
        "n_rows": len(X),
        "predictions": predictions,
        "probabilities": probabilities,
        "timing": {
            "start_s": round(loaded - started, 4),
            "predict_s": round(done - loaded, 4),
        },
    }


def _error(message: str, detail: str, status: int) -> dict[str, Any]:
    return {"error": message, "detail": detail, "status": status}


def _summary(exc: Exception) -> str:
    """First line and, for a traceback, its last line (the exception itself)."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    if len(lines) > 1 and any(line.startswith("Traceback") for line in lines):
        return f"{lines[0]} {lines[-1]}"[:1000]
    return "\n".join(lines[:3])[:1000]


def _load(name: str) -> NDArray[Any]:
    try:
        with default_storage.open(name, "rb") as fh:
            X: NDArray[Any] = np.load(io.BytesIO(fh.read()), allow_pickle=False)
    except FileNotFoundError as exc:
        raise storage.StorageUnavailable("the input is gone (withdrawn)") from exc
    except storage.STORAGE_ERRORS as exc:
        raise storage.StorageUnavailable(str(exc)) from exc
    return X


@contextlib.contextmanager
def _deployed(
    version_id: int, learnware_id: int, tmp: Path, limits: SandboxLimits, kind: str
) -> Iterator[Any]:
    """The live version's model started in the sandbox (closed on exit)."""
    version = LearnwareVersion.objects.get(id=version_id)
    folder = tmp / str(version_id)
    with storage.local_copy(version.package) as path:
        extract_package(
            path,
            folder,
            limits=PackageLimits(max_total_bytes=settings.BMW_MAX_UNPACKED_BYTES),
        )
    learnware = DeployedLearnware(
        folder,
        cache_dir=settings.BMW_CHECK_CONFIG["runtime"]["cache_dir"],
        limits=limits,
        name=f"learnware {learnware_id}",
    )
    try:
        yield _ImageModel(learnware) if kind == "image" else learnware
    finally:
        learnware.close()


class _ImageModel:
    """Resizes images to the model's ``input_shape`` first, as the checks do."""

    def __init__(self, learnware: DeployedLearnware) -> None:
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
    learnwares: list[Any], X: NDArray[Any], job: dict[str, Any]
) -> tuple[list[Any], list[Any] | None]:
    """Predictions and (for classifiers, if any) class probabilities as lists."""
    classify = job["task_type"] == "Classification"
    weights = job["weights"]
    try:
        if len(learnwares) == 1:
            model = learnwares[0]
        elif job["reuser"] == "job_selector":
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


def inference_inputs_purge_stale() -> int:
    """Delete inputs of jobs that ended without cleaning up (a killed worker)."""
    cutoff = timezone.now() - timedelta(seconds=settings.BMW_CHECK_TIME_LIMIT_S + 60)
    try:
        _dirs, names = default_storage.listdir(INPUT_FOLDER)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        path = f"{INPUT_FOLDER}/{name}"
        with contextlib.suppress(*storage.STORAGE_ERRORS):
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
    return removed
