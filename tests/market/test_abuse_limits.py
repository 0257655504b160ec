"""Abuse limits of the web side (issue 22, part 2): the same per-field caps on API v1
and the compat API, bounded JSON, before any work is queued."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from bmw import jobs
from tests.market.conftest import client_for

pytestmark = pytest.mark.django_db

SEARCH = "/api/learnwares/search/"
COMPAT_SEARCH = "/api/compat/v1/engine/search_learnware"


@pytest.fixture(autouse=True)
def _no_worker_asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every task sent is recorded and answered with an error: a capped request
    must be refused before anything reaches a worker."""
    sent: list[str] = []

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(name)
        raise AssertionError(f"{name} was sent to a worker")

    monkeypatch.setattr(jobs, "send_task", refuse)
    return sent


@pytest.fixture(autouse=True)
def _counters_reset() -> Any:
    cache.clear()  # throttle and in-flight counters
    yield
    cache.clear()


def _compat_search(client: Client, spec: dict[str, Any]) -> Any:
    return client.post(COMPAT_SEARCH, {"semantic_specification": json.dumps(spec)})


def test_compat_search_caps_name_as_the_rest_search_caps_query() -> None:
    name = "x" * 1_000_000
    compat = _compat_search(Client(), {"Name": {"Type": "String", "Values": name}})
    rest = Client().post(SEARCH, {"query": name}, content_type="application/json")

    assert compat.status_code == 200  # the original's convention: errors as codes
    assert compat.json()["code"] == 21
    assert "Name: 1000000 characters is over the limit of 500" in compat.json()["msg"]
    assert rest.status_code == 400
    assert "query" in rest.json()["extra"]["fields"]


def test_one_character_over_the_text_cap_is_refused_on_both_apis() -> None:
    name = "y" * 501
    compat = _compat_search(Client(), {"Name": {"Type": "String", "Values": name}})
    rest = Client().post(SEARCH, {"query": name}, content_type="application/json")

    assert compat.json()["code"] == 21
    assert rest.status_code == 400


def test_tag_values_are_capped_the_same_on_both_apis() -> None:
    many = [f"s{i}" for i in range(51)]
    long = "z" * 101
    compat_many = _compat_search(
        Client(), {"Scenario": {"Type": "Tag", "Values": many}}
    )
    compat_long = _compat_search(Client(), {"Data": {"Type": "Class", "Values": long}})
    rest_many = Client().post(
        SEARCH, {"scenarios": many}, content_type="application/json"
    )
    rest_long = Client().post(
        SEARCH, {"data_type": long}, content_type="application/json"
    )

    assert compat_many.json()["code"] == 21
    assert "Scenario: 51 values is over the limit of 50" in compat_many.json()["msg"]
    assert compat_long.json()["code"] == 21
    assert "Data: a value is over the limit of 100" in compat_long.json()["msg"]
    assert rest_many.status_code == 400
    assert rest_many.json()["extra"]["fields"] == {
        "scenarios": ["51 values is over the limit of 50"]
    }
    assert rest_long.status_code == 400
    assert set(rest_long.json()["extra"]["fields"]) == {"data_type"}


def test_deeply_nested_json_body_is_a_400_naming_the_body() -> None:
    response = Client().post(
        SEARCH, "[" * 100_000 + "]" * 100_000, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {
        "body": ["nested deeper than 32 levels"]
    }


def test_moderately_nested_json_body_over_the_depth_cap_is_refused() -> None:
    body: Any = {"query": "credit"}
    for _ in range(40):
        body = {"input": body}
    response = Client().post(SEARCH, body, content_type="application/json")

    assert response.status_code == 400
    assert "nested deeper than 32 levels" in response.json()["message"]


def test_json_body_over_the_size_cap_is_a_413(settings: Any) -> None:
    settings.BMW_JSON_MAX_BYTES = 1000
    body = json.dumps({"query": "a", "license": "b" * 2000})

    response = Client().post(SEARCH, body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["message"].startswith("body: ")


def test_compat_deep_semantic_specification_is_refused_with_a_code() -> None:
    deep = "[" * 50_000 + "]" * 50_000
    response = Client().post(COMPAT_SEARCH, {"semantic_specification": deep})

    assert response.status_code == 200
    assert response.json()["code"] == 41
    assert "nested deeper than 32 levels" in response.json()["msg"]


def test_compat_deep_json_body_is_refused_not_a_500(user: User) -> None:
    response = Client().post(
        "/api/compat/v1/auth/login_by_token",
        "[" * 100_000 + "]" * 100_000,
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["code"] != 0


def test_deeply_nested_stat_spec_upload_is_a_400_naming_stat_spec() -> None:
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    response = Client().post(
        SEARCH, {"stat_spec": SimpleUploadedFile("stat.json", deep)}
    )

    assert response.status_code == 400
    assert set(response.json()["extra"]["fields"]) == {"stat_spec"}


def test_deeply_nested_semantic_spec_string_on_upload_is_a_400(user: User) -> None:
    response = client_for(user).post(
        "/api/learnwares/",
        {
            "semantic_spec": "[" * 100_000 + "]" * 100_000,
            "package": SimpleUploadedFile("p.zip", b"PK"),
        },
    )

    assert response.status_code == 400
    assert "semantic_spec" in response.json()["extra"]["fields"]
