"""Who may call what: role checks and the e-mail/session requirements.

DRF answers 401 (not 403) when any of these fails for an anonymous request, because
the first authentication class sends a ``WWW-Authenticate`` challenge.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.models import ApiToken, User


def _role_in(request: Request, *roles: str) -> bool:
    user = request.user
    return bool(user.is_authenticated and isinstance(user, User) and user.role in roles)


class IsReviewer(BasePermission):
    """Reviewers and admins."""

    message = "Only reviewers and administrators may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return _role_in(request, User.Role.REVIEWER, User.Role.ADMIN)


class IsAdmin(BasePermission):
    message = "Only administrators may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return _role_in(request, User.Role.ADMIN)


class IsEmailVerified(BasePermission):
    """Signed in with a verified e-mail address."""

    message = "Verify your e-mail address first (see the link we sent you)."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(
            user.is_authenticated and isinstance(user, User) and user.email_verified
        )


class IsWebSession(BasePermission):
    """Signed in through the web (a session), not with an API token.

    Token management needs it: a leaked token must not be able to mint new ones.
    """

    message = "API tokens can only be created from a signed-in web session."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(
            request.user.is_authenticated and not isinstance(request.auth, ApiToken)
        )
