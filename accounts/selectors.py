"""Reads of users."""

from accounts.models import User


def user_get(*, user_id: int) -> User:
    return User.objects.get(id=user_id)
