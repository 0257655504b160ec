"""Hosted inference through the API, run by a real worker in the checks' sandbox."""

from __future__ import annotations

import io
import json
import pickle
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from tests.conftest import REPO
from tests.market.conftest import client_for, publish, rezip

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Behaves unless the first value of the first row asks it to misbehave; the checks
# (inputs drawn from its RKME) see a well-behaved classifier.
HOSTILE_MODEL = f"""
import os, pickle, socket
import numpy as np
from learnware.model import BaseModel

class Model(BaseModel):
    def __init__(self):
        super().__init__(input_shape=(6,), output_shape=(3,))
        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, "model.pkl"), "rb") as f:
            self.model = pickle.load(f)

    def predict(self, X):
        X = np.asarray(X, dtype=np.float32)
        if X[0, 0] == 1001:
            socket.create_connection(("127.0.0.1", 5432), timeout=2)
        if X[0, 0] == 1002:
            open({str(REPO / "bmw" / "settings" / "base.py")!r}).read()
        if X[0, 0] == 1003:
            while True:
                pass
        return self.model.predict_proba(X)
""".encode()


@pytest.fixture(autouse=True)
def _shared_media(settings: Any, celery_worker_process: dict[str, Any]) -> None:
    """The web side stores inputs where the worker reads them."""
    settings.MEDIA_ROOT = celery_worker_process["BMW_MEDIA_ROOT"]
    cache.clear()  # throttle counters


def _csv(X: np.ndarray, *, header: bool = True) -> bytes:
    lines = [",".join(f"f{j}" for j in range(X.shape[1]))] if header else []
    lines += [",".join(repr(float(v)) for v in row) for row in X]
    return ("\n".join(lines) + "\n").encode()


def _predict(
    client: Client, learnware_id: int, content: bytes, name: str = "x.csv"
) -> Any:
    return client.post(
        f"/api/learnwares/{learnware_id}/predict/",
        {"file": SimpleUploadedFile(name, content)},
    )


def _official_proba(package: bytes, X: np.ndarray) -> np.ndarray:
    """What the official model answers, computed here without the dock."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        model = pickle.loads(archive.read("model.pkl"))  # the test's own fixture
    return np.asarray(model.predict_proba(X.astype(np.float32)))


def _inputs_left(env: dict[str, Any]) -> list[Path]:
    folder = Path(env["BMW_MEDIA_ROOT"]) / "inference"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def official(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> int:
    return publish(client_for(user), client_for(reviewer), package_bytes, semantic_spec)


def test_good_csv_gives_one_prediction_per_row_and_the_input_is_deleted(
    celery_worker_process: dict[str, Any],
    official: int,
    other_user: User,
    package_bytes: bytes,
) -> None:
    X = np.random.default_rng(0).normal(size=(7, 6))

    response = _predict(client_for(other_user), official, _csv(X))

    assert response.status_code == 200, response.content
    body = response.json()
    expected = _official_proba(package_bytes, X)
    assert body["learnware_ids"] == [official]
    assert body["reuser"] is None
    assert body["n_rows"] == 7
    assert body["predictions"] == np.argmax(expected, axis=1).tolist()
    np.testing.assert_allclose(body["probabilities"], expected, rtol=1e-5)
    assert set(body["timing"]) == {"start_s", "predict_s", "total_s"}
    assert 0 < body["timing"]["predict_s"] < body["timing"]["total_s"]
    assert _inputs_left(celery_worker_process) == []


def test_a_callers_learnware_stays_warm_and_is_never_shared(
    official: int, user: User, other_user: User, package_bytes: bytes
) -> None:
    X = np.random.default_rng(1).normal(size=(3, 6))
    expected = np.argmax(_official_proba(package_bytes, X), axis=1).tolist()

    def start_s(client: Client) -> float:
        response = _predict(client, official, _csv(X))
        assert response.status_code == 200, response.content
        assert response.json()["predictions"] == expected
        return float(response.json()["timing"]["start_s"])

    cold = start_s(client_for(other_user))
    warm = start_s(client_for(other_user))
    other_callers = start_s(client_for(user))

    # The second request reuses the started sandbox (no unpacking, interpreter or
    # model load); another user's request starts its own.
    assert warm < cold / 2, (cold, warm)
    assert other_callers > 2 * warm, (other_callers, warm)


def test_no_free_inference_worker_is_a_503_that_does_not_blame_the_input(
    settings: Any,
    celery_worker_process: dict[str, Any],
    official: int,
    other_user: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bmw import jobs

    # The job goes to a queue no worker serves: as if every inference worker were
    # busy, or none were running.
    send = jobs.send_task
    monkeypatch.setattr(
        jobs,
        "send_task",
        lambda name, args=(), **options: send(name, args, queue="nobody-home"),
    )
    settings.BMW_INFERENCE_START_TIMEOUT_S = 1.0
    started = time.monotonic()

    response = _predict(client_for(other_user), official, _csv(np.zeros((2, 6))))

    assert response.status_code == 503, response.content
    assert response["Retry-After"]
    message = response.json()["message"]
    assert "busy or unavailable" in message
    assert "input" not in message
    assert time.monotonic() - started < settings.BMW_INFERENCE_TIMEOUT_S / 2
    assert _inputs_left(celery_worker_process) == []


def test_malformed_or_oversized_input_is_refused_before_the_worker(
    settings: Any, official: int, other_user: User
) -> None:
    client = client_for(other_user)
    good = np.ones((3, 6))
    cases = [
        (
            b"a,b,c,d,e,f\n1,2,3,4,5\n",
            "x.csv",
            400,
            "line 2 has 5 columns; the learnware expects 6",
        ),
        (
            b"1,2,3,4,5,6\n1,2,abc,4,5,6\n",
            "x.csv",
            400,
            "line 2, column 3: 'abc' is not a finite number",
        ),
        (b"1,2,3,4,5,6\n1,2,,4,5,6\n", "x.csv", 400, "line 2, column 3: '(empty)'"),
        (b"a,b,c,d,e,f\n", "x.csv", 400, "x.csv: no data rows"),
        (b"\xff\xfe\x00", "x.csv", 400, "not UTF-8 text"),
        (_csv(good), "x.json", 400, "a table learnware takes a .csv or .tsv file"),
    ]
    for content, name, code, message in cases:
        response = _predict(client, official, content, name)
        assert response.status_code == code, (content, response.content)
        assert message in response.json()["message"], response.json()
        assert response.json()["extra"]["fields"]["file"]

    settings.BMW_INFERENCE_MAX_ROWS = 2
    too_many = _predict(client, official, _csv(good))
    assert too_many.status_code == 413
    assert "more than 2 rows (3)" in too_many.json()["message"]

    settings.BMW_INFERENCE_MAX_BYTES = 100
    too_big = _predict(client, official, _csv(np.ones((20, 6))))
    assert too_big.status_code == 413
    assert "over the limit of 100 bytes" in too_big.json()["message"]


def test_hostile_learnware_is_contained_and_the_worker_survives(
    settings: Any,
    celery_worker_process: dict[str, Any],
    user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    settings.BMW_INFERENCE_TIME_LIMIT_S = 4.0
    learnware_id = publish(
        client_for(user),
        client_for(reviewer),
        rezip(package_bytes, replace={"__init__.py": HOSTILE_MODEL}),
        semantic_spec,
    )
    client = client_for(user)
    X = np.zeros((2, 6))

    def attempt(first: float) -> Any:
        X[0, 0] = first
        return _predict(client, learnware_id, _csv(X))

    network = attempt(1001)
    assert network.status_code == 422, network.content
    # the sandbox has its own empty loopback: the host's PostgreSQL is unreachable
    assert "Connection refused" in network.json()["message"]
    assert "Traceback" in network.json()["extra"]["detail"]

    outside = attempt(1002)
    assert outside.status_code == 422, outside.content
    assert "No such file or directory" in outside.json()["message"]

    started = time.monotonic()
    forever = attempt(1003)
    assert forever.status_code == 422, forever.content
    assert "no answer within 4.0 s" in forever.json()["message"]
    assert time.monotonic() - started < 30

    healthy = attempt(0.5)
    assert healthy.status_code == 200, healthy.content
    assert len(healthy.json()["predictions"]) == 2
    assert _inputs_left(celery_worker_process) == []


def test_unapproved_deleted_or_unknown_learnwares_are_not_found(
    official: int,
    user: User,
    other_user: User,
    admin: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    owner = client_for(user)
    pending = owner.post(
        "/api/learnwares/",
        {
            "semantic_spec": json.dumps(semantic_spec),
            "package": SimpleUploadedFile(
                "lw.zip", rezip(package_bytes, extra={"a": b"1"})
            ),
        },
    ).json()["id"]
    row = _csv(np.zeros((1, 6)))

    for client in (owner, client_for(other_user), client_for(admin)):
        response = _predict(client, pending, row)
        assert response.status_code == 404, response.content
        assert "no approved version" in response.json()["message"] or (
            "not found" in response.json()["message"]
        )
    assert _predict(client_for(other_user), 987654, row).status_code == 404
    assert Client().post(f"/api/learnwares/{official}/predict/").status_code == 401

    assert owner.delete(f"/api/learnwares/{official}/").status_code == 204
    assert _predict(client_for(other_user), official, row).status_code == 404


def test_multiple_result_with_averaging_and_job_selector(
    official: int,
    user: User,
    reviewer: User,
    other_user: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    twin_package = rezip(package_bytes, extra={"README.md": b"twin"})
    twin = publish(client_for(user), client_for(reviewer), twin_package, semantic_spec)
    X = np.random.default_rng(1).normal(size=(5, 6))
    expected = _official_proba(package_bytes, X)
    client = client_for(other_user)

    for reuser in ("averaging", "job_selector"):
        response = client.post(
            "/api/predict/",
            {
                "learnware_ids": [official, twin],
                "weights": [0.7, 0.3],
                "reuser": reuser,
                "file": SimpleUploadedFile("x.csv", _csv(X)),
            },
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["learnware_ids"] == [official, twin]
        assert body["reuser"] == reuser
        # both learnwares are the same model: any combination gives its answer
        assert body["predictions"] == np.argmax(expected, axis=1).tolist()
        np.testing.assert_allclose(body["probabilities"], expected, rtol=1e-5)

    bad_weights = client.post(
        "/api/predict/",
        {
            "learnware_ids": [official, twin],
            "weights": [1.0],
            "file": SimpleUploadedFile("x.csv", _csv(X)),
        },
    )
    assert bad_weights.status_code == 400
    assert "weights: one per learnware" in bad_weights.json()["message"]


def test_inference_is_throttled(settings: Any, other_user: User) -> None:
    from rest_framework.throttling import ScopedRateThrottle

    rates = {**ScopedRateThrottle.THROTTLE_RATES, "inference": "2/minute"}
    client = client_for(other_user)
    row = _csv(np.zeros((1, 6)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
        codes = [_predict(client, 987654, row).status_code for _ in range(3)]
    assert codes == [404, 404, 429]
