"""Session sign-in for the web app: CSRF cookie, login, logout."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/api/auth/login/"


def _csrf_client() -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    client.default_format = "json"
    return client


def test_csrf_token_endpoint_sets_the_cookie() -> None:
    client = _csrf_client()

    response = client.get("/api/auth/csrf/")

    assert response.status_code == 200
    assert response.cookies["csrftoken"].value
    assert response.json()["csrf_token"]


def test_user_login_requires_the_csrf_token(user: User) -> None:
    client = _csrf_client()

    response = client.post(LOGIN, {"email": user.email, "password": PASSWORD})

    assert response.status_code == 403
    assert response.json()["message"].startswith("CSRF Failed")
    assert "sessionid" not in response.cookies


def test_user_login_with_csrf_token_starts_a_session_for_the_spa(user: User) -> None:
    client = _csrf_client()
    token = client.get("/api/auth/csrf/").json()["csrf_token"]

    response = client.post(
        LOGIN, {"email": user.email, "password": PASSWORD}, HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert response.cookies["sessionid"].value
    assert client.get("/api/users/me/").status_code == 200
    # Signing in rotates the CSRF token; unsafe requests need the new cookie value.
    rotated = client.cookies["csrftoken"].value
    assert client.post("/api/auth/logout/").status_code == 403
    assert client.post("/api/auth/logout/", HTTP_X_CSRFTOKEN=rotated).status_code == 204
    assert client.get("/api/users/me/").status_code == 401


@pytest.mark.parametrize(
    ("email", "password"),
    [("alice@example.org", "wrong password 1"), ("nobody@example.org", PASSWORD)],
)
def test_user_login_refuses_bad_credentials_with_one_message(
    api: APIClient, user: User, email: str, password: str
) -> None:
    response = api.post(LOGIN, {"email": email, "password": password})

    assert response.status_code == 400
    assert response.json() == {
        "message": "Incorrect e-mail address or password.",
        "extra": {},
    }


def test_user_login_ignores_email_case(api: APIClient, user: User) -> None:
    response = api.post(LOGIN, {"email": "ALICE@Example.org", "password": PASSWORD})

    assert response.status_code == 200


def test_user_login_refuses_deactivated_user(api: APIClient, user: User) -> None:
    User.objects.filter(id=user.id).update(is_active=False)

    response = api.post(LOGIN, {"email": user.email, "password": PASSWORD})

    assert response.status_code == 400


def test_user_login_records_last_login(api: APIClient, user: User) -> None:
    api.post(LOGIN, {"email": user.email, "password": PASSWORD})

    user.refresh_from_db()
    assert user.last_login is not None


def test_user_logout_ends_the_session(api: APIClient, user: User) -> None:
    api.force_login(user)

    assert api.post("/api/auth/logout/").status_code == 204
    assert api.get("/api/users/me/").status_code == 401


def test_session_of_deactivated_user_stops_working(api: APIClient, user: User) -> None:
    api.force_login(user)
    User.objects.filter(id=user.id).update(is_active=False)

    assert api.get("/api/users/me/").status_code == 401


def test_user_me_reports_profile_and_verification(api: APIClient, user: User) -> None:
    api.force_login(user)

    response = api.get("/api/users/me/")

    assert response.status_code == 200
    assert response.json() == {
        "id": user.id,
        "email": "alice@example.org",
        "display_name": "Alice",
        "role": "user",
        "email_verified": True,
        "date_joined": response.json()["date_joined"],
    }


def test_user_profile_update_changes_display_name(api: APIClient, user: User) -> None:
    api.force_login(user)

    response = api.patch("/api/users/me/", {"display_name": "  Alice L.  "})

    assert response.status_code == 200
    assert response.json()["display_name"] == "Alice L."
    user.refresh_from_db()
    assert user.display_name == "Alice L."


def test_user_profile_update_rejects_too_long_name(api: APIClient, user: User) -> None:
    api.force_login(user)

    response = api.patch("/api/users/me/", {"display_name": "x" * 101})

    assert response.status_code == 400
    assert set(response.json()["extra"]["fields"]) == {"display_name"}


def test_user_profile_update_cannot_change_email_or_role(
    api: APIClient, user: User
) -> None:
    api.force_login(user)

    api.patch(
        "/api/users/me/",
        {"display_name": "A", "role": "admin", "email": "x@example.org"},
    )

    user.refresh_from_db()
    assert (user.role, user.email) == ("user", "alice@example.org")


def test_session_request_needs_csrf_for_unsafe_methods(user: User) -> None:
    client = _csrf_client()
    client.force_login(user)

    response: Any = client.patch("/api/users/me/", {"display_name": "x"})

    assert response.status_code == 403
    assert response.json()["message"].startswith("CSRF Failed")
