"""The admin console's API: the audit log, learnware management, dashboard figures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry, User
from market import services
from market.models import Learnware, LearnwareVersion, UsageDay
from tests.market.conftest import client_for, mark_checked, post_package, rezip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client: Client, package: bytes, spec: dict[str, Any]) -> LearnwareVersion:
    """Upload through the API and mark the version checked (what the worker does)."""
    response = post_package(client, package, spec)
    assert response.status_code == 201, response.content
    return mark_checked(response.json()["id"])


def _review(client: Client, version: LearnwareVersion, **body: str) -> None:
    response = client.post(
        f"/api/versions/{version.id}/review/", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content


def test_reviews_user_changes_and_deletions_are_in_the_audit_log(
    user: User,
    other_user: User,
    reviewer: User,
    admin: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    owner, staff, root = client_for(user), client_for(reviewer), client_for(admin)
    first = _upload(owner, package_bytes, semantic_spec)
    second = _upload(owner, rezip(package_bytes, extra={"x": b"1"}), semantic_spec)
    _review(staff, first, decision="approve")
    _review(staff, second, decision="reject", reason="no documentation")
    role = root.post(
        f"/api/users/{other_user.id}/role/",
        {"role": "reviewer"},
        content_type="application/json",
    )
    assert role.status_code == 200, role.content
    assert root.post(f"/api/users/{other_user.id}/deactivate/").status_code == 200
    assert owner.delete(f"/api/learnwares/{second.learnware_id}/").status_code == 204

    log = root.get("/api/admin/audit/")

    assert log.status_code == 200
    entries = log.json()["results"]
    assert [(e["actor"]["email"], e["action"], e["target_label"]) for e in entries] == [
        (user.email, "learnware.delete", semantic_spec["Name"]["Values"]),
        (admin.email, "user.deactivate", other_user.email),
        (admin.email, "user.role", other_user.email),
        (reviewer.email, "learnware.reject", semantic_spec["Name"]["Values"]),
        (reviewer.email, "learnware.approve", semantic_spec["Name"]["Values"]),
    ]
    assert entries[2]["detail"] == {"from": "user", "to": "reviewer"}
    assert entries[3]["detail"] == {"version": 1, "reason": "no documentation"}
    rejected = root.get("/api/admin/audit/", {"action": "learnware.reject"}).json()
    assert [e["target_id"] for e in rejected["results"]] == [second.learnware_id]
    by_target = root.get(
        "/api/admin/audit/", {"target_type": "user", "target_id": str(other_user.id)}
    ).json()
    assert by_target["count"] == 2


def test_audit_log_is_for_admins_and_rejects_bad_filters(
    reviewer: User, admin: User
) -> None:
    assert client_for(reviewer).get("/api/admin/audit/").status_code == 403
    assert Client().get("/api/admin/audit/").status_code in (401, 403)

    bad = client_for(admin).get("/api/admin/audit/", {"action": "steal"})

    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]) == {"action"}


def test_a_failed_review_writes_no_audit_entry(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    version = _upload(client_for(user), package_bytes, semantic_spec)
    no_reason = client_for(reviewer).post(
        f"/api/versions/{version.id}/review/",
        {"decision": "reject"},
        content_type="application/json",
    )
    assert no_reason.status_code == 400
    assert not AuditEntry.objects.exists()


def test_admin_learnware_list_shows_every_status_with_filters(
    user: User,
    other_user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    staff = client_for(reviewer)
    listed = _upload(client_for(user), package_bytes, semantic_spec)
    _review(staff, listed, decision="approve")
    spec = {**semantic_spec, "Name": {"Type": "String", "Values": "Bob's pending one"}}
    pending = _upload(
        client_for(other_user), rezip(package_bytes, extra={"b": b""}), spec
    )

    def ids(**params: Any) -> list[int]:
        response = staff.get("/api/admin/learnwares/", params)
        assert response.status_code == 200, response.content
        return [lw["id"] for lw in response.json()["results"]]

    assert ids() == [pending.learnware_id, listed.learnware_id]
    assert ids(status="awaiting_review") == [pending.learnware_id]
    assert ids(status="approved") == [listed.learnware_id]
    assert ids(state="in_progress") == [pending.learnware_id]
    assert ids(state="live") == [listed.learnware_id]
    assert ids(state="attention") == []
    assert ids(q="bob@") == [pending.learnware_id]
    assert ids(q="PENDING") == [pending.learnware_id]
    assert ids(owner=user.id) == [listed.learnware_id]
    assert ids(data_type="Image") == []
    first = staff.get("/api/admin/learnwares/").json()["results"][0]
    assert first["latest_version"] == {
        "id": pending.id,
        "number": 1,
        "status": "awaiting_review",
    }
    assert client_for(user).get("/api/admin/learnwares/").status_code == 403
    bad = staff.get("/api/admin/learnwares/", {"status": "lost"})
    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]) == {"status"}


def test_stats_count_listings_reviews_searches_and_downloads_by_day(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    staff = client_for(reviewer)
    old = _upload(client_for(user), package_bytes, semantic_spec)
    _review(staff, old, decision="approve")
    ten_days_ago = timezone.now() - timedelta(days=10)
    LearnwareVersion.objects.filter(id=old.id).update(
        created_at=ten_days_ago, reviewed_at=ten_days_ago
    )
    today = _upload(
        client_for(user), rezip(package_bytes, extra={"n": b""}), semantic_spec
    )
    _review(staff, today, decision="reject", reason="duplicate")
    Client().get(f"/api/learnwares/{old.learnware_id}/download/")
    for _ in range(3):
        searched = Client().post(
            "/api/learnwares/search/",
            {"data_type": "Table"},
            content_type="application/json",
        )
        assert searched.status_code == 200, searched.content

    response = staff.get("/api/admin/stats/", {"days": 14})

    assert response.status_code == 200, response.content
    stats = response.json()
    assert stats["totals"] == {
        "learnwares": 1,
        "users": 2,
        "awaiting_review": 0,
        "downloads": 1,
        "searches": 3,
    }
    assert stats["by_type"] == {"Table": 1, "Image": 0, "Text": 0}
    assert stats["by_status"]["approved"] == stats["by_status"]["rejected"] == 1
    days = stats["daily"]
    assert len(days) == 14
    assert days[-1]["date"] == timezone.now().date().isoformat()
    assert (days[-1]["submitted"], days[-1]["rejected"]) == (1, 1)
    assert (days[-1]["searches"], days[-1]["downloads"]) == (3, 1)
    assert days[-11]["submitted"] == 1
    assert sum(d["approved"] for d in days) == 1  # the review log's date is today
    listed = [d["listed"]["Table"] for d in days]
    assert listed == [0] * 3 + [1] * 11  # listed since its approval ten days ago
    short = staff.get("/api/admin/stats/", {"days": 7}).json()
    assert [d["listed"]["Table"] for d in short["daily"]] == [1] * 7  # carried in
    assert staff.get("/api/admin/stats/", {"days": 2}).status_code == 400
    assert client_for(user).get("/api/admin/stats/").status_code == 403


def test_usage_counter_adds_to_the_day_row() -> None:
    for _ in range(3):
        services.usage_count(kind=UsageDay.Kind.DOWNLOAD)
    services.usage_count(kind=UsageDay.Kind.SEARCH)

    rows = dict(UsageDay.objects.values_list("kind", "count"))

    assert rows == {"download": 3, "search": 1}
    assert UsageDay.objects.get(kind="search").day == timezone.now().date()
    assert Learnware.objects.count() == 0


def test_my_learnwares_filter_by_state_on_the_server(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    owner, staff = client_for(user), client_for(reviewer)
    listed = _upload(owner, package_bytes, semantic_spec)
    _review(staff, listed, decision="approve")
    rejected = _upload(owner, rezip(package_bytes, extra={"r": b""}), semantic_spec)
    _review(staff, rejected, decision="reject", reason="no documentation")
    waiting = _upload(owner, rezip(package_bytes, extra={"w": b""}), semantic_spec)

    def ids(**params: Any) -> list[int]:
        response = owner.get("/api/learnwares/mine/", params)
        assert response.status_code == 200, response.content
        return [lw["id"] for lw in response.json()["results"]]

    assert ids() == [waiting.learnware_id, rejected.learnware_id, listed.learnware_id]
    assert ids(state="live") == [listed.learnware_id]
    assert ids(state="in_progress") == [waiting.learnware_id]
    assert ids(state="attention") == [rejected.learnware_id]
    bad = owner.get("/api/learnwares/mine/", {"state": "gone"})
    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]) == {"state"}
