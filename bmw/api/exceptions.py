"""One error shape for every 4xx: ``{"message": str, "extra": {...}}``.

Services raise :class:`ApplicationError` (or Django's ``ValidationError``); views let
them propagate; :func:`exception_handler` maps them — and DRF's own exceptions — to
real HTTP status codes. Field errors appear under ``extra.fields``.
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


class ApplicationError(Exception):
    """A business-rule failure a client can fix; rendered as ``status_code``."""

    status_code: int = status.HTTP_400_BAD_REQUEST

    def __init__(
        self, message: str, *, extra: dict[str, Any] | None = None, status_code: int = 0
    ) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
        if status_code:
            self.status_code = status_code


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
        return Response(error_body(exc.message, exc.extra), status=exc.status_code)

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
