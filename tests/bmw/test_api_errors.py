"""Every 4xx (and a 500) from the API has the one shape ``{message, extra}``."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _error_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.bmw.error_views"
    cache.clear()  # throttle counters live in the cache


def _assert_error_shape(body: dict[str, Any]) -> None:
    assert set(body) == {"message", "extra"}
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["extra"], dict)


def test_validation_error_names_each_field_and_problem(client: Client) -> None:
    response = client.post(
        "/api/test/validate/",
        {"name": "too-long-name", "size": 0},
        content_type="application/json",
    )

    assert response.status_code == 400
    body = response.json()
    _assert_error_shape(body)
    assert set(body["extra"]["fields"]) == {"name", "size"}
    assert "name: Ensure this field has no more than 5 characters." in body["message"]
    assert "size:" in body["message"]


def test_missing_field_is_reported_as_required(client: Client) -> None:
    response = client.post(
        "/api/test/validate/", {"name": "ok"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {"size": ["This field is required."]}


def test_malformed_json_is_a_400_with_the_error_shape(client: Client) -> None:
    response = client.post(
        "/api/test/validate/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    _assert_error_shape(response.json())
    assert "JSON parse error" in response.json()["message"]


def test_application_error_keeps_its_status_and_extra(client: Client) -> None:
    response = client.get("/api/test/application-error/")

    assert response.status_code == 413
    assert response.json() == {
        "message": "Package too large",
        "extra": {"max_bytes": 10},
    }


def test_django_validation_error_becomes_400(client: Client) -> None:
    response = client.get("/api/test/django-validation/")

    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {
        "email": ["Enter a valid email address."]
    }


def test_throttled_request_gets_429_with_retry_after(client: Client) -> None:
    assert client.get("/api/test/throttled/").status_code == 200

    response = client.get("/api/test/throttled/")

    assert response.status_code == 429
    _assert_error_shape(response.json())
    assert int(response["Retry-After"]) > 0
    assert response.json()["extra"]["retry_after_s"] > 0


def test_wrong_method_is_405_with_the_error_shape(client: Client) -> None:
    response = client.delete("/api/test/validate/")

    assert response.status_code == 405
    _assert_error_shape(response.json())
    assert response.json()["message"] == 'Method "DELETE" not allowed.'


def test_unknown_api_path_is_json_404(client: Client) -> None:
    response = client.get("/api/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "message": "No API endpoint at /api/no-such-thing/",
        "extra": {},
    }


def test_unauthenticated_request_to_protected_endpoint_gets_error_shape(
    client: Client,
) -> None:
    response = client.get("/api/users/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "message": "Authentication credentials were not provided.",
        "extra": {},
    }


def test_unexpected_exception_is_json_500_without_internals() -> None:
    client = Client(raise_request_exception=False)

    response = client.get("/api/test/crash/")

    assert response.status_code == 500
    assert response.json() == {
        "message": "Internal server error; it has been logged.",
        "extra": {},
    }
    assert "boom" not in response.content.decode()
