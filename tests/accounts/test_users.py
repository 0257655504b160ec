"""The custom user model and the first-admin set-up."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client

from accounts import services
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_user_create_uses_email_as_login_and_defaults_to_user_role() -> None:
    user = User.objects.create_user("Ada@Example.COM", "a-long-password-1")

    assert user.email == "ada@example.com"
    assert user.role == User.Role.USER
    assert not user.is_staff
    assert user.check_password("a-long-password-1")
    assert Client().login(email="ada@example.com", password="a-long-password-1")


def test_user_email_is_unique() -> None:
    User.objects.create_user("ada@example.com", "x-long-password")

    with pytest.raises(Exception, match="already exists"):
        User.objects.create_user("ADA@example.com", "y-long-password")


@pytest.mark.parametrize(
    ("role", "staff"),
    [(User.Role.USER, False), (User.Role.REVIEWER, True), (User.Role.ADMIN, True)],
)
def test_user_staff_access_follows_role(role: str, staff: bool) -> None:
    assert User(email="r@example.com", role=role).is_staff is staff


def test_user_superuser_must_have_admin_role() -> None:
    with pytest.raises(IntegrityError):
        User.objects.filter(
            pk=User.objects.create_user("u@example.com", "x-long-password").pk
        ).update(is_superuser=True)


def test_admin_ensure_creates_one_admin_and_is_idempotent() -> None:
    first = services.admin_ensure(email="root@example.com")
    again = services.admin_ensure(email="other@example.com", password="whatever-123")

    assert first.created
    assert first.password
    assert first.user.check_password(first.password)
    assert first.user.role == User.Role.ADMIN
    assert first.user.is_superuser
    assert not again.created
    assert again.password is None
    assert again.user == first.user
    assert User.objects.count() == 1


def test_ensure_admin_command_uses_given_credentials(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("ensure_admin", email="boss@example.com", password="given-pass-123")
    call_command("ensure_admin", email="boss@example.com")

    out = capsys.readouterr().out
    assert "Created admin boss@example.com" in out
    assert "given-pass-123" not in out  # a given password is never echoed
    assert "Admin account exists: boss@example.com" in out
    assert User.objects.get().check_password("given-pass-123")


def test_users_me_returns_signed_in_user(client: Client) -> None:
    user = User.objects.create_user(
        "me@example.com", "x-long-password", display_name="Me"
    )
    client.force_login(user)

    response = client.get("/api/users/me/")

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "me@example.com"
    assert body["display_name"] == "Me"
    assert body["role"] == "user"
