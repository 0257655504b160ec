"""Hosted inference ("try it") on the web side: run approved learnwares on a small
upload.

:func:`learnware_predict` checks the learnwares and the upload (limits, format,
columns), stores the parsed input as ``.npy`` under ``inference/`` in the file store
(:mod:`market.inference.files`) and waits for an ``interactive`` worker, which never
queues behind checks. The worker side is :mod:`market.inference.runner`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from accounts.models import User
from bmw import jobs
from bmw.errors import (
    ApplicationError,
    LearnwareFailedError,
    NotFoundError,
    RateLimitedError,
    TimedOutError,
    TooLargeError,
    UnavailableError,
)
from bmw.inflight import in_flight
from bmw.outages import BROKER_ERRORS
from market import selectors
from market.inference.files import input_delete, input_store
from market.inference.inputs import InputError, Upload, parse_input
from market.inference.protocol import (
    PREDICT_TASK,
    FailureKind,
    PredictJob,
    PredictOutcome,
)
from market.models import Learnware

logger = logging.getLogger(__name__)

# The job was not answered: no worker took it, or the broker went away.
_NO_ANSWER: tuple[type[Exception], ...] = (CeleryTimeoutError, *BROKER_ERRORS)

REUSERS = ("averaging", "job_selector")


class InferenceUnavailable(UnavailableError):
    """No inference worker took the job (503 with ``Retry-After``)."""


# ------------------------------------------------------------------ web side
def learnware_predict(
    *,
    viewer: User | None,
    learnware_ids: Sequence[int],
    files: Sequence[UploadedFile],
    reuser: str | None = None,
    weights: Sequence[float] | None = None,
    caller: str = "",
) -> dict[str, Any]:
    """Predict with one learnware, or several combined by ``reuser``.

    Returns ``{learnware_ids, reuser, n_rows, predictions, probabilities, timing}``.
    Raises ``NotFoundError`` (unknown or unapproved learnware), ``ApplicationError``
    (bad input), ``TooLargeError``, ``LearnwareFailedError`` (the learnware failed),
    ``TimedOutError`` (no answer in time), ``InferenceUnavailable`` and
    ``RateLimitedError`` (``caller``, by default the signed-in user, already waits
    for ``BMW_JOBS_IN_FLIGHT_MAX`` predictions).
    """
    if not caller and viewer is not None:
        caller = f"user:{viewer.id}"
    started = time.perf_counter()
    learnwares = [_runnable(viewer, i) for i in dict.fromkeys(learnware_ids)]
    if len(learnwares) > 1:
        _check_combinable(learnwares, reuser, weights)
    first = learnwares[0]
    assert first.live_version is not None
    parsed = _parse(files, first)
    name = input_store(parsed.X)
    job = PredictJob(
        learnware_ids=tuple(lw.id for lw in learnwares),
        version_ids=tuple(_live_version_id(lw) for lw in learnwares),
        input=name,
        kind=parsed.kind,
        task_type=first.task_type,
        time_limit_s=settings.BMW_INFERENCE_TIME_LIMIT_S,
        caller=f"user:{viewer.id}" if viewer is not None else f"anonymous:{name}",
        reuser=reuser if len(learnwares) > 1 else None,
        weights=None if weights is None else tuple(weights),
    )
    try:
        with in_flight(
            caller,
            kind="prediction",
            limit=settings.BMW_JOBS_IN_FLIGHT_MAX,
            ttl_s=settings.BMW_INFERENCE_TIMEOUT_S + 30,
            retry_after_s=5,
        ):
            outcome = _wait(job)
    except RateLimitedError:
        input_delete(job.input)
        raise
    failure = outcome.failure
    if failure is not None:
        error = (
            LearnwareFailedError
            if failure.kind == FailureKind.LEARNWARE
            else UnavailableError
        )
        raise error(failure.message, extra={"detail": failure.detail})
    result = outcome.to_dict()
    del result["failure"]
    result["timing"]["total_s"] = round(time.perf_counter() - started, 4)
    return result


def _live_version_id(learnware: Learnware) -> int:
    assert learnware.live_version_id is not None  # _runnable checked it
    return learnware.live_version_id


def _runnable(viewer: User | None, learnware_id: int) -> Learnware:
    try:
        learnware = selectors.learnware_get(learnware_id=learnware_id, viewer=viewer)
    except Learnware.DoesNotExist:
        raise NotFoundError(f"learnware {learnware_id} not found") from None
    if learnware.live_version is None:
        raise NotFoundError(f"learnware {learnware_id} has no approved version to run")
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
        raise TooLargeError(
            f"file: {size} bytes is over the limit of {limit} bytes",
            extra={"fields": {"file": ["too large"]}},
        )
    uploads = [Upload(f.name or "upload", f.read(limit + 1)) for f in files]
    if sum(len(u.data) for u in uploads) > limit:  # a size the client lied about
        raise TooLargeError(
            f"file: over the limit of {limit} bytes",
            extra={"fields": {"file": ["too large"]}},
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
        error = TooLargeError if exc.too_large else ApplicationError
        raise error(
            f"file: {exc.message}", extra={"fields": {"file": [exc.message]}}
        ) from exc


def _wait(job: PredictJob) -> PredictOutcome:
    """Enqueue the job and wait for it; clean up a job no worker took."""
    timeout = settings.BMW_INFERENCE_TIMEOUT_S
    # The interactive queue never waits behind batch work: a job that no worker has
    # started soon finds every inference worker busy or none running. Withdraw it
    # then, rather than hold this web thread for the whole timeout.
    start_timeout = min(settings.BMW_INFERENCE_START_TIMEOUT_S, timeout)
    try:
        # Tied to this request: a worker drops the job unstarted once the request
        # stopped waiting for its start (Celery's ``expires``).
        pending = jobs.send_task(PREDICT_TASK, (job.to_dict(),), expires=start_timeout)
    except BROKER_ERRORS as exc:
        input_delete(job.input)
        raise InferenceUnavailable(
            "Hosted inference is unavailable: the message broker is unreachable; "
            "try again soon",
            extra={"detail": str(exc)},
        ) from exc
    try:
        try:
            result: dict[str, Any] = pending.get(timeout=start_timeout, interval=0.02)
        except CeleryTimeoutError:
            if pending.state == "PENDING":
                pending.revoke()
                raise InferenceUnavailable(
                    "Hosted inference is busy or unavailable: no inference worker "
                    f"took the job within {start_timeout:g} s; try again soon",
                    extra={"detail": "not started"},
                ) from None
            result = pending.get(timeout=timeout - start_timeout, interval=0.02)
    except _NO_ANSWER as exc:
        if pending.state == "PENDING":  # no worker started it: withdraw it
            pending.revoke()
            raise InferenceUnavailable(
                "Hosted inference is unavailable: no inference worker took the job "
                f"within {timeout:g} s; try again soon",
                extra={"detail": str(exc) or type(exc).__name__},
            ) from exc
        raise TimedOutError(
            f"no answer within {timeout:g} s; the learnware's environment may still "
            "be being prepared: try again in a minute"
        ) from exc
    finally:
        input_delete(job.input)  # the worker deletes it too; idempotent
    pending.forget()
    return PredictOutcome.from_dict(result)
