"""The specification world's admin API and its triggers, without a worker: who may
call it, its 4xx answers, which learnwares are eligible, retraining after N
approvals. Trainings are queued on commit, which the test transaction never does;
tests/market/test_world.py runs them on a real worker."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from accounts.models import User
from market.models import LearnwareVersion, WorldEngineVersion
from market.world import tasks
from tests.market.conftest import (
    client_for,
    post_package,
    publish_unchecked,
    table_package,
    table_spec,
)

pytestmark = pytest.mark.django_db

TRAIN = "/api/admin/world/versions/"
PROJECTION = "/api/admin/world/projection/"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _table(
    owner: Client,
    staff: Client,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
    columns: list[str],
    seed: int,
) -> int:
    X = np.random.default_rng(seed).normal(size=(60, len(columns)))
    spec = table_spec(semantic_spec, f"table learnware {seed}", columns)
    return publish_unchecked(owner, staff, table_package(package_bytes, X), spec)


def test_only_admins_may_train_activate_or_look_at_the_world(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    _table(
        client_for(user), client_for(reviewer), package_bytes, semantic_spec, ["a"], 1
    )

    for persona in (user, reviewer):
        client = client_for(persona)
        assert client.post(TRAIN).status_code == 403
        assert client.get(TRAIN).status_code == 403
        assert client.get(PROJECTION).status_code == 403
        activate = client.post(f"{TRAIN}w-000000000000/activate/")
        assert activate.status_code == 403
    assert Client().post(TRAIN).status_code == 401
    assert not WorldEngineVersion.objects.exists()


def test_training_takes_the_listed_table_learnwares_with_column_descriptions(
    user: User,
    reviewer: User,
    admin: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    owner, staff = client_for(user), client_for(reviewer)
    eligible = [
        _table(owner, staff, package_bytes, semantic_spec, ["age", "income"], 1),
        _table(owner, staff, package_bytes, semantic_spec, ["x", "y", "z"], 2),
    ]
    undescribed = table_spec(semantic_spec, "no descriptions", ["a", "b"])
    undescribed["Input"]["Description"] = {}
    X = np.random.default_rng(3).normal(size=(60, 2))
    publish_unchecked(owner, staff, table_package(package_bytes, X), undescribed)
    awaiting = post_package(  # not listed: not in the world
        owner,
        table_package(package_bytes, X + 1),
        table_spec(semantic_spec, "awaiting review", ["p", "q"]),
    )
    assert awaiting.status_code == 201

    response = client_for(admin).post(TRAIN)

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "training"
    assert body["version"] is None
    assert body["candidate_count"] == 2
    assert body["trigger"] == "manual"
    assert body["triggered_by"]["id"] == admin.id
    assert body["task_id"]
    row = WorldEngineVersion.objects.get()
    live = LearnwareVersion.objects.filter(learnware_id__in=eligible)
    assert sorted(row.candidates) == sorted(live.values_list("id", flat=True))


def test_training_without_an_eligible_learnware_is_a_clear_400(
    admin: User,
) -> None:
    response = client_for(admin).post(TRAIN)

    assert response.status_code == 400
    assert "No eligible table learnware" in response.json()["message"]
    assert not WorldEngineVersion.objects.exists()


def test_only_one_training_at_a_time(
    user: User,
    reviewer: User,
    admin: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    _table(
        client_for(user), client_for(reviewer), package_bytes, semantic_spec, ["a"], 1
    )
    root = client_for(admin)

    first, second = root.post(TRAIN), root.post(TRAIN)

    assert first.status_code == 202
    assert second.status_code == 409
    assert "already running" in second.json()["message"]
    assert WorldEngineVersion.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():  # the database agrees
        WorldEngineVersion.objects.create(state="regenerating")


def test_at_most_one_version_is_active() -> None:
    WorldEngineVersion.objects.create(version="w-aaaaaaaaaaaa", state="active")

    with pytest.raises(IntegrityError), transaction.atomic():
        WorldEngineVersion.objects.create(version="w-bbbbbbbbbbbb", state="active")


def test_unknown_unready_and_missing_versions_are_clear_4xx(admin: User) -> None:
    root = client_for(admin)
    WorldEngineVersion.objects.create(
        version="w-failed000000", state="failed", error="boom"
    )

    unknown = root.post(f"{TRAIN}w-000000000000/activate/")
    failed = root.post(f"{TRAIN}w-failed000000/activate/")
    no_active = root.get(PROJECTION)
    failed_projection = root.get(PROJECTION, {"version": "w-failed000000"})
    unknown_projection = root.get(PROJECTION, {"version": "w-000000000000"})

    assert unknown.status_code == 404
    assert "w-000000000000" in unknown.json()["message"]
    assert failed.status_code == 409
    assert failed.json()["extra"] == {"state": "failed"}
    assert no_active.status_code == 404
    assert "No engine version is active" in no_active.json()["message"]
    assert failed_projection.status_code == 409
    assert unknown_projection.status_code == 404
    listed = root.get(TRAIN).json()["results"]
    assert [(v["version"], v["state"], v["error"]) for v in listed] == [
        ("w-failed000000", "failed", "boom")
    ]


def test_retraining_is_queued_after_n_table_approvals(
    settings: Any,
    user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    settings.BMW_WORLD_RETRAIN_EVERY = 3
    owner, staff = client_for(user), client_for(reviewer)

    _table(owner, staff, package_bytes, semantic_spec, ["a", "b"], 1)
    _table(owner, staff, package_bytes, semantic_spec, ["c", "d", "e"], 2)
    undescribed = table_spec(semantic_spec, "no descriptions", ["f"])
    undescribed["Input"]["Description"] = {}
    X = np.random.default_rng(3).normal(size=(60, 1))
    publish_unchecked(owner, staff, table_package(package_bytes, X), undescribed)
    assert not WorldEngineVersion.objects.exists()  # 2 eligible approvals so far

    _table(owner, staff, package_bytes, semantic_spec, ["g", "h"], 4)
    queued = WorldEngineVersion.objects.get()
    _table(owner, staff, package_bytes, semantic_spec, ["i", "j"], 5)

    assert queued.trigger == "approvals"
    assert queued.state == "training"
    assert queued.triggered_by is None
    assert len(queued.candidates) == 3
    assert WorldEngineVersion.objects.count() == 1  # one training at a time


def test_daily_retraining_runs_only_when_the_eligible_learnwares_changed(
    settings: Any,
    user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    owner, staff = client_for(user), client_for(reviewer)
    schedule = settings.CELERY_BEAT_SCHEDULE["market.world_engine_retrain_scheduled"]
    assert schedule["schedule"] == 24 * 60 * 60  # daily, on beat
    assert tasks.world_engine_retrain_scheduled() is None  # nothing to train on
    _table(owner, staff, package_bytes, semantic_spec, ["a", "b"], 1)

    first = tasks.world_engine_retrain_scheduled()
    assert first is not None
    WorldEngineVersion.objects.filter(id=first).update(
        state="active", version="w-aaaaaaaaaaaa"
    )
    unchanged = tasks.world_engine_retrain_scheduled()
    _table(owner, staff, package_bytes, semantic_spec, ["c", "d", "e"], 2)
    changed = tasks.world_engine_retrain_scheduled()

    assert WorldEngineVersion.objects.get(id=first).trigger == "schedule"
    assert unchanged is None
    assert changed is not None
    assert len(WorldEngineVersion.objects.get(id=changed).candidates) == 2
