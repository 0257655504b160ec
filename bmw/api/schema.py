"""The OpenAPI schema class: documents the error responses every view can give.

drf-spectacular documents what ``@extend_schema`` declares; the errors the framework
itself answers with were left to each view to remember (and schemathesis found them
missing). :class:`AutoSchema` adds, to every operation that lacks them:

* 401 when the view authenticates API tokens (a bad, revoked or expired token is
  refused even where no sign-in is needed);
* 403 when a permission can refuse a signed-in user (roles, a verified e-mail, a web
  session), or for unsafe methods under session sign-in (the CSRF check);
* 400 for operations with a request body or query parameters (invalid input);
  415 for a request body in a media type the view does not parse;
* 404 for operations with path parameters (no such object) and for paginated lists
  (no such page);
* 429 when a throttle applies.

Optional query parameters are marked ``allowEmptyValue``: DRF reads ``?state=`` as
``state`` not given (the HTML-form convention), and so does the rest of the API.

A view whose errors have another shape names its serializer in
``error_serializer``; one that answers invalid input with another status (the
original client's protocol: HTTP 200 and an error code) sets
``invalid_input_status``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated

from bmw.api.serializers import ErrorOutputSerializer

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Permissions that refuse only anonymous requests (401, see accounts.permissions).
_SIGN_IN_ONLY = (AllowAny, IsAuthenticated)


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    getattr(self.view, "error_serializer", ErrorOutputSerializer),
                    str(code),
                )
        return operation

    def _error_codes(self, operation: dict[str, Any]) -> list[int]:
        view = self.view
        method = self.method.upper()
        parameters = operation.get("parameters", [])
        codes: list[int] = []

        authenticators = _safely(view.get_authenticators, [])
        # An authenticator with a WWW-Authenticate challenge (the API tokens') turns
        # "not signed in" into 401 instead of 403.
        if any(_challenges(a) for a in authenticators):
            codes.append(401)

        permissions = _safely(view.get_permissions, [])
        session = any(isinstance(a, SessionAuthentication) for a in authenticators)
        if any(not isinstance(p, _SIGN_IN_ONLY) for p in permissions) or (
            session and method not in _SAFE_METHODS
        ):
            codes.append(403)

        invalid = getattr(view, "invalid_input_status", 400)
        has_query = any(p.get("in") == "query" for p in parameters)
        if "requestBody" in operation:
            codes += [invalid, 415]
        elif has_query:
            codes.append(invalid)

        paginated = has_query and self._is_list_view() and self._get_paginator()
        if any(p.get("in") == "path" for p in parameters) or paginated:
            codes.append(404)

        if _safely(view.get_throttles, []) and _throttled(view):
            codes.append(429)
        return [c for c in codes if c >= 400]


def _challenges(authenticator: Any) -> bool:
    return (
        type(authenticator).authenticate_header
        is not BaseAuthentication.authenticate_header
    )


def _safely(getter: Any, default: Any) -> Any:
    """A view's list of authenticators/permissions/throttles for the mock request."""
    try:
        return getter()
    except Exception:  # a view's get_* may need a real request; then assume none
        return default


def _throttled(view: Any) -> bool:
    """Whether a throttle of ``view`` has a rate (DRF's scoped throttle without a
    scope, the default class, never refuses)."""
    from django.conf import settings

    rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
    for throttle in _safely(view.get_throttles, []):
        scope = getattr(view, "throttle_scope", None)
        if getattr(throttle, "rate", None) or (scope and rates.get(scope)):
            return True
    return False
