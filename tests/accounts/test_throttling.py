"""Throttles answer 429 with Retry-After and the error shape."""

from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set one scope's rate for a test.

    DRF copies DEFAULT_THROTTLE_RATES onto the throttle class at import, so the
    ``settings`` fixture alone would not reach it.
    """
    from rest_framework.throttling import ScopedRateThrottle

    def set_rate(scope: str, rate: str) -> None:
        new = {**ScopedRateThrottle.THROTTLE_RATES, scope: rate}
        monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", new)
        cache.clear()

    return set_rate


def _assert_throttled(response: Any) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert body["extra"]["retry_after_s"] > 0


def test_login_throttle_answers_429_with_retry_after(
    api: APIClient, user: User, rates: Any
) -> None:
    rates("login", "2/minute")
    wrong = {"email": user.email, "password": "wrong password 1"}

    assert api.post("/api/auth/login/", wrong).status_code == 400
    assert api.post("/api/auth/login/", wrong).status_code == 400
    response = api.post("/api/auth/login/", {"email": user.email, "password": PASSWORD})

    _assert_throttled(response)


def test_login_throttle_counts_per_email_across_client_addresses(
    user: User, rates: Any
) -> None:
    rates("login", "2/minute")
    wrong = {"email": user.email, "password": "wrong password 1"}

    for address in ("10.0.0.1", "10.0.0.2"):
        response = APIClient(REMOTE_ADDR=address).post(
            "/api/auth/login/", wrong, format="json"
        )
        assert response.status_code == 400
    third = APIClient(REMOTE_ADDR="10.0.0.3").post(
        "/api/auth/login/", wrong, format="json"
    )

    _assert_throttled(third)


def test_throttle_ignores_forged_forwarded_for_header(user: User, rates: Any) -> None:
    rates("login", "1/minute")
    client = APIClient()
    body = {"email": "nobody@example.org", "password": "x"}

    client.post("/api/auth/login/", body, format="json", HTTP_X_FORWARDED_FOR="1.1.1.1")
    other = {"email": "nobody2@example.org", "password": "x"}
    response = client.post(
        "/api/auth/login/", other, format="json", HTTP_X_FORWARDED_FOR="2.2.2.2"
    )

    _assert_throttled(response)


def test_register_throttle_answers_429(api: APIClient, rates: Any) -> None:
    rates("register", "1/hour")
    body = {"email": "a@example.org", "password": "a long passphrase 42"}

    assert api.post("/api/auth/register/", body).status_code == 202
    _assert_throttled(
        api.post("/api/auth/register/", {**body, "email": "b@example.org"})
    )


def test_password_reset_throttle_answers_429(api: APIClient, rates: Any) -> None:
    rates("password_reset", "1/hour")

    assert (
        api.post("/api/auth/password-reset/", {"email": "a@example.org"}).status_code
        == 202
    )
    _assert_throttled(api.post("/api/auth/password-reset/", {"email": "b@example.org"}))


def test_token_create_throttle_answers_429_but_listing_is_free(
    api: APIClient, user: User, rates: Any
) -> None:
    rates("token_create", "1/hour")
    api.force_login(user)

    assert api.post("/api/api-tokens/", {"name": "a"}).status_code == 201
    _assert_throttled(api.post("/api/api-tokens/", {"name": "b"}))
    assert api.get("/api/api-tokens/").status_code == 200


def test_throttle_rates_are_configured_for_every_scope(settings: Any) -> None:
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]

    assert set(rates) >= {
        "login",
        "register",
        "password_reset",
        "email_verification",
        "token_create",
        "search",
    }
