"""Who may call each accounts endpoint: anonymous, user, other user, reviewer, admin.

The target of user-admin endpoints and the owner of the API token is ``user``;
"other" is a second plain user. Signed-in personas use a session.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts import services
from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "user", "other_user", "reviewer", "admin")


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # {user_id}: the ``user`` persona; {token_id}: a token of ``user``
    body: dict[str, Any] | None
    expected: tuple[int, int, int, int, int]  # in PERSONAS order


CASES = {
    "csrf": Case("get", "/api/auth/csrf/", None, (200, 200, 200, 200, 200)),
    "register": Case(
        "post",
        "/api/auth/register/",
        {"email": "new@example.org", "password": "a long passphrase 42"},
        (202, 202, 202, 202, 202),
    ),
    "login": Case(
        "post",
        "/api/auth/login/",
        {"email": "alice@example.org", "password": PASSWORD},
        (200, 200, 200, 200, 200),
    ),
    "logout": Case("post", "/api/auth/logout/", None, (401, 204, 204, 204, 204)),
    "verification-send": Case(
        # every persona is verified already: 400 means "allowed, nothing to do"
        "post",
        "/api/auth/email-verification/",
        None,
        (401, 400, 400, 400, 400),
    ),
    "verification-confirm": Case(
        "post",
        "/api/auth/email-verification/confirm/",
        {"token": "bogus"},
        (400, 400, 400, 400, 400),
    ),
    "reset-request": Case(
        "post",
        "/api/auth/password-reset/",
        {"email": "alice@example.org"},
        (202, 202, 202, 202, 202),
    ),
    "reset-confirm": Case(
        "post",
        "/api/auth/password-reset/confirm/",
        {"token": "bogus", "new_password": "a brand new passphrase 7"},
        (400, 400, 400, 400, 400),
    ),
    "me": Case("get", "/api/users/me/", None, (401, 200, 200, 200, 200)),
    "me-update": Case(
        "patch", "/api/users/me/", {"display_name": "X"}, (401, 200, 200, 200, 200)
    ),
    "password-change": Case(
        "post",
        "/api/users/me/password/",
        {"old_password": PASSWORD, "new_password": "a brand new passphrase 7"},
        (401, 204, 204, 204, 204),
    ),
    "users-list": Case("get", "/api/users/", None, (401, 403, 403, 200, 200)),
    "users-role": Case(
        "post",
        "/api/users/{user_id}/role/",
        {"role": "reviewer"},
        (401, 403, 403, 403, 200),
    ),
    "users-deactivate": Case(
        "post", "/api/users/{user_id}/deactivate/", None, (401, 403, 403, 403, 200)
    ),
    "users-reactivate": Case(
        "post", "/api/users/{user_id}/reactivate/", None, (401, 403, 403, 403, 200)
    ),
    "admin-audit": Case("get", "/api/admin/audit/", None, (401, 403, 403, 403, 200)),
    "tokens-list": Case("get", "/api/api-tokens/", None, (401, 200, 200, 200, 200)),
    "tokens-create": Case(
        "post", "/api/api-tokens/", {"name": "new"}, (401, 201, 201, 201, 201)
    ),
    "tokens-revoke": Case(
        "delete", "/api/api-tokens/{token_id}/", None, (401, 204, 404, 404, 404)
    ),
}


@pytest.mark.parametrize(
    ("case", "persona", "expected"),
    [
        pytest.param(case, persona, status, id=f"{name}-{persona}")
        for name, case in CASES.items()
        for persona, status in zip(PERSONAS, case.expected, strict=True)
    ],
)
def test_accounts_endpoint_permission_matrix(
    api: APIClient,
    user: User,
    other_user: User,
    reviewer: User,
    admin: User,
    case: Case,
    persona: str,
    expected: int,
) -> None:
    token = services.api_token_create(user=user, name="owned by user").api_token
    actor = {
        "user": user,
        "other_user": other_user,
        "reviewer": reviewer,
        "admin": admin,
    }
    if persona != "anonymous":
        api.force_login(actor[persona])
    path = case.path.format(user_id=user.id, token_id=token.id)

    response = getattr(api, case.method)(path, case.body)

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()) == {"message", "extra"}
    if expected == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_permission_matrix_covers_every_accounts_route() -> None:
    from accounts.urls import urlpatterns

    routes = {
        "/api/"
        + str(p.pattern)
        .replace("<int:user_id>", "{user_id}")
        .replace("<int:api_token_id>", "{token_id}")
        for p in urlpatterns
    }

    assert routes == {case.path for case in CASES.values()}
