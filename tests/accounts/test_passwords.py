"""Password reset by e-mailed single-use link, and password change."""

import re
from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts import services
from accounts.models import EmailToken, User
from tests.accounts.conftest import Clock, link_token
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

REQUEST = "/api/auth/password-reset/"
CONFIRM = "/api/auth/password-reset/confirm/"
NEW = "a brand new passphrase 7"


def _reset_link(
    api: APIClient, email: str, outbox: list[mail.EmailMessage], capture: Any
) -> str:
    with capture(execute=True):
        assert api.post(REQUEST, {"email": email}).status_code == 202
    return link_token(outbox[-1])


def test_user_password_reset_sets_the_chosen_password(
    api: APIClient,
    user: User,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = _reset_link(api, user.email, outbox, django_capture_on_commit_callbacks)

    response = api.post(CONFIRM, {"token": token, "new_password": NEW})

    assert response.status_code == 204
    assert response.content == b""  # no password generated or echoed by the server
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert outbox[0].to == [user.email]
    assert "/reset-password?token=" in str(outbox[0].body)
    # the link carries one opaque random token, no user id (a digit pair such as
    # the id can occur in a random token by chance: not a test)
    link = str(outbox[0].body).split("/reset-password?", 1)[1].split()[0]
    assert link == f"token={token}"
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", token)


def test_user_password_reset_token_cannot_be_reused(
    api: APIClient,
    user: User,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = _reset_link(api, user.email, outbox, django_capture_on_commit_callbacks)
    api.post(CONFIRM, {"token": token, "new_password": NEW})

    again = api.post(CONFIRM, {"token": token, "new_password": "yet another phrase 8"})

    assert again.status_code == 400
    assert again.json()["extra"] == {"reason": "used"}
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_user_password_reset_token_expires(
    api: APIClient,
    user: User,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
    clock: Clock,
    settings: Any,
) -> None:
    settings.BMW_PASSWORD_RESET_TTL_MINUTES = 30
    token = _reset_link(api, user.email, outbox, django_capture_on_commit_callbacks)
    clock.advance(minutes=30)

    response = api.post(CONFIRM, {"token": token, "new_password": NEW})

    assert response.status_code == 400
    assert response.json()["extra"] == {"reason": "expired"}
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_user_password_reset_spends_older_links_too(
    api: APIClient,
    user: User,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = _reset_link(api, user.email, outbox, django_capture_on_commit_callbacks)
    second = _reset_link(api, user.email, outbox, django_capture_on_commit_callbacks)

    assert api.post(CONFIRM, {"token": second, "new_password": NEW}).status_code == 204
    old = api.post(CONFIRM, {"token": first, "new_password": "yet another phrase 8"})

    assert old.status_code == 400
    assert old.json()["extra"] == {"reason": "used"}


def test_user_password_reset_does_not_accept_a_verification_token(
    outbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.user_register(email="ada@example.org", password="a long passphrase 42")
    verification = link_token(outbox[0])

    with pytest.raises(Exception, match="invalid"):
        services.user_password_reset_confirm(token=verification, new_password=NEW)


def test_user_password_reset_request_answers_the_same_for_unknown_email(
    api: APIClient,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(REQUEST, {"email": "nobody@example.org"})

    assert response.status_code == 202
    assert response.content == b""
    assert outbox == []
    assert not EmailToken.objects.exists()


def test_user_password_reset_request_ignores_deactivated_user(
    api: APIClient,
    user: User,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    User.objects.filter(id=user.id).update(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(REQUEST, {"email": user.email}).status_code == 202

    assert outbox == []


def test_user_password_reset_applies_password_validators(
    api: APIClient,
    user: User,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = _reset_link(api, user.email, outbox, django_capture_on_commit_callbacks)

    response = api.post(CONFIRM, {"token": token, "new_password": "password"})

    assert response.status_code == 400
    assert "new_password" in response.json()["extra"]["fields"]
    # The failed attempt rolled back: the link still works with a good password.
    assert api.post(CONFIRM, {"token": token, "new_password": NEW}).status_code == 204


def test_user_password_reset_verifies_the_email_address(
    api: APIClient,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    unverified = User.objects.create_user("new@example.org", "a long passphrase 42")
    token = _reset_link(
        api, unverified.email, outbox, django_capture_on_commit_callbacks
    )

    api.post(CONFIRM, {"token": token, "new_password": NEW})

    unverified.refresh_from_db()
    assert unverified.email_verified


def test_user_password_reset_ends_existing_sessions(
    api: APIClient,
    user: User,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    signed_in = APIClient()
    signed_in.force_login(user)
    token = _reset_link(api, user.email, outbox, django_capture_on_commit_callbacks)

    api.post(CONFIRM, {"token": token, "new_password": NEW})

    assert signed_in.get("/api/users/me/").status_code == 401


def test_user_password_change_requires_the_current_password(
    api: APIClient, user: User
) -> None:
    api.force_login(user)

    response = api.post(
        "/api/users/me/password/", {"old_password": "guess 1234", "new_password": NEW}
    )

    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {
        "old_password": ["The current password is incorrect."]
    }
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_user_password_change_keeps_this_session_and_ends_others(
    api: APIClient, user: User
) -> None:
    other_device = APIClient()
    other_device.force_login(user)
    api.force_login(user)

    response = api.post(
        "/api/users/me/password/", {"old_password": PASSWORD, "new_password": NEW}
    )

    assert response.status_code == 204
    assert api.get("/api/users/me/").status_code == 200
    assert other_device.get("/api/users/me/").status_code == 401
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_user_password_change_applies_password_validators(
    api: APIClient, user: User
) -> None:
    api.force_login(user)

    response = api.post(
        "/api/users/me/password/", {"old_password": PASSWORD, "new_password": "alice"}
    )

    assert response.status_code == 400
    assert "new_password" in response.json()["extra"]["fields"]


def test_user_password_change_spends_pending_reset_links(
    api: APIClient,
    user: User,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = _reset_link(api, user.email, outbox, django_capture_on_commit_callbacks)

    services.user_password_change(user=user, old_password=PASSWORD, new_password=NEW)

    response = api.post(CONFIRM, {"token": token, "new_password": "yet another 9x"})
    assert response.status_code == 400
