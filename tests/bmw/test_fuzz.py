"""Schemathesis against the live dock's OpenAPI schema (issue 11): a CI-sized run.

gunicorn and a real Celery worker on the test database, a small market in it (a
listed learnware, one awaiting review), then ``benchmarks.fuzz.run_fuzz`` with a fixed
seed, anonymous and as an administrator: no 5xx, no response the schema does not
document, invalid input refused with a 4xx. ``python -m benchmarks.fuzz`` is the long
run (a time budget instead of a few examples per operation).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accounts.models import User
from tests.conftest import OFFICIAL_ZIP, TABLE_SPEC, free_port, start_web

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SEED = 0
# Throttles off: a fuzzer answered 429 from its sixth sign-up on learns nothing more.
SCOPES = (
    "LOGIN REGISTER PASSWORD_RESET EMAIL_VERIFICATION TOKEN_CREATE SEARCH INFERENCE"
)


@pytest.fixture
def fuzz_dock(
    celery_worker_process: dict[str, Any], tmp_path: Path
) -> Iterator[tuple[str, Path]]:
    """The dock's base URL and its log: gunicorn beside the test worker."""
    env = dict(celery_worker_process)
    env.update({f"BMW_THROTTLE_{scope}": "100000/minute" for scope in SCOPES.split()})
    # The test settings' fast password hasher: the fuzzer sends hundreds of sign-ups,
    # sign-ins and password changes, each a PBKDF2 run (~0.1 s) under production's.
    env["DJANGO_SETTINGS_MODULE"] = "bmw.settings.test"
    # A worker busy with a check the fuzzer queued answers searches late, not never.
    env.update(BMW_SEARCH_TIMEOUT_S="120", BMW_INFERENCE_TIMEOUT_S="120")
    log = tmp_path / "web.log"
    web = start_web(env, log, port := free_port())
    try:
        yield f"http://127.0.0.1:{port}", log
    finally:
        web.stop()


@pytest.fixture
def small_market(
    user: User,
    reviewer: User,
    settings: Any,
    celery_worker_process: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, int]:
    """A listed learnware and one awaiting review (uploaded through the API), so
    responses carry real objects for the schema checks. Their versions are marked
    checked here (the checks have their own tests), not queued: the worker stays
    free for the fuzzer's searches."""
    from market import services
    from tests.market.conftest import (
        client_for,
        mark_checked,
        post_package,
        publish_unchecked,
        rezip,
    )

    settings.MEDIA_ROOT = celery_worker_process["BMW_MEDIA_ROOT"]  # the dock's files
    monkeypatch.setattr(services, "_check_enqueue_on_commit", lambda version_id: None)
    spec = json.loads(TABLE_SPEC.read_text())
    package = OFFICIAL_ZIP.read_bytes()
    owner = client_for(user)
    listed = publish_unchecked(owner, client_for(reviewer), package, spec)
    response = post_package(
        owner,
        rezip(package, extra={"NOTES.txt": b"a second learnware"}),
        {**spec, "Name": {"Type": "String", "Values": "awaiting review"}},
    )
    assert response.status_code == 201, response.content
    waiting = mark_checked(response.json()["id"])
    return {"listed": listed, "awaiting": waiting.learnware_id}


def test_fuzzing_finds_no_server_error_and_no_schema_violation(
    fuzz_dock: tuple[str, Path], admin: User, small_market: dict[str, int]
) -> None:
    from accounts.services import api_token_create
    from benchmarks.fuzz import QUICK_MAX_EXAMPLES, run_fuzz

    url, log = fuzz_dock
    token = api_token_create(user=admin, name="fuzz").token

    report = run_fuzz(
        url,
        token=token,
        max_examples=QUICK_MAX_EXAMPLES,
        seed=SEED,
        anonymous_coverage=False,  # the admin's run covers every operation's input
        request_timeout_s=180,
    )

    print(report.table())
    assert set(report.identities) == {"anonymous", "token"}
    assert all(s.cases > 0 for s in report.identities.values())
    # The compat API (the original client's protocol) is fuzzed too, every operation.
    fuzzed = {label for s in report.identities.values() for label in s.response_s}
    assert _compat_operations(url) <= fuzzed
    assert _hostile_compat_answers(url) == []
    if not report.ok:
        entries = log.read_text(errors="replace").split("\n20")  # lines: "2026-..."
        tracebacks = [entry for entry in entries if "Traceback" in entry]
        pytest.fail(
            f"{report.five_xx} server errors, {report.schema_violations} schema "
            f"violations, {report.other_failures} other failures, {report.errors} "
            f"errors (seed {SEED}):\n{report.describe_failures()}\n\n"
            + ("web log:\n" + "\n".join(tracebacks[-3:]) if tracebacks else ""),
            pytrace=False,
        )


def _compat_operations(url: str) -> set[str]:
    """``METHOD /path`` of every compat operation the live dock's schema lists."""
    import requests
    import yaml

    schema = yaml.safe_load(requests.get(f"{url}/api/schema/", timeout=60).text)
    return {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        if path.startswith("/api/compat/")
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


def _hostile_compat_answers(url: str) -> list[str]:
    """Oversized and deeply nested compat requests (issue 22): each must be refused
    with the original's error envelope, never a 5xx. The problems found."""
    import requests

    search = f"{url}/api/compat/v1/engine/search_learnware"
    name = json.dumps({"Name": {"Type": "String", "Values": "x" * 1_000_000}})
    deep = "[" * 100_000 + "]" * 100_000
    cases = {
        "1 MB Name": lambda: requests.post(
            search, data={"semantic_specification": name}, timeout=60
        ),
        "deep semantic_specification": lambda: requests.post(
            search, data={"semantic_specification": deep}, timeout=60
        ),
        "deep JSON body": lambda: requests.post(
            f"{url}/api/compat/v1/auth/login_by_token",
            data=deep,
            headers={"Content-Type": "application/json"},
            timeout=60,
        ),
    }
    problems = []
    for what, send in cases.items():
        response = send()
        if response.status_code >= 500 or response.json().get("code") in (None, 0):
            problems.append(f"{what}: {response.status_code} {response.text[:200]}")
    return problems
