"""User administration: list and search, roles, deactivation."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_user_list_searches_email_and_name_and_filters(
    api: APIClient, admin: User, user: User, other_user: User, reviewer: User
) -> None:
    User.objects.filter(id=other_user.id).update(
        is_active=False, email_verified_at=None
    )
    api.force_login(admin)

    def emails(**params: Any) -> list[str]:
        response = api.get("/api/users/", params)
        assert response.status_code == 200
        return [u["email"] for u in response.json()["results"]]

    assert emails() == [  # newest first (fixtures are created in argument order)
        "rita@example.org",
        "bob@example.org",
        "alice@example.org",
        "root@example.org",
    ]
    assert emails(q="ALI") == ["alice@example.org"]
    assert emails(q="Rita") == ["rita@example.org"]  # display name
    assert emails(role="reviewer") == ["rita@example.org"]
    assert emails(is_active="false") == ["bob@example.org"]
    assert emails(email_verified="false") == ["bob@example.org"]
    assert emails(q="%") == []  # LIKE wildcards are literal (the ORM escapes them)


def test_user_list_rejects_unknown_role_filter(api: APIClient, admin: User) -> None:
    api.force_login(admin)

    response = api.get("/api/users/", {"role": "owner"})

    assert response.status_code == 400
    assert set(response.json()["extra"]["fields"]) == {"role"}


def test_user_list_query_count_does_not_grow_with_users(
    api: APIClient, admin: User, django_assert_num_queries: Any
) -> None:
    for i in range(15):
        User.objects.create_user(f"u{i}@example.org", "x")
    api.force_login(admin)

    with django_assert_num_queries(4):  # session, user, count, page
        response = api.get("/api/users/", {"page_size": 10})

    assert response.json()["count"] == 16
    assert len(response.json()["results"]) == 10


def test_user_role_set_promotes_and_demotes(
    api: APIClient, admin: User, user: User
) -> None:
    api.force_login(admin)

    promoted = api.post(f"/api/users/{user.id}/role/", {"role": "admin"})
    user.refresh_from_db()
    assert promoted.status_code == 200
    assert promoted.json()["role"] == "admin"
    assert user.is_superuser

    demoted = api.post(f"/api/users/{user.id}/role/", {"role": "reviewer"})
    user.refresh_from_db()
    assert demoted.json()["role"] == "reviewer"
    assert (user.role, user.is_superuser, user.is_staff) == ("reviewer", False, True)


def test_user_role_set_rejects_unknown_role(
    api: APIClient, admin: User, user: User
) -> None:
    api.force_login(admin)

    response = api.post(f"/api/users/{user.id}/role/", {"role": "owner"})

    assert response.status_code == 400


def test_user_role_set_unknown_user_is_404(api: APIClient, admin: User) -> None:
    api.force_login(admin)

    assert api.post("/api/users/999999/role/", {"role": "user"}).status_code == 404


@pytest.mark.parametrize(
    ("path", "body"),
    [("role/", {"role": "user"}), ("deactivate/", {}), ("reactivate/", {})],
)
def test_admin_cannot_change_own_role_or_status(
    api: APIClient, admin: User, path: str, body: dict[str, str]
) -> None:
    api.force_login(admin)

    response = api.post(f"/api/users/{admin.id}/{path}", body)

    assert response.status_code == 409
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == ("admin", True)


def test_user_deactivate_blocks_sign_in_and_reactivate_restores_it(
    api: APIClient, admin: User, user: User
) -> None:
    api.force_login(admin)
    login = {"email": user.email, "password": PASSWORD}

    deactivated = api.post(f"/api/users/{user.id}/deactivate/")
    assert deactivated.status_code == 200
    assert deactivated.json()["is_active"] is False
    assert APIClient().post("/api/auth/login/", login, format="json").status_code == 400

    reactivated = api.post(f"/api/users/{user.id}/reactivate/")
    assert reactivated.json()["is_active"] is True
    assert APIClient().post("/api/auth/login/", login, format="json").status_code == 200
