"""Abuse limits of the web side (issue 22, part 2): the same per-field caps on API v1
and the compat API, bounded JSON, before any work is queued."""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from bmw import jobs
from bmw.errors import RateLimitedError
from bmw.inflight import in_flight, in_flight_count
from market.models import LearnwareVersion
from tests.compat.conftest import md5
from tests.market.conftest import client_for, post_package, rezip

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


# ------------------------------------------------------------------ jobs in flight
def _hold(stack: ExitStack, caller: str, kind: str, n: int) -> None:
    for _ in range(n):
        stack.enter_context(
            in_flight(caller, kind=kind, limit=n, ttl_s=60, retry_after_s=2)
        )


def test_an_address_with_four_searches_in_flight_gets_429_with_retry_after() -> None:
    with ExitStack() as stack:
        _hold(stack, "addr:127.0.0.1", "search", 4)
        rest = Client().post(
            SEARCH, {"query": "credit"}, content_type="application/json"
        )
        compat = _compat_search(
            Client(), {"Name": {"Type": "String", "Values": "credit"}}
        )
        other_user = Client(REMOTE_ADDR="10.0.0.9").post(
            SEARCH, {"data_type": "Table"}, content_type="application/json"
        )  # tags only: answered by the database, no job

    assert rest.status_code == 429
    assert rest["Retry-After"] == "2"
    assert rest.json()["message"].startswith("Too many search requests")
    assert rest.json()["extra"]["retry_after_s"] == 2
    assert compat.status_code == 429
    assert compat["Retry-After"] == "2"
    assert compat.json()["code"] == 21
    assert other_user.status_code == 200
    assert in_flight_count("addr:127.0.0.1", kind="search") == 0


def test_a_users_searches_are_counted_per_user_not_per_address(user: User) -> None:
    with ExitStack() as stack:
        _hold(stack, f"user:{user.id}", "search", 4)
        mine = client_for(user).post(
            SEARCH, {"query": "credit"}, content_type="application/json"
        )

    assert mine.status_code == 429


class _NoAnswer:
    """A job no worker answers: ``get`` times out; ``revoke`` is recorded."""

    id = "job-1"

    def __init__(self) -> None:
        self.revoked = False

    def get(self, **_: Any) -> Any:
        from celery.exceptions import TimeoutError as CeleryTimeoutError

        raise CeleryTimeoutError("no answer")

    def revoke(self) -> None:
        self.revoked = True


def test_a_timed_out_search_is_revoked_expires_and_frees_its_slot(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.BMW_SEARCH_TIMEOUT_S = 3.0
    sent: list[dict[str, Any]] = []
    job = _NoAnswer()

    def send(name: str, args: Any = (), **options: Any) -> _NoAnswer:
        sent.append({"name": name, **options})
        return job

    monkeypatch.setattr(jobs, "send_task", send)

    response = Client().post(
        SEARCH, {"query": "credit"}, content_type="application/json"
    )

    assert response.status_code == 503
    assert sent == [{"name": "market.learnware_search", "expires": 3.0}]
    assert job.revoked
    assert in_flight_count("addr:127.0.0.1", kind="search") == 0


@pytest.mark.integration
def test_a_search_job_past_its_expiry_is_dropped_by_the_worker(
    celery_worker_process: dict[str, Any],
) -> None:
    """Celery's ``expires`` in the real stack: a job whose request stopped waiting
    never runs (the worker marks it revoked instead)."""
    from celery import current_app
    from celery.exceptions import TaskRevokedError

    result = current_app.send_task(
        "market.learnware_search", args=({"text": "credit"},), expires=-1
    )

    with pytest.raises(TaskRevokedError):
        result.get(timeout=30, interval=0.1)
    assert result.state == "REVOKED"


# ------------------------------------------------------------------ uploads
@pytest.fixture
def _checks_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from market import services

    monkeypatch.setattr(services, "_check_enqueue_on_commit", lambda version_id: None)


@pytest.mark.usefixtures("_checks_not_run")
def test_uploads_while_too_many_checks_are_pending_get_429(
    user: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
    settings: Any,
) -> None:
    settings.BMW_CHECKS_PENDING_MAX = 2
    client = client_for(user)
    answers = [
        post_package(
            client, rezip(package_bytes, extra={"n": bytes([i])}), semantic_spec
        )
        for i in range(3)
    ]

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[2]["Retry-After"] == "60"
    assert answers[2].json()["extra"]["fields"] == {
        "package": ["too many checks pending"]
    }
    assert LearnwareVersion.objects.count() == 2


@pytest.mark.usefixtures("_checks_not_run")
def test_uploads_over_the_hourly_limit_get_429_with_the_wait(
    user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
    settings: Any,
) -> None:
    settings.BMW_UPLOADS_PER_HOUR = 2
    client = client_for(user)
    answers = [
        post_package(
            client, rezip(package_bytes, extra={"n": bytes([i])}), semantic_spec
        )
        for i in range(3)
    ]
    staff = post_package(
        client_for(reviewer), rezip(package_bytes, extra={"n": b"s"}), semantic_spec
    )

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert 3500 < int(answers[2]["Retry-After"]) <= 3600
    assert "2 uploads in the last hour" in answers[2].json()["message"]
    assert staff.status_code == 201  # reviewers and admins are not limited


@pytest.mark.usefixtures("_checks_not_run")
def test_compat_upload_over_the_limit_is_http_429_with_a_code(
    user: User, package_bytes: bytes, semantic_spec: dict[str, Any], settings: Any
) -> None:
    from accounts import services as account_services
    from tests.compat.conftest import OriginalClient

    settings.BMW_CHECKS_PENDING_MAX = 1
    assert (
        post_package(client_for(user), package_bytes, semantic_spec).status_code == 201
    )
    original = OriginalClient(Client())
    token = account_services.api_token_create(user=user, name="compat").token
    assert original.login(user.email, token)["code"] == 0
    second = rezip(package_bytes, extra={"n": b"2"})
    original.upload_chunks(second)

    response = original.post_json(
        "/user/add_learnware_uploaded",
        {"file_hash": md5(second), "semantic_specification": json.dumps(semantic_spec)},
    )

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json()["code"] == 21


def test_a_user_with_four_predictions_in_flight_gets_429(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The prediction is refused after its input is parsed and stored, before any
    job is sent; the stored input is deleted again."""
    from types import SimpleNamespace

    from market.inference import services as inference

    live = SimpleNamespace(input_dimension=2)
    learnware = SimpleNamespace(
        id=1, live_version=live, live_version_id=5, task_type="Regression"
    )
    deleted: list[str] = []
    monkeypatch.setattr(inference, "_runnable", lambda viewer, i: learnware)
    monkeypatch.setattr(
        inference, "_parse", lambda files, lw: SimpleNamespace(X=None, kind="table")
    )
    monkeypatch.setattr(inference, "input_store", lambda X: "inference/in.npy")
    monkeypatch.setattr(inference, "input_delete", deleted.append)

    with ExitStack() as stack:
        _hold(stack, f"user:{user.id}", "prediction", 4)
        response = client_for(user).post(
            "/api/learnwares/1/predict/",
            {"file": SimpleUploadedFile("x.csv", b"1,2\n")},
        )

    assert response.status_code == 429
    assert response["Retry-After"] == "5"
    assert "prediction requests" in response.json()["message"]
    assert deleted == ["inference/in.npy"]


def test_an_in_flight_counter_that_expired_mid_request_never_goes_negative() -> None:
    def slot() -> Any:
        return in_flight("addr:x", kind="search", limit=1, ttl_s=60, retry_after_s=2)

    with slot():
        cache.delete("bmw:in-flight:search:addr:x")  # expired while in flight
        with slot():  # counted afresh
            pass

    assert in_flight_count("addr:x", kind="search") == 0
    with slot(), pytest.raises(RateLimitedError), slot():
        pass  # the limit still holds: one, not two
