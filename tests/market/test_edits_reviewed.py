"""Edits after approval go through review (issue 22, part 4): a listed learnware
shows its approved text until a reviewer approves the edit; refused words are
refused at once; the owner and the reviewers see the pending text."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from market import services
from market.models import Learnware, LearnwareVersion
from tests.market.conftest import client_for, mark_checked, post_package

pytestmark = pytest.mark.django_db

LURE = "Official dock security patch"
LURE_TEXT = "Download the fix at http://example.com/patch.exe and run it as admin."


@pytest.fixture(autouse=True)
def _checks_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "_check_enqueue_on_commit", lambda version_id: None)


@pytest.fixture
def listed(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> Learnware:
    learnware_id = post_package(client_for(user), package_bytes, semantic_spec).json()[
        "id"
    ]
    services.learnware_version_review(
        version=mark_checked(learnware_id), reviewer=reviewer, approve=True
    )
    return Learnware.objects.get(id=learnware_id)


def _lure(spec: dict[str, Any]) -> dict[str, Any]:
    edited = copy.deepcopy(spec)
    edited["Name"] = {"Type": "String", "Values": LURE}
    edited["Description"] = {"Type": "String", "Values": LURE_TEXT}
    edited["Scenario"] = {"Type": "Tag", "Values": ["Business"]}
    return edited


def _edit(user: User, learnware: Learnware, spec: dict[str, Any]) -> Any:
    return client_for(user).patch(
        f"/api/learnwares/{learnware.id}/",
        {"semantic_spec": spec},
        content_type="application/json",
    )


def _everyone_sees(learnware: Learnware) -> list[str]:
    """The learnware's name on every public surface: detail, list, search, compat."""
    anonymous = Client()
    detail = anonymous.get(f"/api/learnwares/{learnware.id}/").json()["name"]
    listed = [lw["name"] for lw in anonymous.get("/api/learnwares/").json()["results"]]
    found = anonymous.post(
        "/api/learnwares/search/",
        {"data_type": "Table"},
        content_type="application/json",
    ).json()["results"]
    compat = anonymous.get(
        "/api/compat/v1/engine/learnware_info",
        {"learnware_id": f"{learnware.id:08d}"},
    ).json()["data"]["learnware_info"]["semantic_specification"]["Name"]["Values"]
    return [detail, *listed, *(hit["learnware"]["name"] for hit in found), compat]


def test_an_edit_of_a_listed_learnware_waits_for_review(
    user: User, reviewer: User, listed: Learnware, semantic_spec: dict[str, Any]
) -> None:
    approved_name = listed.name

    response = _edit(user, listed, _lure(semantic_spec))

    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert set(_everyone_sees(listed)) == {approved_name}
    # The owner sees the pending text on the version; reviewers in their queue.
    versions = client_for(user).get(f"/api/learnwares/{listed.id}/versions/").json()
    assert versions[0]["semantic_spec"]["Name"]["Values"] == LURE
    assert versions[0]["status"] == "queued"
    mark_checked(listed.id)
    queue = client_for(reviewer).get("/api/reviews/").json()["results"]
    assert [v["semantic_spec"]["Description"]["Values"] for v in queue] == [LURE_TEXT]


def test_a_rejected_edit_never_shows(
    user: User, reviewer: User, listed: Learnware, semantic_spec: dict[str, Any]
) -> None:
    approved_name = listed.name
    _edit(user, listed, _lure(semantic_spec))

    services.learnware_version_review(
        version=mark_checked(listed.id),
        reviewer=reviewer,
        approve=False,
        reason="impersonates the dock",
    )

    assert set(_everyone_sees(listed)) == {approved_name}
    listed.refresh_from_db()
    assert listed.live_version is not None
    assert listed.live_version.number == 1


def test_an_approved_edit_shows_everywhere(
    user: User, reviewer: User, listed: Learnware, semantic_spec: dict[str, Any]
) -> None:
    renamed = copy.deepcopy(semantic_spec)
    renamed["Name"] = {"Type": "String", "Values": "Credit scoring, v2"}
    _edit(user, listed, renamed)

    services.learnware_version_review(
        version=mark_checked(listed.id), reviewer=reviewer, approve=True
    )

    assert set(_everyone_sees(listed)) == {"Credit scoring, v2"}


def test_an_edit_with_a_refused_word_is_refused_at_once(
    user: User, listed: Learnware, semantic_spec: dict[str, Any]
) -> None:
    edited = _lure(semantic_spec)
    edited["Description"]["Values"] = "Protects you from\nransomware. " + LURE_TEXT

    response = _edit(user, listed, edited)

    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {
        "semantic_spec": ["contains a refused word: 'ransomware'"]
    }
    assert LearnwareVersion.objects.filter(learnware=listed).count() == 1


def test_a_compat_edit_of_a_listed_learnware_waits_for_review_too(
    user: User, listed: Learnware, semantic_spec: dict[str, Any]
) -> None:
    import json

    from accounts import services as account_services
    from tests.compat.conftest import OriginalClient

    approved_name = listed.name
    original = OriginalClient(Client())
    token = account_services.api_token_create(user=user, name="compat").token
    assert original.login(user.email, token)["code"] == 0

    answer = original.post_multipart(
        "/user/update_learnware",
        {
            "learnware_id": f"{listed.id:08d}",
            "semantic_specification": json.dumps(_lure(semantic_spec)),
        },
    ).json()

    assert answer["code"] == 0
    assert set(_everyone_sees(listed)) == {approved_name}
