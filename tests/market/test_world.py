"""The specification world end to end: engine versions trained on table learnwares
of different feature spaces, activated atomically, rolled back, and heterogeneous
search through the HTTP API (ours and the original client's) on a real search
worker. Engines are tiny (bmw/settings/test.py) so a training takes seconds."""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import AuditEntry, User
from learnware_core.search.world_confidence import world_confidence
from learnware_core.specification.base import load_spec
from learnware_core.specification.rkme import RKMETableSpecification
from learnware_core.specworld import WorldEngine
from market import world
from market.models import Learnware, SystemSpec, WorldEngineVersion
from tests.market.conftest import (
    client_for,
    publish_unchecked,
    table_package,
    table_spec,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

VERSIONS = "/api/admin/world/versions/"
# Three feature spaces: (columns, mean of the data).
SPACES = {
    "patients": (["age in years", "body weight in kg", "height in cm"], 0.0),
    "weather": (
        ["temperature", "relative humidity", "wind speed", "air pressure", "rainfall"],
        3.0,
    ),
    "loans": (["loan amount", "annual income"], -2.0),
}
# Columns no learnware has: no island fits, so search goes through the world (a
# user with most of the weather island's columns is searched on that island).
USER_COLUMNS = ["shoe size", "hours of sleep", "commute in km", "number of pets"]


@pytest.fixture(autouse=True)
def _shared_media(settings: Any, celery_worker_process: dict[str, Any]) -> None:
    settings.MEDIA_ROOT = celery_worker_process["BMW_MEDIA_ROOT"]
    settings.BMW_SEARCH_TIMEOUT_S = 90  # the worker may still be warming up


def _data(columns: list[str], mean: float, seed: int, n: int = 80) -> np.ndarray:
    return np.random.default_rng(seed).normal(loc=mean, size=(n, len(columns)))


def _describe(columns: list[str]) -> dict[str, Any]:
    return {
        "Dimension": len(columns),
        "Description": {str(i): c for i, c in enumerate(columns)},
    }


@pytest.fixture
def owner(user: User) -> Client:
    return client_for(user)


@pytest.fixture
def staff(reviewer: User) -> Client:
    return client_for(reviewer)


@pytest.fixture
def market(
    owner: Client, staff: Client, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> dict[str, int]:
    """One listed table learnware per feature space of SPACES."""
    ids = {}
    for seed, (name, (columns, mean)) in enumerate(SPACES.items()):
        package = table_package(package_bytes, _data(columns, mean, seed))
        ids[name] = publish_unchecked(
            owner, staff, package, table_spec(semantic_spec, name, columns)
        )
    return ids


def _user_spec(columns: list[str], mean: float, seed: int = 99) -> dict[str, Any]:
    X = _data(columns, mean, seed)
    return RKMETableSpecification(n_points=10, random_state=0).fit(X).to_dict()


def _search(client: Client, stat: dict[str, Any], **fields: Any) -> Any:
    body: dict[str, Any] = {
        "stat_spec": SimpleUploadedFile("stat.json", json.dumps(stat).encode())
    }
    for key, value in fields.items():
        body[key] = json.dumps(value) if isinstance(value, dict) else value
    return client.post("/api/learnwares/search/", body)


def _wait(predicate: Any, what: str, timeout: float = 180) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.3)
    pytest.fail(f"{what}: not within {timeout} s")


def _stored_engine(version: str) -> WorldEngine:
    row = WorldEngineVersion.objects.get(version=version)
    with row.engine_file.open("rb") as fh:
        return WorldEngine.from_bytes(fh.read())


def test_admin_trains_a_version_on_a_worker_and_it_becomes_active(
    market: dict[str, int], admin: User
) -> None:
    root = client_for(admin)

    queued = root.post(VERSIONS)

    assert queued.status_code == 202, queued.content
    row_id = queued.json()["id"]

    def finished() -> dict[str, Any] | None:
        rows = {v["id"]: v for v in root.get(VERSIONS).json()["results"]}
        row = rows[row_id]
        return row if row["state"] in ("active", "failed") else None

    row = _wait(finished, "training on the worker")
    assert row["state"] == "active", row["error"]
    assert row["version"].startswith("w-")
    assert row["learnware_count"] == 3
    assert row["metrics"]["tables"] == 3
    assert {"loss_first_epoch", "loss_last_epoch", "view_match_top1"} <= set(
        row["metrics"]
    )
    assert row["config"]["train"]["epochs"] == 2  # the tiny test configuration
    assert row["activated_at"] is not None
    (audited,) = AuditEntry.objects.filter(action="world.train")
    assert audited.actor == admin
    assert audited.target_id == row_id
    specs = SystemSpec.objects.filter(engine_id=row_id)
    assert specs.count() == 3

    projection = root.get("/api/admin/world/projection/").json()

    assert projection["engine_version"] == row["version"]
    points = {p["learnware_id"]: p for p in projection["points"]}
    assert set(points) == set(market.values())
    islands = {i["key"]: i for i in projection["islands"]}
    assert len(islands) == 3  # three feature spaces
    weather = islands[points[market["weather"]]["island"]]
    assert weather["dimension"] == 5
    assert weather["label"].startswith("5 columns: temperature, relative humidity")
    assert len({(p["x"], p["y"]) for p in points.values()}) == 3
    assert sum(projection["explained_variance"]) == pytest.approx(1.0)


def test_search_in_an_unknown_feature_space_goes_through_the_world(
    market: dict[str, int],
) -> None:
    version = world.train_engine_version().version
    assert version is not None
    user_stat = _user_spec(USER_COLUMNS, 3.0)

    response = _search(Client(), user_stat, input=_describe(USER_COLUMNS))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["heterogeneous"] is True
    assert body["engine_version"] == version
    # Exactly the ranking of MMD in the world: the user's RKME mapped by the
    # active engine, against each learnware's stored system spec.
    engine = _stored_engine(version)
    mapped = engine.system_spec(
        RKMETableSpecification.from_dict(user_stat),
        _describe(USER_COLUMNS)["Description"],
    )
    expected = sorted(
        (mapped.dist(load_spec(s.spec)), s.learnware_version.learnware_id)
        for s in SystemSpec.objects.select_related("learnware_version")
    )
    results = body["results"]
    assert [r["learnware"]["id"] for r in results] == [i for _, i in expected]
    assert [r["mmd2"] for r in results] == pytest.approx([m for m, _ in expected])
    # each result carries the world's calibrated confidence (also its score) and
    # says where it comes from
    confidences = [r["confidence"] for r in results]
    assert confidences == pytest.approx(
        world_confidence([m for m, _ in expected]).tolist()
    )
    assert all(0.0 < c < 1.0 for c in confidences)
    assert [r["score"] for r in results] == pytest.approx(confidences)
    assert all("specification world" in r["reason"] for r in results)
    assert {r["learnware"]["semantic_spec"]["Input"]["Dimension"] for r in results} == {
        2,
        3,
        5,
    }  # none has the user's 4 columns


def test_asking_for_the_world_finds_a_learnware_of_the_same_table_first(
    market: dict[str, int],
) -> None:
    world.train_engine_version()
    columns, _ = SPACES["loans"]
    live = Learnware.objects.get(id=market["loans"]).live_version
    assert live is not None
    with live.stat_spec_file.open("rb") as fh:
        stat = json.loads(fh.read())  # the learnware's own RKME, 2 columns

    homogeneous = _search(Client(), stat).json()
    hetero = _search(Client(), stat, input=_describe(columns), hetero="true").json()

    assert homogeneous["heterogeneous"] is False
    assert [r["learnware"]["id"] for r in homogeneous["results"]] == [market["loans"]]
    assert hetero["heterogeneous"] is True
    assert hetero["results"][0]["learnware"]["id"] == market["loans"]
    assert hetero["results"][0]["mmd2"] == pytest.approx(0.0, abs=1e-9)
    assert len(hetero["results"]) == 3


def test_hetero_search_needs_the_columns_and_an_active_engine(
    market: dict[str, int],
) -> None:
    user_stat = _user_spec(USER_COLUMNS, 3.0)

    before = _search(Client(), user_stat, input=_describe(USER_COLUMNS), hetero="true")
    world.train_engine_version()
    undescribed = _search(Client(), user_stat)
    wrong_dimension = _search(Client(), user_stat, input=_describe(["a", "b"]))

    assert before.status_code == 400
    assert "no specification-world engine is active" in before.json()["message"]
    assert undescribed.status_code == 200  # no learnware with 4 columns:
    assert undescribed.json()["no_match"] is True  # "describe your columns"
    assert "describe your columns" in undescribed.json()["reason"]
    assert wrong_dimension.status_code == 400
    assert "'Dimension' is 2" in wrong_dimension.json()["extra"]["fields"]["input"][0]


def test_original_client_search_reports_is_hetero(market: dict[str, int]) -> None:
    world.train_engine_version()
    semantic = {
        "Data": {"Type": "Class", "Values": ["Table"]},
        "Name": {"Values": ""},
        "Input": _describe(USER_COLUMNS),
    }

    response = Client().post(
        "/api/compat/v1/engine/search_learnware",
        {
            "semantic_specification": json.dumps(semantic),
            "statistical_specification": SimpleUploadedFile(
                "stat.json", json.dumps(_user_spec(USER_COLUMNS, 3.0)).encode()
            ),
        },
    )

    body = response.json()
    assert body["code"] == 0, body
    assert body["data"]["is_hetero"] is True
    found = {item["learnware_id"] for item in body["data"]["learnware_list_single"]}
    assert found == {f"{i:08d}" for i in market.values()}


def test_activation_is_atomic_and_an_older_version_can_be_rolled_back_to(
    market: dict[str, int],
    owner: Client,
    staff: Client,
    admin: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    user_stat, user_input = _user_spec(USER_COLUMNS, 3.0), _describe(USER_COLUMNS)

    def used_version() -> str:
        body = _search(Client(), user_stat, input=user_input).json()
        assert body["heterogeneous"] is True, body
        return str(body["engine_version"])

    first = world.train_engine_version()
    assert first.version is not None
    late_columns, late_mean = ["customer age", "monthly spend"], 1.0
    late = publish_unchecked(  # approved while `first` is active: spec generated
        owner,
        staff,
        table_package(package_bytes, _data(late_columns, late_mean, 7)),
        table_spec(semantic_spec, "late learnware", late_columns),
    )
    _wait(
        lambda: SystemSpec.objects.filter(
            engine=first, learnware_version__learnware_id=late
        ).exists(),
        "the system spec of a learnware approved under the active version",
    )
    seen_during_regeneration: list[tuple[str, str]] = []

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "regenerating" and done == 2:
            state = WorldEngineVersion.objects.exclude(id=first.id).get().state
            seen_during_regeneration.append((state, used_version()))

    second = world.train_engine_version(progress=progress)

    assert seen_during_regeneration == [("regenerating", first.version)]
    assert second.state == "active"
    assert second.version not in (None, first.version)
    first.refresh_from_db()
    assert first.state == "retired"
    assert used_version() == second.version

    newest = publish_unchecked(  # approved under `second`: `first` lacks its spec
        owner,
        staff,
        table_package(package_bytes, _data(["store size", "staff"], 5.0, 8)),
        table_spec(semantic_spec, "newest learnware", ["store size", "staff"]),
    )
    _wait(
        lambda: SystemSpec.objects.filter(
            engine=second, learnware_version__learnware_id=newest
        ).exists(),
        "the newest learnware's system spec under the active version",
    )
    rollback = client_for(admin).post(f"{VERSIONS}{first.version}/activate/")

    assert rollback.status_code == 202, rollback.content
    assert rollback.json()["activation_task_id"]
    _wait(
        lambda: WorldEngineVersion.objects.filter(id=first.id, state="active").exists(),
        "the rollback on the worker",
    )
    assert WorldEngineVersion.objects.get(id=second.id).state == "retired"
    assert SystemSpec.objects.filter(
        engine=first, learnware_version__learnware_id=newest
    ).exists()
    assert used_version() == first.version
    results = _search(Client(), user_stat, input=user_input).json()["results"]
    assert {market["weather"], late, newest} <= {r["learnware"]["id"] for r in results}

    again = client_for(admin).post(f"{VERSIONS}{second.version}/activate/")

    assert again.status_code == 200, again.content  # every spec exists: at once
    assert again.json()["state"] == "active"
    assert used_version() == second.version
    audited = AuditEntry.objects.filter(action="world.activate").order_by("id")
    assert [(e.actor, e.detail["engine"]) for e in audited] == [
        (admin, first.version),
        (admin, second.version),
    ]
