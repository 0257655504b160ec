"""Reads of users and their tokens."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import ApiToken, User


def user_get(*, user_id: int) -> User:
    return User.objects.get(id=user_id)


def user_list(
    *,
    query: str = "",
    role: str | None = None,
    is_active: bool | None = None,
    email_verified: bool | None = None,
) -> QuerySet[User]:
    """Users for the admin list, newest first; ``query`` matches e-mail or name."""
    users = User.objects.order_by("-id")
    if query:
        users = users.filter(
            Q(email__icontains=query) | Q(display_name__icontains=query)
        )
    if role:
        users = users.filter(role=role)
    if is_active is not None:
        users = users.filter(is_active=is_active)
    if email_verified is not None:
        users = users.filter(email_verified_at__isnull=not email_verified)
    return users


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens that are not revoked (expired ones included), newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by(
        "-created_at", "-id"
    )


def api_token_get_by_prefix(*, prefix: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(prefix=prefix).first()
