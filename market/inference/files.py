"""Hosted inference's inputs in the file store: ``inference/<uuid>.npy``, written by
the web, read and deleted by the worker, swept by beat when a job died."""

from __future__ import annotations

import contextlib
import io
import uuid
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from numpy.typing import NDArray

from bmw.errors import UnavailableError
from bmw.storage import STORAGE_ERRORS, StorageUnavailable

INPUT_FOLDER = "inference"


def input_store(X: NDArray[Any]) -> str:
    """Save ``X`` as ``.npy``; its storage name (``UnavailableError`` if the file
    store is away)."""
    buffer = io.BytesIO()
    np.save(buffer, X, allow_pickle=False)
    name = f"{INPUT_FOLDER}/{uuid.uuid4().hex}.npy"
    try:
        return default_storage.save(name, ContentFile(buffer.getvalue()))
    except STORAGE_ERRORS as exc:
        raise UnavailableError(f"the file store is unavailable: {exc}") from exc


def input_delete(name: str) -> None:
    with contextlib.suppress(*STORAGE_ERRORS):
        default_storage.delete(name)


def input_load(name: str) -> NDArray[Any]:
    """The stored input (``StorageUnavailable`` if gone or unreadable)."""
    try:
        with default_storage.open(name, "rb") as fh:
            X: NDArray[Any] = np.load(io.BytesIO(fh.read()), allow_pickle=False)
    except FileNotFoundError as exc:
        raise StorageUnavailable("the input is gone (withdrawn)") from exc
    except STORAGE_ERRORS as exc:
        raise StorageUnavailable(str(exc)) from exc
    return X


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
        with contextlib.suppress(*STORAGE_ERRORS):
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
    return removed
