"""Reads of users and their tokens."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import ApiToken, AuditEntry, User


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


def audit_list(
    *,
    action: str | None = None,
    actor_id: int | None = None,
    target_type: str | None = None,
    target_id: int | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries, newest first, with their actors joined."""
    entries = AuditEntry.objects.select_related("actor")
    for column, value in (
        ("action", action),
        ("actor_id", actor_id),
        ("target_type", target_type),
        ("target_id", target_id),
    ):
        if value is not None:
            entries = entries.filter(**{column: value})
    return entries
