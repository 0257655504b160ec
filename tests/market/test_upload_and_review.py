"""Upload (synchronous validation), versions, review, visibility, downloads."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from market import services
from market.models import Learnware, LearnwareVersion, Notification, ReviewDecision
from tests.market.conftest import mark_checked, post_package, rezip

pytestmark = pytest.mark.django_db
Status = LearnwareVersion.Status


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_learnware_create_stores_package_and_queues_checks_after_commit(
    user: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_package(_client(user), package_bytes, semantic_spec)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "demo table classifier"
    assert body["live_version"] is None
    assert body["version"]["number"] == 1
    assert body["version"]["status"] == "queued"
    assert body["version"]["stat_spec_type"] == "RKMETableSpecification"
    version = LearnwareVersion.objects.get()
    assert version.package.read() == package_bytes
    assert version.input_dimension == 6
    assert (
        len(callbacks) == 1
    )  # the check task, enqueued only once the row is committed


@pytest.mark.parametrize(
    ("mutate", "status", "field", "text"),
    [
        (lambda p, s: (p, "{not json"), 400, "semantic_spec", "not valid JSON"),
        (
            lambda p, s: (p, {**s, "Data": {"Type": "Class", "Values": ["Sound"]}}),
            400,
            "semantic_spec",
            "Sound",
        ),
        (
            lambda p, s: (
                p,
                {**s, "Input": {**s["Input"], "Dimension": 5, "Description": {}}},
            ),
            400,
            "package",
            "stat.json",
        ),
        (lambda p, s: (b"not a zip at all", s), 400, "package", "zip"),
    ],
    ids=["bad-json", "bad-data-type", "dimension-mismatch", "not-a-zip"],
)
def test_learnware_create_rejects_bad_input_naming_the_field(
    user: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
    mutate: Any,
    status: int,
    field: str,
    text: str,
) -> None:
    package, spec = mutate(package_bytes, semantic_spec)

    response = post_package(_client(user), package, spec)

    assert response.status_code == status, response.content
    body = response.json()
    assert field in body["extra"]["fields"]
    assert text in body["message"]
    assert not Learnware.objects.exists()


def test_learnware_create_refuses_path_traversal_before_extracting(
    user: User, semantic_spec: dict[str, Any], package_bytes: bytes
) -> None:
    hostile = rezip(package_bytes, extra={"../../evil.py": b"print('owned')"})

    response = post_package(_client(user), hostile, semantic_spec)

    assert response.status_code == 400
    assert ".." in response.json()["message"]


def test_learnware_create_refuses_duplicate_package_with_409(
    user: User, other_user: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    first = post_package(_client(user), package_bytes, semantic_spec)

    again = post_package(_client(user), package_bytes, semantic_spec)
    others = post_package(_client(other_user), package_bytes, semantic_spec)

    assert again.status_code == 409
    assert again.json()["extra"]["learnware_id"] == first.json()["id"]
    # Not listed yet, so not visible to another user: taken as a new upload (a 409
    # would confirm that someone's private package exists).
    assert others.status_code == 201
    assert Learnware.objects.count() == 2


def test_learnware_create_refuses_oversized_package_with_413(
    user: User, package_bytes: bytes, semantic_spec: dict[str, Any], settings: Any
) -> None:
    settings.BMW_MAX_PACKAGE_BYTES = 100

    response = post_package(_client(user), package_bytes, semantic_spec)

    assert response.status_code == 413
    assert "over the limit" in response.json()["message"]


def test_learnware_create_needs_a_signed_in_user(
    package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    response = post_package(_client(None), package_bytes, semantic_spec)

    assert response.status_code in (401, 403)
    assert not Learnware.objects.exists()


def test_unapproved_learnware_is_visible_only_to_owner_and_staff(
    user: User,
    other_user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    learnware_id = post_package(_client(user), package_bytes, semantic_spec).json()[
        "id"
    ]

    assert _client(user).get(f"/api/learnwares/{learnware_id}/").status_code == 200
    assert _client(reviewer).get(f"/api/learnwares/{learnware_id}/").status_code == 200
    assert (
        _client(other_user).get(f"/api/learnwares/{learnware_id}/").status_code == 404
    )
    assert _client(None).get(f"/api/learnwares/{learnware_id}/").status_code == 404
    assert _client(None).get("/api/learnwares/").json()["count"] == 0
    assert _client(user).get("/api/learnwares/mine/").json()["count"] == 1


def test_review_approve_makes_learnware_public_and_logs_decision(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    learnware_id = post_package(_client(user), package_bytes, semantic_spec).json()[
        "id"
    ]
    version = mark_checked(learnware_id)
    queue = _client(reviewer).get("/api/reviews/").json()
    assert [item["id"] for item in queue["results"]] == [version.id]

    response = _client(reviewer).post(
        f"/api/versions/{version.id}/review/",
        {"decision": "approve"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    listed = _client(None).get("/api/learnwares/").json()
    assert [lw["id"] for lw in listed["results"]] == [learnware_id]
    assert listed["results"][0]["live_version"]["number"] == 1
    decision = ReviewDecision.objects.get()
    assert (decision.reviewer, decision.decision) == (reviewer, "approve")
    assert Notification.objects.filter(user=user, title__contains="approved").exists()
    download = _client(None).get(f"/api/learnwares/{learnware_id}/download/")
    assert download.status_code == 200
    assert download["Content-Length"] == str(len(package_bytes))
    assert download.getvalue() == package_bytes
    assert Learnware.objects.get().downloads == 1


def test_review_reject_needs_a_reason_and_keeps_learnware_private(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    learnware_id = post_package(_client(user), package_bytes, semantic_spec).json()[
        "id"
    ]
    version = mark_checked(learnware_id)
    url = f"/api/versions/{version.id}/review/"

    no_reason = _client(reviewer).post(
        url, {"decision": "reject"}, content_type="application/json"
    )
    rejected = _client(reviewer).post(
        url,
        {"decision": "reject", "reason": "no documentation"},
        content_type="application/json",
    )

    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["extra"]["fields"]
    assert rejected.status_code == 200
    assert rejected.json()["review_reason"] == "no documentation"
    assert _client(None).get("/api/learnwares/").json()["count"] == 0
    again = _client(reviewer).post(
        url, {"decision": "approve"}, content_type="application/json"
    )
    assert again.status_code == 409


@pytest.mark.parametrize("persona", ["user", "other_user", None])
def test_review_is_refused_to_non_staff(
    persona: str | None,
    request: pytest.FixtureRequest,
    user: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    learnware_id = post_package(_client(user), package_bytes, semantic_spec).json()[
        "id"
    ]
    version = mark_checked(learnware_id)
    actor = request.getfixturevalue(persona) if persona else None

    response = _client(actor).post(
        f"/api/versions/{version.id}/review/",
        {"decision": "approve"},
        content_type="application/json",
    )

    assert response.status_code in ((401, 403) if actor is None else (403,))
    version.refresh_from_db()
    assert version.status == Status.AWAITING_REVIEW


def test_new_version_keeps_approved_one_live_until_approved(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    learnware_id = post_package(_client(user), package_bytes, semantic_spec).json()[
        "id"
    ]
    v1 = mark_checked(learnware_id)
    services.learnware_version_review(version=v1, reviewer=reviewer, approve=True)
    newer = rezip(package_bytes, extra={"README.md": b"v2"})

    response = _client(user).post(
        f"/api/learnwares/{learnware_id}/versions/",
        {"package": SimpleUploadedFile("v2.zip", newer)},
    )

    assert response.status_code == 201, response.content
    assert response.json()["number"] == 2
    public = _client(None).get(f"/api/learnwares/{learnware_id}/").json()
    assert public["live_version"]["number"] == 1
    v2 = mark_checked(learnware_id)
    services.learnware_version_review(version=v2, reviewer=reviewer, approve=True)
    public = _client(None).get(f"/api/learnwares/{learnware_id}/").json()
    assert public["live_version"]["number"] == 2
    versions = _client(None).get(f"/api/learnwares/{learnware_id}/versions/").json()
    assert [v["number"] for v in versions] == [2, 1]  # v1 stays downloadable
    old = _client(None).get(f"/api/versions/{v1.id}/download/")
    assert old.getvalue() == package_bytes


def test_every_edit_makes_a_checked_version_and_the_listing_keeps_the_approved_text(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    learnware_id = post_package(_client(user), package_bytes, semantic_spec).json()[
        "id"
    ]
    services.learnware_version_review(
        version=mark_checked(learnware_id), reviewer=reviewer, approve=True
    )
    url = f"/api/learnwares/{learnware_id}/"
    cosmetic = {
        **semantic_spec,
        "Description": {"Type": "String", "Values": "A better description."},
    }
    regression = {
        **semantic_spec,
        "Task": {"Type": "Class", "Values": ["Regression"]},
        "Output": {"Dimension": 1, "Description": {"0": "y"}},
    }

    edited = _client(user).patch(
        url, {"semantic_spec": cosmetic}, content_type="application/json"
    )
    changed = _client(user).patch(
        url, {"semantic_spec": regression}, content_type="application/json"
    )
    same = _client(user).patch(
        url, {"semantic_spec": regression}, content_type="application/json"
    )

    assert edited.status_code == 202
    assert edited.json()["number"] == 2
    assert edited.json()["status"] == "queued"
    assert changed.status_code == 202
    assert changed.json()["number"] == 3
    assert same.status_code == 200  # nothing changed: no version
    public = _client(None).get(url).json()
    assert public["semantic_spec"]["Description"] == semantic_spec["Description"]
    assert public["task_type"] == "Classification"
    assert LearnwareVersion.objects.get(number=3).package_sha256 == (
        LearnwareVersion.objects.get(number=1).package_sha256
    )


def test_other_user_cannot_edit_or_delete(
    user: User,
    other_user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    learnware_id = post_package(_client(user), package_bytes, semantic_spec).json()[
        "id"
    ]
    services.learnware_version_review(
        version=mark_checked(learnware_id), reviewer=reviewer, approve=True
    )
    url = f"/api/learnwares/{learnware_id}/"

    edit = _client(other_user).patch(
        url, {"semantic_spec": semantic_spec}, content_type="application/json"
    )
    delete = _client(other_user).delete(url)

    assert edit.status_code == 403
    assert delete.status_code == 403
    assert _client(user).delete(url).status_code == 204
    assert _client(None).get(url).status_code == 404
    assert Learnware.objects.filter(id=learnware_id).exists()  # kept for audit


def test_notifications_list_and_mark_read(user: User, other_user: User) -> None:
    notice = services.notification_send(user=user, title="hello", body="world")

    listed = _client(user).get("/api/notifications/").json()
    foreign = _client(other_user).post(f"/api/notifications/{notice.id}/read/")
    read = _client(user).post(f"/api/notifications/{notice.id}/read/")

    assert [n["title"] for n in listed["results"]] == ["hello"]
    assert foreign.status_code == 404
    assert read.status_code == 204
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_learnware_create_needs_a_verified_email(
    user: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    User.objects.filter(id=user.id).update(email_verified_at=None)
    user.refresh_from_db()

    response = post_package(_client(user), package_bytes, semantic_spec)

    assert response.status_code == 403
    assert "Verify your e-mail" in response.json()["message"]
    assert not Learnware.objects.exists()


def test_semantic_vocabulary_lists_allowed_values() -> None:
    body = _client(None).get("/api/semantic-vocabulary/").json()

    assert body["data_types"] == ["Table", "Image", "Text"]
    assert "Classification" in body["tasks_by_data"]["Table"]
    assert "MIT" in body["licenses"]
    assert body["name_length"][0] < body["name_length"][1]


def test_market_changes_are_logged_for_the_search_workers(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    from market.models import SearchIndexEvent

    learnware_id = post_package(_client(user), package_bytes, semantic_spec).json()[
        "id"
    ]
    version = mark_checked(learnware_id)
    assert not SearchIndexEvent.objects.exists()  # not searchable before approval

    services.learnware_version_review(version=version, reviewer=reviewer, approve=True)
    cosmetic = {**semantic_spec, "Name": {"Type": "String", "Values": "renamed model"}}
    _client(user).patch(
        f"/api/learnwares/{learnware_id}/",
        {"semantic_spec": cosmetic},
        content_type="application/json",
    )
    _client(user).delete(f"/api/learnwares/{learnware_id}/")

    events = list(SearchIndexEvent.objects.values_list("learnware_id", "action"))
    assert events == [  # the rename waits for review: nothing to index yet
        (learnware_id, "upsert"),
        (learnware_id, "remove"),
    ]
    stored = json.loads(version.stat_spec_file.read())
    assert stored["type"] == "RKMETableSpecification"
    assert len(stored["z"][0]) == 6


def test_my_learnwares_show_the_newest_version_and_reviewers_see_check_reports(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    learnware_id = post_package(_client(user), package_bytes, semantic_spec).json()[
        "id"
    ]
    version = mark_checked(learnware_id)
    version.check_steps.create(position=0, name="format", status="passed")

    mine = _client(user).get("/api/learnwares/mine/").json()["results"]
    queue = _client(reviewer).get("/api/reviews/").json()["results"]

    assert mine[0]["latest_version"] == {
        "id": version.id,
        "number": 1,
        "status": "awaiting_review",
    }
    assert [s["name"] for s in queue[0]["check_steps"]] == ["format"]


def test_unread_notifications_filter_counts_only_unread(user: User) -> None:
    first = services.notification_send(user=user, title="one", body="")
    services.notification_send(user=user, title="two", body="")
    services.notification_mark_read(user=user, notification_id=first.id)

    unread = _client(user).get("/api/notifications/?unread=1").json()

    assert unread["count"] == 1
    assert [n["title"] for n in unread["results"]] == ["two"]


def test_reviewer_cannot_approve_a_version_they_uploaded(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    from bmw.errors import ApplicationError

    learnware_id = post_package(_client(reviewer), package_bytes, semantic_spec).json()[
        "id"
    ]
    version = mark_checked(learnware_id)

    with pytest.raises(ApplicationError, match="uploaded themselves"):
        services.learnware_version_review(
            version=version, reviewer=reviewer, approve=True
        )
    version.refresh_from_db()
    assert version.status == Status.AWAITING_REVIEW


def test_stat_spec_of_a_listed_version_is_public_json(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    learnware_id = post_package(_client(user), package_bytes, semantic_spec).json()[
        "id"
    ]
    version = mark_checked(learnware_id)
    assert (
        _client(None).get(f"/api/versions/{version.id}/stat-spec/").status_code == 404
    )
    services.learnware_version_review(version=version, reviewer=reviewer, approve=True)

    response = _client(None).get(f"/api/versions/{version.id}/stat-spec/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.getvalue())
    assert body == json.loads(version.stat_spec_file.read())
    assert (body["type"], len(body["z"][0])) == ("RKMETableSpecification", 6)
    LearnwareVersion.objects.filter(id=version.id).update(stat_spec_file="")
    missing = _client(None).get(f"/api/versions/{version.id}/stat-spec/")
    assert missing.status_code == 404
    assert "no statistical specification" in missing.json()["message"]
