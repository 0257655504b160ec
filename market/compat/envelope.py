"""The original Beimingwu's response envelope, for the compat views only.

Every JSON answer is ``{"code": int, "msg": str, "data": {...}?}`` and business errors
come with HTTP 200 and ``code != 0`` — what the original ``LearnwareClient`` expects
(it raises on any non-zero ``code``). This breaks the house rule "real status codes"
on purpose and only here: API v1 keeps ``{message, extra}`` with real 4xx codes.

Auth follows the original too: no credentials on a protected endpoint is HTTP 200
with code 11; a bad or expired token is HTTP 401 (the original's JWT library answered
401 with ``{"msg"}``; we add ``"code": 11`` so the client can print it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from bmw.api.exceptions import status_of
from bmw.errors import ApplicationError

# The original's codes (beimingwu-reference §1.1).
OK = 0
UNAUTHORIZED = 11
PARAMETERS = 21
SYSTEM = 31  # also "permission denied" in update_learnware
SPEC_OR_NOT_FOUND = 41  # bad semantic spec, not owner, not found, search engine error
ENGINE = 42
NOT_EXIST_OR_CHECK = 51  # not exist, file check failed, chunk of existing learnware
LIMIT_ZERO = 52  # search_learnware: limit == 0
INVALID_TOKEN = 53
DUPLICATE = 61
NO_SUCH_ID = 71  # update_learnware: unknown id

PARAMETERS_MSG = "Request parameters error."


class CompatError(Exception):
    """An answer ``{code, msg}``, with HTTP 200 unless ``http_status`` says else."""

    def __init__(
        self,
        code: int,
        msg: str,
        *,
        http_status: int = 200,
        retry_after_s: int | None = None,
    ) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg
        self.http_status = http_status
        self.retry_after_s = retry_after_s


def ok(data: Any = None, msg: str = "Ok") -> Response:
    """A success; :class:`CompatJSONRenderer` wraps ``data`` as ``{code: 0, ...}``."""
    response = Response(data)
    response.compat_msg = msg  # type: ignore[attr-defined]
    return response


class CompatJSONRenderer(JSONRenderer):
    """Wraps successful answers in the envelope; errors come shaped already."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None and not getattr(response, "exception", False):
            body: dict[str, Any] = {
                "code": OK,
                "msg": getattr(response, "compat_msg", "Ok"),
            }
            if data is not None:
                body["data"] = data
            data = body
        return super().render(data, accepted_media_type, renderer_context)


def _from_application_error(exc: ApplicationError) -> CompatError:
    """A service's error in the original's terms (views translate the common ones)."""
    code = {
        status.HTTP_403_FORBIDDEN: SPEC_OR_NOT_FOUND,
        status.HTTP_404_NOT_FOUND: NOT_EXIST_OR_CHECK,
        status.HTTP_409_CONFLICT: DUPLICATE,
    }.get(status_of(exc), NOT_EXIST_OR_CHECK)
    fields = exc.extra.get("fields", {})
    if isinstance(fields, dict) and "semantic_spec" in fields:
        code = SPEC_OR_NOT_FOUND
    return CompatError(code, exc.message)


def compat_exception_handler(
    exc: Exception, context: dict[str, Any]
) -> Response | None:
    """DRF exception handler of the compat views (set per view, not globally)."""
    if isinstance(exc, ApplicationError):
        exc = _from_application_error(exc)
    if isinstance(exc, CompatError):
        answer = Response({"code": exc.code, "msg": exc.msg}, status=exc.http_status)
        if exc.retry_after_s is not None:
            answer["Retry-After"] = str(exc.retry_after_s)
        return answer
    if isinstance(exc, exceptions.NotAuthenticated):
        return Response({"code": UNAUTHORIZED, "msg": "Unauthorized access."})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: a 500, as in the original
    if isinstance(exc, exceptions.AuthenticationFailed):
        response.data = {"code": UNAUTHORIZED, "msg": str(exc.detail)}
    elif isinstance(exc, exceptions.ValidationError | exceptions.ParseError):
        response.status_code = status.HTTP_200_OK
        response.data = {"code": PARAMETERS, "msg": _parameters_msg(exc.detail)}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else exc
        response.data = {"code": PARAMETERS, "msg": str(detail)}
    return response


def _parameters_msg(detail: Any) -> str:
    if isinstance(detail, dict):
        parts = [
            f"{field}: {'; '.join(str(p) for p in problems)}"
            if isinstance(problems, list)
            else f"{field}: {problems}"
            for field, problems in detail.items()
        ]
        return f"{PARAMETERS_MSG} " + "; ".join(parts)
    return f"{PARAMETERS_MSG} {detail}"
