"""One error shape for every 4xx: ``{"message": str, "extra": {...}}``.

Services raise the domain errors of :mod:`bmw.errors` (or Django's
``ValidationError``); views let them propagate; :func:`exception_handler` maps them —
and DRF's own exceptions — to real HTTP status codes (:func:`status_of`). Field
errors appear under ``extra.fields``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from bmw.errors import (
    ApplicationError,
    ConflictError,
    LearnwareFailedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    TimedOutError,
    TooLargeError,
    UnavailableError,
)

_STATUS: tuple[tuple[type[ApplicationError], int], ...] = (
    (PermissionDeniedError, status.HTTP_403_FORBIDDEN),
    (NotFoundError, status.HTTP_404_NOT_FOUND),
    (ConflictError, status.HTTP_409_CONFLICT),
    (TooLargeError, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE),
    (LearnwareFailedError, status.HTTP_422_UNPROCESSABLE_ENTITY),
    (RateLimitedError, status.HTTP_429_TOO_MANY_REQUESTS),
    (UnavailableError, status.HTTP_503_SERVICE_UNAVAILABLE),
    (TimedOutError, status.HTTP_504_GATEWAY_TIMEOUT),
)


def status_of(exc: ApplicationError) -> int:
    """The HTTP status of a domain error (the one place kinds become codes)."""
    return next((code for kind, code in _STATUS if isinstance(exc, kind)), 400)


def application_error_response(exc: ApplicationError) -> Response:
    """``{message, extra}`` with the error's status (and ``Retry-After`` if any)."""
    response = Response(error_body(exc.message, exc.extra), status=status_of(exc))
    retry_after = getattr(exc, "retry_after_s", None)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _flatten(fields: Any, prefix: str = "") -> list[str]:
    """Readable ``field: problem`` strings from DRF's nested error detail."""
    if isinstance(fields, dict):
        out = []
        for key, value in fields.items():
            name = key if key != "non_field_errors" else ""
            out += _flatten(
                value, f"{prefix}.{name}" if prefix and name else prefix or name
            )
        return out
    if isinstance(fields, list):
        out = []
        for i, item in enumerate(fields):
            sub = prefix if not isinstance(item, dict | list) else f"{prefix}[{i}]"
            out += _flatten(item, sub)
        return out
    return [f"{prefix}: {fields}" if prefix else str(fields)]


def error_body(message: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"message": message, "extra": extra or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF ``EXCEPTION_HANDLER``: every handled error becomes ``{message, extra}``."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, ApplicationError):
        return application_error_response(exc)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: Django's 500 handler takes over (bmw.views)

    if isinstance(exc, exceptions.ValidationError):
        fields: Any = exc.detail
        if not isinstance(fields, dict):
            fields = {"non_field_errors": fields}
        problems = _flatten(fields)
        message = "Invalid input: " + "; ".join(problems[:5])
        response.data = error_body(message, {"fields": fields})
    else:
        data = response.data
        detail = data.get("detail", exc) if isinstance(data, dict) else exc
        extra: dict[str, Any] = {}
        wait = getattr(exc, "wait", None)  # Throttled: seconds until allowed again
        if wait is not None:
            extra["retry_after_s"] = int(wait)
        response.data = error_body(str(detail), extra)
    return response
