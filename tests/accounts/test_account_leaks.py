"""What accounts must not reveal or leave behind (issue 22, part 8): registration
answers the same for known and unknown addresses; a password reset revokes the
account's API tokens unless asked not to."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken, User
from tests.accounts.conftest import link_token

pytestmark = pytest.mark.django_db

REGISTER = "/api/auth/register/"
RESET = "/api/auth/password-reset/"
CONFIRM = "/api/auth/password-reset/confirm/"
PASSPHRASE = "a long passphrase 42"
NEW = "a brand new passphrase 7"


def _register(api: APIClient, email: str, capture: Any) -> Any:
    with capture(execute=True):
        return api.post(
            REGISTER, {"email": email, "password": PASSPHRASE, "display_name": "Ada"}
        )


def test_registration_answers_the_same_for_a_known_and_an_unknown_email(
    api: APIClient,
    user: User,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    fresh = _register(api, "newcomer@example.org", django_capture_on_commit_callbacks)
    known = _register(api, user.email.upper(), django_capture_on_commit_callbacks)

    assert (fresh.status_code, known.status_code) == (202, 202)
    assert fresh.json()["message"] == known.json()["message"]
    assert set(fresh.json()) == set(known.json()) == {"email", "message"}
    assert known.json()["email"] == user.email
    # The e-mail says the rest: a link for the newcomer, "sign in" for the owner.
    by_address = {m.to[0]: m for m in outbox}
    assert "/verify-email?token=" in str(by_address["newcomer@example.org"].body)
    owner_mail = by_address[user.email]
    assert "already has one" in str(owner_mail.body)
    assert "token=" not in str(owner_mail.body)
    user.refresh_from_db()
    assert not user.check_password(PASSPHRASE)  # the account was not touched
    assert User.objects.filter(email__iexact=user.email).count() == 1


def test_registering_an_unverified_address_again_sends_a_new_link(
    api: APIClient,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _register(api, "ada@example.org", django_capture_on_commit_callbacks)
    again = _register(api, "ada@example.org", django_capture_on_commit_callbacks)

    assert again.status_code == 202
    assert len(outbox) == 2
    assert all("/verify-email?token=" in str(m.body) for m in outbox)


def _token_for(user: User, name: str) -> str:
    return services.api_token_create(user=user, name=name).token


def _reset_token(api: APIClient, user: User, capture: Any, outbox: Any) -> str:
    with capture(execute=True):
        assert api.post(RESET, {"email": user.email}).status_code == 202
    return link_token(outbox[-1])


def test_password_reset_revokes_the_api_tokens_by_default(
    api: APIClient,
    user: User,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    secret = _token_for(user, "ci")
    _token_for(user, "laptop")
    token = _reset_token(api, user, django_capture_on_commit_callbacks, outbox)

    assert api.post(CONFIRM, {"token": token, "new_password": NEW}).status_code == 204

    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    refused = APIClient().get("/api/users/me/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 401


def test_password_reset_keeps_the_api_tokens_when_asked(
    api: APIClient,
    user: User,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    secret = _token_for(user, "ci")
    token = _reset_token(api, user, django_capture_on_commit_callbacks, outbox)

    response = api.post(
        CONFIRM, {"token": token, "new_password": NEW, "revoke_api_tokens": False}
    )

    assert response.status_code == 204
    kept = APIClient().get("/api/users/me/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert kept.status_code == 200
