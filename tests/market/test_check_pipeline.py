"""Uploads are checked by a real Celery worker (PostgreSQL + Redis), in the sandbox."""

from __future__ import annotations

import json
import os
import pickle
import signal
import time
from typing import Any

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from accounts.models import User
from accounts.services import api_token_create
from market.models import LearnwareVersion
from tests.conftest import (
    database_url,
    free_port,
    process_env,
    start_beat,
    start_web,
    start_worker,
)
from tests.market.conftest import FINAL, client_for, rezip, upload_and_wait

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _shared_media(settings: Any, celery_worker_process: dict[str, Any]) -> None:
    """The web side stores packages where the worker reads them."""
    settings.MEDIA_ROOT = celery_worker_process["BMW_MEDIA_ROOT"]


def test_official_learnware_passes_every_check_then_reviewer_approves(
    celery_worker_process: dict[str, Any],
    user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    version = upload_and_wait(client_for(user), package_bytes, semantic_spec)

    assert version["status"] == "awaiting_review", version
    steps = {s["name"]: s for s in version["check_steps"]}
    assert list(steps) == [
        "format",
        "pickle_scan",
        "semantic",
        "statistical",
        "environment",
        "model_loads",
        "model_predicts",
        "sensitive_words",
    ]
    assert all(s["status"] == "passed" for s in steps.values()), steps
    assert all(s["duration_s"] is not None for s in steps.values())
    # The reviewer's queue shows what the pickle imports (rated, nothing dangerous).
    queue = client_for(reviewer).get("/api/reviews/").json()["results"]
    (item,) = [i for i in queue if i["id"] == version["id"]]
    (scan_step,) = [s for s in item["check_steps"] if s["name"] == "pickle_scan"]
    scan = scan_step["details"]["pickle_scan"]
    assert scan["files"] == [{"file": "model.pkl", "format": "pickle", "error": ""}]
    assert {
        "file": "model.pkl",
        "module": "sklearn.linear_model._logistic",
        "name": "LogisticRegression",
        "severity": "suspicious",
    } in scan["findings"]
    assert all(f["severity"] != "dangerous" for f in scan["findings"])
    assert steps["format"]["details"] == {"pickle_scan": None}
    approved = client_for(reviewer).post(
        f"/api/versions/{version['id']}/review/",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert approved.status_code == 200
    listed = Client().get("/api/learnwares/").json()
    assert [lw["id"] for lw in listed["results"]] == [version["learnware_id"]]


@pytest.mark.parametrize(
    ("model_code", "step", "reason"),
    [
        (
            b"from learnware.model import BaseModel\n"
            b"class Model(BaseModel):\n"
            b"    def __init__(self):\n"
            b"        super().__init__(input_shape=(6,), output_shape=(3,))\n"
            b"    def predict(self, X):\n"
            b"        raise RuntimeError('predict is broken')\n",
            "model_predicts",
            "predict is broken",
        ),
        (
            b"import socket\n"
            b"from learnware.model import BaseModel\n"
            b"class Model(BaseModel):\n"
            b"    def __init__(self):\n"
            b"        super().__init__(input_shape=(6,), output_shape=(3,))\n"
            b"        socket.create_connection(('127.0.0.1', 5432), timeout=2)\n"
            b"    def predict(self, X):\n"
            b"        return X\n",
            "model_loads",
            "Connection refused",  # its own empty loopback: the host is out of reach
        ),
    ],
    ids=["predict-raises", "opens-network-connection"],
)
def test_failing_learnware_reports_the_step_and_reason(
    celery_worker_process: dict[str, Any],
    user: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
    model_code: bytes,
    step: str,
    reason: str,
) -> None:
    package = rezip(package_bytes, replace={"__init__.py": model_code})

    version = upload_and_wait(client_for(user), package, semantic_spec)

    assert version["status"] == "check_failed"
    failed = [s for s in version["check_steps"] if s["status"] == "failed"]
    assert [s["name"] for s in failed] == [step]
    assert reason in failed[0]["message"] + failed[0]["log"]
    assert version["failure_reason"].startswith(f"{step}: ")
    after = [
        s["status"]
        for s in version["check_steps"]
        if s["position"] > failed[0]["position"]
    ]
    assert set(after) <= {"skipped"}
    assert LearnwareVersion.objects.get(id=version["id"]).checked_at is not None


class _RunsCommand:
    """Pickles to a call of os.system; only ever written, never loaded."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, ("echo pwned",))


def test_pickle_calling_os_system_fails_the_scan_and_reviewers_see_the_global(
    celery_worker_process: dict[str, Any],
    user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    evil = pickle.dumps(_RunsCommand(), protocol=4)
    package = rezip(package_bytes, replace={"model.pkl": evil})

    version = upload_and_wait(client_for(user), package, semantic_spec)

    system = f"{os.system.__module__}.system"
    assert version["status"] == "check_failed"
    assert version["failure_reason"] == (
        f"pickle_scan: model.pkl: dangerous global {system}"
    )
    seen = client_for(reviewer).get(f"/api/versions/{version['id']}/").json()
    steps = {s["name"]: s for s in seen["check_steps"]}
    assert steps["pickle_scan"]["status"] == "failed"
    assert steps["pickle_scan"]["details"]["pickle_scan"]["findings"] == [
        {
            "file": "model.pkl",
            "module": os.system.__module__,
            "name": "system",
            "severity": "dangerous",
        }
    ]
    # The model was never loaded: every later step is skipped.
    assert {steps[n]["status"] for n in ("environment", "model_loads")} == {"skipped"}


def test_sensitive_word_in_a_package_file_fails_last_step(
    celery_worker_process: dict[str, Any],
    user: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    package = rezip(package_bytes, extra={"README.md": b"A handy keylogger."})

    version = upload_and_wait(client_for(user), package, semantic_spec)

    assert version["status"] == "check_failed"
    assert version["failure_reason"] == (
        "sensitive_words: README.md: contains a refused word: 'keylogger'"
    )


def test_sensitive_word_in_the_description_is_refused_at_upload(
    user: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    """The semantic spec's text is scanned at once (the step scans it again)."""
    spec = {
        **semantic_spec,
        "Description": {"Type": "String", "Values": "A handy keylogger."},
    }

    response = client_for(user).post(
        "/api/learnwares/",
        {
            "semantic_spec": json.dumps(spec),
            "package": SimpleUploadedFile("lw.zip", package_bytes),
        },
    )

    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {
        "semantic_spec": ["contains a refused word: 'keylogger'"]
    }
    assert not LearnwareVersion.objects.exists()


def test_check_killed_with_its_worker_is_taken_over_and_finishes(
    tmp_path: Any, user: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    """SIGKILL the worker mid-check: beat re-enqueues the stale claim, a second
    worker takes it over, and the version still reaches a final status."""
    slow_model = (
        b"import time\n"
        b"import numpy as np\n"
        b"from learnware.model import BaseModel\n"
        b"class Model(BaseModel):\n"
        b"    def __init__(self):\n"
        b"        super().__init__(input_shape=(6,), output_shape=(3,))\n"
        b"        time.sleep(6)\n"
        b"    def predict(self, X):\n"
        b"        return np.full((len(X), 3), 1 / 3)\n"
    )
    # A dock of its own (web, workers, beat on Redis db 9), so killing its worker
    # leaves the session's worker alone.
    env = process_env(
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL="redis://127.0.0.1:6379/9",
        BMW_STATE_DIR=str(tmp_path / "state"),
        BMW_MEDIA_ROOT=str(tmp_path / "media"),
        BMW_ENV_CACHE_DIR="/tmp/bmw-test-envs",
        BMW_CHECK_STALE_AFTER_S="12",  # > the slowest step (the 6 s model load)
        BMW_CHECK_REQUEUE_EVERY_S="1",
    )
    token = api_token_create(user=user, name="killer-test").token
    port = free_port()
    web = start_web(env, tmp_path / "web.log", port)
    doomed = start_worker(env, tmp_path / "doomed.log", "doomed@%h")
    rescuer = beat = None
    try:
        response = requests.post(
            f"http://127.0.0.1:{port}/api/learnwares/",
            headers={"Authorization": f"Bearer {token}"},
            data={"semantic_spec": json.dumps(semantic_spec)},
            files={
                "package": (
                    "slow.zip",
                    rezip(package_bytes, replace={"__init__.py": slow_model}),
                )
            },
            timeout=30,
        )
        assert response.status_code == 201, response.text
        version = LearnwareVersion.objects.get(id=response.json()["version"]["id"])
        _wait_for(version, {"checking"}, timeout=60)
        time.sleep(1.0)  # the model is loading (it sleeps 6 s)
        doomed.popen.send_signal(signal.SIGKILL)
        doomed.popen.wait()
        version.refresh_from_db()
        assert version.status == "checking"  # the dead worker's claim is left behind

        rescuer = start_worker(env, tmp_path / "rescuer.log", "rescuer@%h")
        beat = start_beat(env, tmp_path / "beat.log")
        _wait_for(version, FINAL, timeout=120)
    finally:
        for process in (beat, rescuer, doomed, web):
            if process is not None:
                process.stop()
    assert version.status == "awaiting_review", version.failure_reason
    assert version.check_attempts == 2
    assert version.check_steps.filter(status="passed").count() == 8


def _wait_for(version: LearnwareVersion, statuses: set[str], *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if version.status in statuses:
            return
        time.sleep(0.3)
    pytest.fail(f"version stayed {version.status!r}, expected one of {statuses}")
