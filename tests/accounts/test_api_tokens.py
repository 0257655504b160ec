"""API tokens: created once-shown, stored hashed, expiring, revocable, and the
``Authorization: Bearer`` authentication that uses them."""

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken, User
from tests.accounts.conftest import Clock

pytestmark = pytest.mark.django_db

TOKENS = "/api/api-tokens/"
ME = "/api/users/me/"


def _bearer(token: str, keyword: str = "Bearer") -> str:
    return f"{keyword} {token}"


def _create(user: User, **kwargs: Any) -> str:
    return services.api_token_create(
        user=user, name=kwargs.pop("name", "ci"), **kwargs
    ).token


def test_api_token_create_shows_the_secret_once_and_stores_its_hash(
    api: APIClient, user: User
) -> None:
    api.force_login(user)

    response = api.post(TOKENS, {"name": "laptop CLI"})

    assert response.status_code == 201
    body = response.json()
    assert re.fullmatch(r"bmw_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", body["token"])
    assert body["token"].startswith(f"bmw_{body['prefix']}_")
    assert body["name"] == "laptop CLI"
    assert body["expires_at"] is None
    stored = ApiToken.objects.get()
    assert stored.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in {
        f.value_from_object(stored) for f in ApiToken._meta.fields
    }
    listed = api.get(TOKENS).json()["results"]
    assert [t["name"] for t in listed] == ["laptop CLI"]
    assert "token" not in listed[0]


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_api_token_authenticates_with_either_keyword(user: User, keyword: str) -> None:
    token = _create(user)

    response = APIClient().get(ME, HTTP_AUTHORIZATION=_bearer(token, keyword))

    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_api_token_requests_need_no_csrf_token(user: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    token = _create(user)

    response = client.patch(
        ME, {"display_name": "Bot"}, format="json", HTTP_AUTHORIZATION=_bearer(token)
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "Bearer bmw_00000000_" + "a" * 43,  # well-formed, unknown
        "Bearer not-a-token",
        "Bearer",
        "Bearer two parts",
    ],
)
def test_api_token_bad_credentials_get_401_with_challenge(
    user: User, header: str
) -> None:
    response = APIClient().get(ME, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert set(response.json()) == {"message", "extra"}


def test_api_token_with_right_prefix_but_wrong_secret_is_refused(user: User) -> None:
    token = _create(user)
    forged = token[: -len("x")] + ("x" if token[-1] != "x" else "y")

    assert APIClient().get(ME, HTTP_AUTHORIZATION=_bearer(forged)).status_code == 401


def test_api_token_revoked_is_refused(api: APIClient, user: User) -> None:
    token = _create(user)
    api.force_login(user)
    token_id = ApiToken.objects.get().id

    assert api.delete(f"{TOKENS}{token_id}/").status_code == 204
    response = APIClient().get(ME, HTTP_AUTHORIZATION=_bearer(token))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["message"] == "This API token has been revoked."
    assert api.get(TOKENS).json()["results"] == []


def test_api_token_expired_is_refused(user: User, clock: Clock) -> None:
    token = _create(user, expires_at=clock.now + timedelta(days=1))
    assert APIClient().get(ME, HTTP_AUTHORIZATION=_bearer(token)).status_code == 200

    clock.advance(days=1)
    response = APIClient().get(ME, HTTP_AUTHORIZATION=_bearer(token))

    assert response.status_code == 401
    assert response.json()["message"] == "This API token has expired."


def test_api_token_of_deactivated_user_is_refused(user: User) -> None:
    token = _create(user)
    User.objects.filter(id=user.id).update(is_active=False)

    response = APIClient().get(ME, HTTP_AUTHORIZATION=_bearer(token))

    assert response.status_code == 401
    assert response.json()["message"] == "User inactive or deleted."


def test_api_token_last_used_is_written_at_most_once_a_minute(
    user: User, clock: Clock
) -> None:
    token = _create(user)
    start = clock.now

    APIClient().get(ME, HTTP_AUTHORIZATION=_bearer(token))
    clock.advance(seconds=59)
    APIClient().get(ME, HTTP_AUTHORIZATION=_bearer(token))
    assert ApiToken.objects.get().last_used_at == start

    clock.advance(seconds=1)
    APIClient().get(ME, HTTP_AUTHORIZATION=_bearer(token))
    assert ApiToken.objects.get().last_used_at == start + timedelta(seconds=60)


def test_api_token_authentication_writes_nothing_within_the_minute(
    user: User, django_assert_num_queries: Any
) -> None:
    token = _create(user)
    services.api_token_authenticate(token=token)  # first use: records last_used_at

    with django_assert_num_queries(2):  # SELECT token+user, conditional UPDATE (0 rows)
        services.api_token_authenticate(token=token)


def test_api_token_create_accepts_a_future_expiry_only(
    api: APIClient, user: User
) -> None:
    api.force_login(user)
    future = (timezone.now() + timedelta(days=30)).isoformat()
    past = (timezone.now() - timedelta(minutes=1)).isoformat()

    ok = api.post(TOKENS, {"name": "a", "expires_at": future})
    bad = api.post(TOKENS, {"name": "b", "expires_at": past})

    assert ok.status_code == 201
    assert ok.json()["expires_at"] is not None
    assert bad.status_code == 400
    assert bad.json()["extra"]["fields"] == {"expires_at": ["Must be in the future."]}


def test_api_token_names_are_unique_per_user_among_live_tokens(
    api: APIClient, user: User, other_user: User
) -> None:
    api.force_login(user)
    first = api.post(TOKENS, {"name": "ci"}).json()

    duplicate = api.post(TOKENS, {"name": "ci"})
    api.delete(f"{TOKENS}{first['id']}/")
    reused = api.post(TOKENS, {"name": "ci"})
    _create(other_user, name="ci")

    assert duplicate.status_code == 400
    assert set(duplicate.json()["extra"]["fields"]) == {"name"}
    assert reused.status_code == 201


def test_api_token_cannot_create_more_tokens(user: User) -> None:
    token = _create(user)

    response = APIClient().post(
        TOKENS, {"name": "escalate"}, format="json", HTTP_AUTHORIZATION=_bearer(token)
    )

    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_api_token_may_revoke_itself(user: User) -> None:
    token = _create(user)
    token_id = ApiToken.objects.get().id
    client = APIClient()

    assert (
        client.delete(
            f"{TOKENS}{token_id}/", HTTP_AUTHORIZATION=_bearer(token)
        ).status_code
        == 204
    )
    assert client.get(ME, HTTP_AUTHORIZATION=_bearer(token)).status_code == 401


def test_api_token_list_shows_only_own_live_tokens(
    api: APIClient, user: User, other_user: User, django_assert_num_queries: Any
) -> None:
    _create(user, name="mine")
    _create(other_user, name="theirs")
    revoked = services.api_token_create(user=user, name="old")
    services.api_token_revoke(user=user, api_token_id=revoked.api_token.id)
    api.force_login(user)

    with django_assert_num_queries(4):  # session, user, count, page
        response = api.get(TOKENS)

    assert [t["name"] for t in response.json()["results"]] == ["mine"]


def test_api_token_revoke_of_another_users_token_is_404(
    api: APIClient, user: User, other_user: User
) -> None:
    token = _create(other_user)
    api.force_login(user)

    response = api.delete(f"{TOKENS}{ApiToken.objects.get().id}/")

    assert response.status_code == 404
    assert APIClient().get(ME, HTTP_AUTHORIZATION=_bearer(token)).status_code == 200


def test_api_token_create_draws_again_on_a_prefix_clash(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accounts import tokens

    first = services.api_token_create(user=user, name="first")
    taken = tokens.ApiTokenParts(prefix=first.api_token.prefix, raw="bmw_clash")
    fresh = tokens.api_token_new()
    drawn = iter([taken, fresh])
    monkeypatch.setattr(tokens, "api_token_new", lambda: next(drawn))

    second = services.api_token_create(user=user, name="second")

    assert second.api_token.prefix == fresh.prefix
    assert second.token == fresh.raw
