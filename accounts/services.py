"""Writes and side effects on users."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction

from accounts import selectors
from accounts.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AdminEnsured:
    user: User
    created: bool
    password: str | None  # only when generated here, to print it once


@transaction.atomic
def admin_ensure(*, email: str, password: str | None = None) -> AdminEnsured:
    """Create the first admin if no admin exists; side effect: a user row.

    An existing admin is left untouched (re-running set-up is safe). Without a given
    password a random one is generated and returned once.
    """
    existing = User.objects.filter(role=User.Role.ADMIN).order_by("id").first()
    if existing is not None:
        return AdminEnsured(user=existing, created=False, password=None)
    generated = None if password else secrets.token_urlsafe(12)
    user = User.objects.create_superuser(
        email, password or generated, display_name="Administrator"
    )
    logger.info("created first admin %s", user.email)
    return AdminEnsured(user=user, created=True, password=generated)


def user_email_send(*, user_id: int, subject: str, body: str) -> str:
    """Send one e-mail to a user via Django's e-mail backend; returns the address."""
    user = selectors.user_get(user_id=user_id)
    send_mail(subject, body, None, [user.email])
    logger.info("sent %r to user %s", subject, user_id)
    return user.email
