"""Writes and side effects on users and their tokens.

Unverified users (``email_verified_at`` is null) may sign in, read and edit their
profile, change their password and ask for a new verification e-mail. Creating API
tokens needs a verified address (``accounts.permissions.IsEmailVerified``); later
features that publish content (uploads) will require it too.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone

from accounts import selectors, tokens
from accounts.models import ApiToken, AuditEntry, EmailToken, User
from bmw.errors import ApplicationError, ConflictError, NotFoundError
from bmw.jobs import enqueue_on_commit

logger = logging.getLogger(__name__)

EMAIL_TASK = "accounts.user_email_send"  # accounts.tasks

# last_used_at is a hint for people ("used 3 minutes ago"), not an audit log: writing
# it at most once a minute keeps token-authenticated requests from each costing a write.
API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class AdminEnsured:
    user: User
    created: bool
    password: str | None  # only when generated here, to print it once


@transaction.atomic
def admin_ensure(*, email: str, password: str | None = None) -> AdminEnsured:
    """Create the first admin if no admin exists; side effect: a user row.

    An existing admin is left untouched (re-running set-up is safe). Without a given
    password a random one is generated and returned once; a given one must pass the
    password validators (``ValidationError`` otherwise).
    """
    existing = User.objects.filter(role=User.Role.ADMIN).order_by("id").first()
    if existing is not None:
        return AdminEnsured(user=existing, created=False, password=None)
    if password:
        # A given password meets the same rules as everyone's (no "admin"/"admin").
        validate_password(
            password, user=User(email=email, display_name="Administrator")
        )
    generated = None if password else secrets.token_urlsafe(12)
    user = User.objects.create_superuser(
        email, password or generated, display_name="Administrator"
    )
    logger.info("created first admin %s", user.email)
    return AdminEnsured(user=user, created=True, password=generated)


def user_system_ensure(*, email: str, display_name: str) -> User:
    """A verified account that cannot sign in (no usable password), for content the
    dock publishes itself, e.g. the demo market; created once."""
    user, created = User.objects.get_or_create(
        email=User.objects.normalize_email(email).lower(),
        defaults={"display_name": display_name, "email_verified_at": timezone.now()},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def user_email_send(*, user_id: int, subject: str, body: str) -> str:
    """Send one e-mail to a user via Django's e-mail backend; returns the address."""
    user = selectors.user_get(user_id=user_id)
    send_mail(subject, body, None, [user.email])
    logger.info("sent %r to user %s", subject, user_id)
    return user.email


# ------------------------------------------------------------------ registration


def _email_domain_allowed(email: str) -> bool:
    allowed = settings.BMW_REGISTRATION_EMAIL_DOMAINS
    if not allowed:
        return True
    domain = email.rsplit("@", 1)[-1].lower()
    return any(domain == d or domain.endswith(f".{d}") for d in allowed)


def _password_validate(password: str, *, user: User, field: str) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _email_token_create(*, user: User, purpose: str, lifetime: timedelta) -> str:
    """Store the hash of a new single-use token; return the token (for the e-mail)."""
    raw = tokens.email_token_new()
    now = timezone.now()
    EmailToken.objects.create(
        user=user,
        purpose=purpose,
        token_hash=tokens.token_hash(raw),
        created_at=now,
        expires_at=now + lifetime,
    )
    return raw


def _email_token_use(*, raw: str, purpose: str) -> EmailToken:
    """Mark a token used and return it; 400 if unknown, used, expired or stale.

    The row lock makes two concurrent uses of one token resolve to one success.
    """
    now = timezone.now()
    token = (
        EmailToken.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(token_hash=tokens.token_hash(raw), purpose=purpose)
        .first()
    )
    if token is None or not token.user.is_active:
        raise ApplicationError("This link is invalid.", extra={"reason": "invalid"})
    if token.used_at is not None:
        raise ApplicationError(
            "This link has already been used.", extra={"reason": "used"}
        )
    if token.expires_at <= now:
        raise ApplicationError(
            "This link has expired; ask for a new one.", extra={"reason": "expired"}
        )
    token.used_at = now
    token.save(update_fields=["used_at"])
    return token


def _email_tokens_spend(*, user: User, purpose: str) -> None:
    """Invalidate every outstanding token of one purpose for a user."""
    EmailToken.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
        used_at=timezone.now()
    )


def _verification_email_enqueue(*, user: User) -> None:
    raw = _email_token_create(
        user=user,
        purpose=EmailToken.Purpose.VERIFY_EMAIL,
        lifetime=timedelta(hours=settings.BMW_EMAIL_VERIFICATION_TTL_HOURS),
    )
    link = f"{settings.BMW_FRONTEND_BASE_URL}/verify-email?token={raw}"
    body = (
        f"Hello {user.name},\n\n"
        "please confirm your e-mail address for the Beimingwu learnware dock by "
        f"opening this link within {settings.BMW_EMAIL_VERIFICATION_TTL_HOURS} "
        f"hours:\n\n{link}\n\n"
        "If you did not create an account, ignore this e-mail.\n"
    )
    enqueue_on_commit(
        EMAIL_TASK,
        user.id,
        "Confirm your e-mail address",
        body,
        recovered_by="the user asking for the e-mail again",
    )


def _account_exists_email_enqueue(*, user: User) -> None:
    """Tell the owner of ``user``'s address that someone registered with it again
    (an unverified account also gets a new verification link)."""
    if not user.email_verified:
        _verification_email_enqueue(user=user)
        return
    body = (
        f"Hello {user.name},\n\n"
        "someone (hopefully you) tried to create a Beimingwu account with this "
        "e-mail address, which already has one. Sign in instead; if you forgot "
        f"your password, reset it at {settings.BMW_FRONTEND_BASE_URL}/forgot-password"
        ".\n\nIf it was not you, ignore this e-mail; nothing was changed.\n"
    )
    enqueue_on_commit(
        EMAIL_TASK,
        user.id,
        "You already have an account",
        body,
        recovered_by="the user registering again",
    )


@transaction.atomic
def user_register(*, email: str, password: str, display_name: str = "") -> str:
    """Create an unverified user and mail a verification link; returns the address.

    The answer is the same whether or not the address already has an account (the
    e-mail says the rest: its owner is told to sign in instead), so registration
    does not reveal who has an account. Raises ``ValidationError`` (400) for a
    disallowed address or a weak password only.
    """
    email = User.objects.normalize_email(email).strip().lower()
    if not _email_domain_allowed(email):
        raise ValidationError(
            {"email": ["Registration is limited to addresses at approved domains."]}
        )
    _password_validate(
        password, user=User(email=email, display_name=display_name), field="password"
    )
    existing = User.objects.filter(email=email).first()
    if existing is None:
        try:
            with transaction.atomic():  # savepoint: a concurrent sign-up may win
                user = User.objects.create_user(
                    email, password, display_name=display_name
                )
        except IntegrityError:
            existing = User.objects.get(email=email)
        else:
            _verification_email_enqueue(user=user)
            logger.info("registered user %s", user.id)
            return email
    if existing.is_active:
        _account_exists_email_enqueue(user=existing)
    return email


@transaction.atomic
def user_verification_email_send(*, user: User) -> None:
    """Mail a new verification link (older ones stay valid until they expire)."""
    if user.email_verified:
        raise ApplicationError("Your e-mail address is already verified.")
    _verification_email_enqueue(user=user)


@transaction.atomic
def user_verify_email(*, token: str) -> User:
    """Use a verification token and mark the user's address verified."""
    used = _email_token_use(raw=token, purpose=EmailToken.Purpose.VERIFY_EMAIL)
    user = used.user
    if user.email_verified_at is None:
        user.email_verified_at = used.used_at
        user.save(update_fields=["email_verified_at"])
    _email_tokens_spend(user=user, purpose=EmailToken.Purpose.VERIFY_EMAIL)
    return user


# ------------------------------------------------------------------ sign-in, passwords


def user_authenticate(*, email: str, password: str) -> User:
    """The active user with these credentials, else 400 (one message for both)."""
    user = authenticate(email=email.strip().lower(), password=password)
    if not isinstance(user, User):  # also None for inactive users (ModelBackend)
        raise ApplicationError("Incorrect e-mail address or password.")
    return user


@transaction.atomic
def user_password_reset_request(*, email: str) -> None:
    """Mail a reset link if an active user has this address; silently do nothing
    otherwise, so the answer does not reveal who has an account."""
    user = User.objects.filter(
        email=User.objects.normalize_email(email).strip().lower(), is_active=True
    ).first()
    if user is None:
        return
    minutes = settings.BMW_PASSWORD_RESET_TTL_MINUTES
    raw = _email_token_create(
        user=user,
        purpose=EmailToken.Purpose.PASSWORD_RESET,
        lifetime=timedelta(minutes=minutes),
    )
    link = f"{settings.BMW_FRONTEND_BASE_URL}/reset-password?token={raw}"
    body = (
        f"Hello {user.name},\n\n"
        "someone (hopefully you) asked to reset your Beimingwu password. Choose a "
        f"new one within {minutes} minutes here:\n\n{link}\n\n"
        "If it was not you, ignore this e-mail; your password stays unchanged.\n"
    )
    enqueue_on_commit(
        EMAIL_TASK,
        user.id,
        "Reset your password",
        body,
        recovered_by="the user asking for the e-mail again",
    )


@transaction.atomic
def user_password_reset_confirm(
    *, token: str, new_password: str, revoke_api_tokens: bool = True
) -> User:
    """Set a new password with a reset token; spends every reset token of the user.

    Completing a reset proves the mailbox is the user's, so it verifies the address.
    Changing the password ends the user's other sessions (Django's session hash); with
    ``revoke_api_tokens`` (the default) every API token of the user is revoked too:
    whoever had the old password may have made one.
    """
    used = _email_token_use(raw=token, purpose=EmailToken.Purpose.PASSWORD_RESET)
    user = used.user
    _password_validate(new_password, user=user, field="new_password")
    user.set_password(new_password)
    if user.email_verified_at is None:
        user.email_verified_at = used.used_at
    user.save(update_fields=["password", "email_verified_at"])
    _email_tokens_spend(user=user, purpose=EmailToken.Purpose.PASSWORD_RESET)
    if revoke_api_tokens:
        revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        logger.info("password reset of user %s revoked %s API tokens", user.id, revoked)
    return user


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> User:
    """Replace the password after checking the old one; spends pending reset links."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": ["The current password is incorrect."]})
    _password_validate(new_password, user=user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    _email_tokens_spend(user=user, purpose=EmailToken.Purpose.PASSWORD_RESET)
    return user


@transaction.atomic
def user_profile_update(*, user: User, display_name: str) -> User:
    user.display_name = display_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name"])
    return user


# ------------------------------------------------------------------ administration


def _user_for_admin(*, actor: User, user_id: int) -> User:
    user = User.objects.select_for_update().filter(id=user_id).first()
    if user is None:
        raise NotFoundError("No such user.")
    if user.id == actor.id:
        # Keeps at least one active admin: the acting one cannot demote or lock out
        # itself, and any other admin change is made by an admin who stays.
        raise ConflictError("Administrators cannot change their own role or status.")
    return user


@transaction.atomic
def user_role_set(*, actor: User, user_id: int, role: str) -> User:
    """Give a user a role; admins are also Django superusers (full admin console)."""
    user = _user_for_admin(actor=actor, user_id=user_id)
    previous = user.role
    user.role = role
    user.is_superuser = role == User.Role.ADMIN
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "is_superuser"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.USER_ROLE,
        target=user,
        detail={"from": previous, "to": role},
    )
    logger.info("user %s set role of user %s to %s", actor.id, user.id, role)
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user_id: int) -> User:
    """Block sign-in; sessions and API tokens stop working (both check is_active)."""
    user = _user_for_admin(actor=actor, user_id=user_id)
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action=AuditEntry.Action.USER_DEACTIVATE, target=user)
    logger.info("user %s deactivated user %s", actor.id, user.id)
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user_id: int) -> User:
    """Allow sign-in again; unrevoked, unexpired API tokens work again."""
    user = _user_for_admin(actor=actor, user_id=user_id)
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action=AuditEntry.Action.USER_REACTIVATE, target=user)
    logger.info("user %s reactivated user %s", actor.id, user.id)
    return user


# --------------------------------------------------------------------- audit log


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: Model,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry about ``target`` (a user, a learnware, ...)."""
    label = target.email if isinstance(target, User) else getattr(target, "name", "")
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        target_type=str(target._meta.model_name),
        target_id=target.pk,
        target_label=str(label or target)[:200],
        detail=detail or {},
    )


# ------------------------------------------------------------------ API tokens


@dataclass(frozen=True)
class ApiTokenCreated:
    api_token: ApiToken
    token: str  # the secret; returned once, never stored


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_at: datetime | None = None
) -> ApiTokenCreated:
    """Create a named API token; only its hash is stored."""
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": ["Must be in the future."]})
    name = name.strip()
    if ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True).exists():
        raise ValidationError({"name": ["You already have a token with this name."]})
    parts = tokens.api_token_new()
    while ApiToken.objects.filter(prefix=parts.prefix).exists():  # 1 in 4e9 chance
        parts = tokens.api_token_new()
    api_token = ApiToken(
        user=user,
        name=name,
        prefix=parts.prefix,
        token_hash=tokens.token_hash(parts.raw),
        created_at=now,
        expires_at=expires_at,
    )
    api_token.full_clean()
    api_token.save()
    logger.info("user %s created API token %s", user.id, api_token.prefix)
    return ApiTokenCreated(api_token=api_token, token=parts.raw)


@transaction.atomic
def api_token_revoke(*, user: User, api_token_id: int) -> None:
    """Revoke one of the user's tokens; 404 for others' or already revoked ones."""
    revoked = ApiToken.objects.filter(
        id=api_token_id, user=user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if revoked != 1:
        raise NotFoundError("No such API token.")
    logger.info("user %s revoked API token %s", user.id, api_token_id)


class ApiTokenRejected(Exception):
    """The presented API token is unknown, revoked, expired or its user inactive."""


def api_token_authenticate(*, token: str) -> ApiToken:
    """The live token matching ``token`` (with ``.user``); records its use.

    Raises :class:`ApiTokenRejected` with a message for the client.
    """
    prefix = tokens.api_token_prefix(token)
    api_token = selectors.api_token_get_by_prefix(prefix=prefix) if prefix else None
    if api_token is None or not secrets.compare_digest(
        api_token.token_hash, tokens.token_hash(token)
    ):
        raise ApiTokenRejected("Invalid API token.")
    if api_token.revoked_at is not None:
        raise ApiTokenRejected("This API token has been revoked.")
    now = timezone.now()
    if api_token.is_expired(now):
        raise ApiTokenRejected("This API token has expired.")
    if not api_token.user.is_active:
        raise ApiTokenRejected("User inactive or deleted.")
    # Conditional UPDATE: concurrent requests within the interval write at most once.
    ApiToken.objects.filter(id=api_token.id).filter(
        Q(last_used_at__isnull=True)
        | Q(last_used_at__lte=now - API_TOKEN_TOUCH_INTERVAL)
    ).update(last_used_at=now)
    return api_token
