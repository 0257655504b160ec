"""Registration, the verification e-mail and its single-use, expiring link."""

from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts import services
from accounts.models import EmailToken, User
from tests.accounts.conftest import Clock, link_token

pytestmark = pytest.mark.django_db

REGISTER = "/api/auth/register/"
VERIFY = "/api/auth/email-verification/confirm/"
RESEND = "/api/auth/email-verification/"


def _register(api: APIClient, email: str = "ada@uni.example.edu", **extra: Any) -> Any:
    body = {"email": email, "password": "a long passphrase 42", **extra}
    return api.post(REGISTER, body)


def test_user_register_to_api_call_with_token_end_to_end(
    api: APIClient,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        registered = _register(api, "Ada@Uni.Example.EDU", display_name="Ada")
    assert registered.status_code == 202
    assert registered.json()["email"] == "ada@uni.example.edu"
    assert User.objects.get(email="ada@uni.example.edu").email_verified is False
    assert len(outbox) == 1
    assert outbox[0].to == ["ada@uni.example.edu"]

    assert api.post(VERIFY, {"token": link_token(outbox[0])}).status_code == 204

    login = api.post(
        "/api/auth/login/",
        {"email": "ada@uni.example.edu", "password": "a long passphrase 42"},
    )
    assert login.status_code == 200
    assert login.json()["email_verified"] is True
    created = api.post("/api/api-tokens/", {"name": "laptop"})
    assert created.status_code == 201

    program = APIClient()
    me = program.get(
        "/api/users/me/", HTTP_AUTHORIZATION=f"Bearer {created.json()['token']}"
    )
    assert me.status_code == 200
    assert me.json()["email"] == "ada@uni.example.edu"


def test_user_register_enqueues_the_email_only_after_commit(
    outbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        services.user_register(email="ada@example.org", password="a long passphrase 42")

    assert outbox == []  # nothing left the process before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(outbox) == 1


def test_user_register_stores_only_hashes_of_the_password_and_token(
    api: APIClient,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _register(api)

    user = User.objects.get()
    token = link_token(outbox[0])
    assert user.password != "a long passphrase 42"
    assert user.check_password("a long passphrase 42")
    assert not EmailToken.objects.filter(token_hash=token).exists()
    assert EmailToken.objects.get().purpose == EmailToken.Purpose.VERIFY_EMAIL


def test_user_register_does_not_create_a_second_account_for_a_taken_email(
    api: APIClient, user: User
) -> None:
    response = _register(api, user.email.upper())

    assert response.status_code == 202  # the same answer as for a new address
    assert User.objects.filter(email__iexact=user.email).count() == 1


def test_user_register_applies_django_password_validators(api: APIClient) -> None:
    response = api.post(REGISTER, {"email": "ada@example.org", "password": "12345678"})

    assert response.status_code == 400
    problems = response.json()["extra"]["fields"]["password"]
    assert "This password is too common." in problems
    assert "This password is entirely numeric." in problems
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("ada@example.edu", True),
        ("ada@cs.example.edu", True),
        ("ada@lab.org", True),
        ("ada@notexample.edu.evil.com", False),
        ("ada@edu-fake.com", False),
        ("ada@gmail.com", False),
    ],
)
def test_user_register_honours_the_email_domain_allow_list(
    api: APIClient, settings: Any, email: str, allowed: bool
) -> None:
    settings.BMW_REGISTRATION_EMAIL_DOMAINS = ["example.edu", "lab.org"]

    response = _register(api, email)

    assert response.status_code == (202 if allowed else 400)
    assert User.objects.filter(email=email).exists() is allowed


def test_user_register_is_open_when_the_allow_list_is_empty(
    api: APIClient, settings: Any
) -> None:
    settings.BMW_REGISTRATION_EMAIL_DOMAINS = []

    assert _register(api, "ada@anywhere.example").status_code == 202


def test_user_verify_email_token_cannot_be_reused(
    api: APIClient,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _register(api)
    token = link_token(outbox[0])

    assert api.post(VERIFY, {"token": token}).status_code == 204
    again = api.post(VERIFY, {"token": token})

    assert again.status_code == 400
    assert again.json() == {
        "message": "This link has already been used.",
        "extra": {"reason": "used"},
    }


def test_user_verify_email_token_expires(
    api: APIClient,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
    clock: Clock,
    settings: Any,
) -> None:
    settings.BMW_EMAIL_VERIFICATION_TTL_HOURS = 48
    with django_capture_on_commit_callbacks(execute=True):
        _register(api)
    clock.advance(hours=48, seconds=1)

    response = api.post(VERIFY, {"token": link_token(outbox[0])})

    assert response.status_code == 400
    assert response.json()["extra"] == {"reason": "expired"}
    assert not User.objects.get().email_verified


def test_user_verify_email_token_works_until_it_expires(
    api: APIClient,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
    clock: Clock,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _register(api)
    clock.advance(hours=47, minutes=59)

    assert api.post(VERIFY, {"token": link_token(outbox[0])}).status_code == 204
    assert User.objects.get().email_verified_at == clock.now


def test_user_verify_email_rejects_unknown_token(api: APIClient) -> None:
    response = api.post(VERIFY, {"token": "not-a-token"})

    assert response.status_code == 400
    assert response.json()["extra"] == {"reason": "invalid"}


def test_user_verification_email_send_mails_a_new_working_link(
    api: APIClient,
    outbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    unverified = User.objects.create_user("new@example.org", "a long passphrase 42")
    api.force_authenticate(unverified)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(RESEND)

    assert response.status_code == 202
    assert len(outbox) == 1
    assert APIClient().post(VERIFY, {"token": link_token(outbox[0])}).status_code == 204
    unverified.refresh_from_db()
    assert unverified.email_verified


def test_user_verification_email_send_refuses_verified_user(
    api: APIClient, user: User, outbox: list[mail.EmailMessage]
) -> None:
    api.force_login(user)

    response = api.post(RESEND)

    assert response.status_code == 400
    assert response.json()["message"] == "Your e-mail address is already verified."
    assert outbox == []


def test_user_verify_email_spends_the_other_verification_links(
    outbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.user_register(email="ada@example.org", password="a long passphrase 42")
        user = User.objects.get(email="ada@example.org")
        services.user_verification_email_send(user=user)
    first, second = (link_token(m) for m in outbox)

    services.user_verify_email(token=second)

    assert not EmailToken.objects.filter(used_at__isnull=True).exists()
    with pytest.raises(Exception, match="already been used"):
        services.user_verify_email(token=first)


def test_unverified_user_may_sign_in_but_not_create_api_tokens(
    api: APIClient,
) -> None:
    User.objects.create_user("new@example.org", "a long passphrase 42")

    login = api.post(
        "/api/auth/login/",
        {"email": "new@example.org", "password": "a long passphrase 42"},
    )
    created = api.post("/api/api-tokens/", {"name": "x"})

    assert login.status_code == 200
    assert api.get("/api/users/me/").json()["email_verified"] is False
    assert created.status_code == 403
    assert created.json()["message"].startswith("Verify your e-mail address first")
