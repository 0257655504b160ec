"""``Authorization: Bearer <API token>`` (or ``Token <API token>``) for programs."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from accounts.models import ApiToken, User


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticate with an API token; ``request.auth`` is the :class:`ApiToken`.

    Requests without the header fall through to the next class (sessions). A bad,
    revoked or expired token is a 401 with a ``WWW-Authenticate: Bearer`` challenge.
    """

    keywords = (b"bearer", b"token")

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Invalid Authorization header: expected 'Bearer <token>'."
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid API token.") from exc
        # Deferred: DRF imports this class while rest_framework.views is still
        # loading, and services imports the error handler, which imports that module.
        from accounts import services

        try:
            api_token = services.api_token_authenticate(token=raw)
        except services.ApiTokenRejected as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from exc
        return api_token.user, api_token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
