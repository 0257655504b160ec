"""Accounts: the dock's user (email login, display name, one role), the single-use
tokens mailed to users (e-mail verification, password reset) and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, email: str, password: str | None = None, **fields: Any
    ) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None → unusable password
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **fields: Any
    ) -> User:
        # Made by an operator at the console, not self-registered: trusted address.
        fields.update(role=User.Role.ADMIN, is_superuser=True)
        fields.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        USER = "user", "User"
        REVIEWER = "reviewer", "Reviewer"
        ADMIN = "admin", "Admin"

    email = models.EmailField(unique=True, max_length=254)
    display_name = models.CharField(max_length=100, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.USER)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Null until the user follows the link mailed at registration (or completes a
    # password reset, which proves the same thing: they read that mailbox).
    email_verified_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ("id",)
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(is_superuser=False) | models.Q(role="admin"),
                name="superuser_is_admin",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_staff(self) -> bool:
        """Reviewers and admins may enter the admin console (Django's ``is_staff``)."""
        return self.role in (self.Role.REVIEWER, self.Role.ADMIN)

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@", 1)[0]

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class EmailToken(models.Model):
    """A single-use, expiring secret mailed to a user; only its SHA-256 is stored.

    Verification and reset tokens share the table but never each other's purpose
    (the original accepted a verification code as a reset code).
    """

    class Purpose(models.TextChoices):
        VERIFY_EMAIL = "verify_email", "Verify e-mail"
        PASSWORD_RESET = "password_reset", "Password reset"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 hex
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("id",)
        indexes: ClassVar = [models.Index(fields=["user", "purpose"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="email_token_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} for user {self.user_id}"


class ApiToken(models.Model):
    """A named secret a program sends: ``Authorization: Bearer bmw_<prefix>_<secret>``.

    Only ``prefix`` (public, for lookup and display) and the SHA-256 of the whole token
    are stored, so the token itself is shown once, at creation.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)  # sha256 hex of the full token
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)  # null: never
    last_used_at = models.DateTimeField(null=True, blank=True)  # ± 1 minute
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="api_token_name_unique_per_user",
                violation_error_message="You already have a token with this name.",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True)
                | models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.expires_at is not None and self.expires_at <= now


class AuditEntry(models.Model):
    """Who did what to whom: staff decisions and changes to users and learnwares.

    Append-only; targets are kept as type + id + label so an entry outlives its target.
    """

    class Action(models.TextChoices):
        LEARNWARE_APPROVE = "learnware.approve", "Approved a version"
        LEARNWARE_REJECT = "learnware.reject", "Rejected a version"
        LEARNWARE_UPDATE = "learnware.update", "Edited a learnware"
        LEARNWARE_DELETE = "learnware.delete", "Deleted a learnware"
        LEARNWARE_RECHECK = "learnware.recheck", "Re-ran a version's checks"
        USER_ROLE = "user.role", "Changed a user's role"
        USER_DEACTIVATE = "user.deactivate", "Deactivated a user"
        USER_REACTIVATE = "user.reactivate", "Reactivated a user"
        WORLD_TRAIN = "world.train", "Started a specification-world training"
        WORLD_ACTIVATE = "world.activate", "Activated a specification-world engine"

    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=32, choices=Action.choices, db_index=True)
    target_type = models.CharField(max_length=32)  # model name: "learnware", "user"…
    target_id = models.BigIntegerField()
    target_label = models.CharField(max_length=200)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes: ClassVar = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} {self.target_type}:{self.target_id}"
