"""Who may call each market endpoint: anonymous, owner, other user, reviewer, admin.

The learnware (and its only version) belongs to ``user``, the owner. Routes about
that learnware run twice: once it is approved (live), once it only awaits review.
Signed-in personas use a session. No Celery worker: uploads enqueue their check on
commit, and the test transaction never commits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from market import services
from market.models import Learnware, LearnwareVersion, Notification
from tests.market.conftest import rezip

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "owner", "other_user", "reviewer", "admin")
Statuses = tuple[int, int, int, int, int]  # in PERSONAS order

# Placeholders in a body, filled in per request.
SPEC = "<the learnware's semantic spec>"
NEW_PACKAGE = "<a valid package that is not in the market yet>"
BAD_CSV = "<a CSV file with too few columns>"  # refused before any worker runs
THE_LEARNWARE = "<the learnware's id>"
LEARNWARE_IDS = "<[the learnware's id]>"


@dataclass(frozen=True)
class Case:
    route: str  # the ``name=`` in market/urls.py
    method: str
    path: str  # {learnware_id}, {version_id}, {notification_id}: owned by ``user``
    body: dict[str, Any] | None
    approved: Statuses  # the learnware is live
    awaiting: Statuses | None = None  # its only version awaits review; None: n/a

    def by_state(self) -> dict[str, Statuses]:
        if self.awaiting is None:
            return {"approved": self.approved}
        return {"approved": self.approved, "awaiting": self.awaiting}


CASES = {
    "semantic-vocabulary": Case(
        "semantic-vocabulary",
        "get",
        "/api/semantic-vocabulary/",
        None,
        (200, 200, 200, 200, 200),
    ),
    "learnwares-list": Case(
        "learnwares", "get", "/api/learnwares/", None, (200, 200, 200, 200, 200)
    ),
    "learnwares-create": Case(
        "learnwares",
        "post",
        "/api/learnwares/",
        {"semantic_spec": SPEC, "package": NEW_PACKAGE},
        (401, 201, 201, 201, 201),
    ),
    "learnwares-mine": Case(
        "learnwares-mine",
        "get",
        "/api/learnwares/mine/",
        None,
        (401, 200, 200, 200, 200),
    ),
    "learnwares-search": Case(
        "learnwares-search",
        "post",
        "/api/learnwares/search/",
        {"query": ""},  # no text, no stat spec: answered from the database
        (200, 200, 200, 200, 200),
    ),
    "learnware-retrieve": Case(
        "learnware",
        "get",
        "/api/learnwares/{learnware_id}/",
        None,
        approved=(200, 200, 200, 200, 200),
        awaiting=(404, 200, 404, 200, 200),
    ),
    "learnware-update": Case(
        "learnware",
        "patch",
        "/api/learnwares/{learnware_id}/",
        {"semantic_spec": SPEC},  # unchanged: a cosmetic edit
        approved=(401, 200, 403, 403, 200),  # reviewers review, they don't edit
        awaiting=(401, 200, 404, 403, 200),
    ),
    "learnware-delete": Case(
        "learnware",
        "delete",
        "/api/learnwares/{learnware_id}/",
        None,
        approved=(401, 204, 403, 403, 204),
        awaiting=(401, 204, 404, 403, 204),
    ),
    "learnware-download": Case(
        "learnware-download",
        "get",
        "/api/learnwares/{learnware_id}/download/",
        None,
        approved=(200, 200, 200, 200, 200),
        awaiting=(404, 200, 404, 200, 200),
    ),
    "learnware-bundle": Case(
        "learnware-bundle",
        "get",
        "/api/learnwares/{learnware_id}/bundle/",
        None,
        approved=(200, 200, 200, 200, 200),
        awaiting=(404, 200, 404, 200, 200),
    ),
    "bundles": Case(
        # 400: visible to owner and staff, but a bundle of several needs approval
        "bundles",
        "post",
        "/api/bundles/",
        {"learnware_ids": LEARNWARE_IDS},
        approved=(200, 200, 200, 200, 200),
        awaiting=(404, 400, 404, 400, 400),
    ),
    "learnware-versions-list": Case(
        "learnware-versions",
        "get",
        "/api/learnwares/{learnware_id}/versions/",
        None,
        approved=(200, 200, 200, 200, 200),
        awaiting=(404, 200, 404, 200, 200),
    ),
    "learnware-versions-create": Case(
        "learnware-versions",
        "post",
        "/api/learnwares/{learnware_id}/versions/",
        {"package": NEW_PACKAGE},
        approved=(401, 201, 403, 403, 201),
        awaiting=(401, 201, 404, 403, 201),
    ),
    "version-retrieve": Case(
        "version",
        "get",
        "/api/versions/{version_id}/",
        None,
        approved=(200, 200, 200, 200, 200),
        awaiting=(404, 200, 404, 200, 200),
    ),
    "version-download": Case(
        "version-download",
        "get",
        "/api/versions/{version_id}/download/",
        None,
        approved=(200, 200, 200, 200, 200),
        awaiting=(404, 200, 404, 200, 200),
    ),
    "version-stat-spec": Case(
        "version-stat-spec",
        "get",
        "/api/versions/{version_id}/stat-spec/",
        None,
        approved=(200, 200, 200, 200, 200),
        awaiting=(404, 200, 404, 200, 200),
    ),
    "version-recheck": Case(
        # 409: allowed, but an approved version cannot be checked again
        "version-recheck",
        "post",
        "/api/versions/{version_id}/recheck/",
        None,
        approved=(401, 409, 403, 403, 409),
        awaiting=(401, 202, 404, 403, 202),
    ),
    "version-review": Case(
        # 409: allowed, but the version is not awaiting review any more
        "version-review",
        "post",
        "/api/versions/{version_id}/review/",
        {"decision": "approve"},
        approved=(401, 403, 403, 409, 409),
        awaiting=(401, 403, 403, 200, 200),
    ),
    "learnware-predict": Case(
        # 400: allowed, but the input is malformed; 404: nothing approved to run
        "learnware-predict",
        "post",
        "/api/learnwares/{learnware_id}/predict/",
        {"file": BAD_CSV},
        approved=(401, 400, 400, 400, 400),
        awaiting=(401, 404, 404, 404, 404),
    ),
    "predict": Case(
        "predict",
        "post",
        "/api/predict/",
        {"learnware_ids": THE_LEARNWARE, "file": BAD_CSV},
        approved=(401, 400, 400, 400, 400),
        awaiting=(401, 404, 404, 404, 404),
    ),
    "review-queue": Case(
        "review-queue", "get", "/api/reviews/", None, (401, 403, 403, 200, 200)
    ),
    "search-examples": Case(
        "search-examples", "get", "/api/search/examples/", None, (200,) * 5
    ),
    "search-example-stat-spec": Case(
        "search-example-stat-spec",
        "get",
        "/api/search/examples/{example_id}/stat-spec/",
        None,
        (404,) * 5,  # public: no persona differs (content: test_demo_market)
    ),
    "admin-learnwares": Case(
        "admin-learnwares",
        "get",
        "/api/admin/learnwares/",
        None,
        (401, 403, 403, 200, 200),
    ),
    "admin-stats": Case(
        "admin-stats", "get", "/api/admin/stats/", None, (401, 403, 403, 200, 200)
    ),
    "admin-world-versions-list": Case(
        "admin-world-versions",
        "get",
        "/api/admin/world/versions/",
        None,
        (401, 403, 403, 403, 200),
    ),
    "admin-world-versions-train": Case(
        # 400: allowed, but no table learnware is listed yet to train on
        "admin-world-versions",
        "post",
        "/api/admin/world/versions/",
        None,
        approved=(401, 403, 403, 403, 202),
        awaiting=(401, 403, 403, 403, 400),
    ),
    "admin-world-version-activate": Case(
        # 404: allowed, but no such version
        "admin-world-version-activate",
        "post",
        "/api/admin/world/versions/{engine_version}/activate/",
        None,
        (401, 403, 403, 403, 404),
    ),
    "world-engine": Case(
        # public; 404: allowed, but no version is active
        "world-engine",
        "get",
        "/api/world/engine/",
        None,
        (404, 404, 404, 404, 404),
    ),
    "admin-world-projection": Case(
        # 404: allowed, but no version is active
        "admin-world-projection",
        "get",
        "/api/admin/world/projection/",
        None,
        (401, 403, 403, 403, 404),
    ),
    "notifications": Case(
        "notifications", "get", "/api/notifications/", None, (401, 200, 200, 200, 200)
    ),
    "notification-read": Case(
        "notification-read",
        "post",
        "/api/notifications/{notification_id}/read/",
        None,
        (401, 204, 404, 404, 404),
    ),
}


@dataclass(frozen=True)
class Market:
    learnware: Learnware
    version: LearnwareVersion
    notification: Notification  # sent to the owner
    semantic_spec: dict[str, Any]
    new_package: bytes


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _throttle_counters_reset() -> Iterator[None]:
    cache.clear()  # the search throttle counts in the cache (Redis db of this run)
    yield
    cache.clear()


def _market(
    state: str,
    owner: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> Market:
    """One learnware of ``owner``, approved or awaiting review, and a notice."""
    learnware = services.learnware_create(
        owner=owner,
        semantic_spec=semantic_spec,
        package=SimpleUploadedFile("lw.zip", package_bytes, "application/zip"),
    )
    version = learnware.versions.get()
    # What the check worker does when the checks pass.
    LearnwareVersion.objects.filter(id=version.id).update(
        status=LearnwareVersion.Status.AWAITING_REVIEW
    )
    version.refresh_from_db()
    if state == "approved":
        services.learnware_version_review(
            version=version, reviewer=reviewer, approve=True
        )
    notification = services.notification_send(user=owner, title="hello", body="")
    learnware.refresh_from_db()
    version.refresh_from_db()
    return Market(
        learnware=learnware,
        version=version,
        notification=notification,
        semantic_spec=semantic_spec,
        new_package=rezip(package_bytes, extra={"README.md": b"another one"}),
    )


def _send(client: Client, case: Case, market: Market) -> Any:
    path = case.path.format(
        learnware_id=market.learnware.id,
        version_id=market.version.id,
        notification_id=market.notification.id,
        example_id=999,  # none exists: every persona gets the same 404
        engine_version="w-000000000000",  # none exists either
    )
    if case.body is None:
        return getattr(client, case.method)(path)
    if {NEW_PACKAGE, BAD_CSV} & set(case.body.values()):  # a multipart upload
        upload = {
            SPEC: json.dumps(market.semantic_spec),
            NEW_PACKAGE: SimpleUploadedFile("new.zip", market.new_package),
            BAD_CSV: SimpleUploadedFile("x.csv", b"1,2,3\n"),
            THE_LEARNWARE: market.learnware.id,
        }
        data = {key: upload.get(value, value) for key, value in case.body.items()}
        return getattr(client, case.method)(path, data)
    placeholders = {SPEC: market.semantic_spec, LEARNWARE_IDS: [market.learnware.id]}
    data = {key: placeholders.get(value, value) for key, value in case.body.items()}
    return getattr(client, case.method)(path, data, content_type="application/json")


@pytest.mark.parametrize(
    ("case", "state", "persona", "expected"),
    [
        pytest.param(case, state, persona, status, id=f"{name}-{state}-{persona}")
        for name, case in CASES.items()
        for state, statuses in case.by_state().items()
        for persona, status in zip(PERSONAS, statuses, strict=True)
    ],
)
def test_market_endpoint_permission_matrix(
    user: User,
    other_user: User,
    reviewer: User,
    admin: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
    case: Case,
    state: str,
    persona: str,
    expected: int,
) -> None:
    market = _market(state, user, reviewer, package_bytes, semantic_spec)
    actor = {
        "owner": user,
        "other_user": other_user,
        "reviewer": reviewer,
        "admin": admin,
    }
    client = Client()
    if persona != "anonymous":
        client.force_login(actor[persona])

    response = _send(client, case, market)

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()) == {"message", "extra"}
    if expected == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    response.close()  # downloads hold the package file open


def test_permission_matrix_covers_every_market_route() -> None:
    from market.urls import urlpatterns

    routes = {
        (
            p.name,
            method,
            "/api/"
            + str(p.pattern)
            .replace("<int:learnware_id>", "{learnware_id}")
            .replace("<int:version_id>", "{version_id}")
            .replace("<int:notification_id>", "{notification_id}")
            .replace("<int:example_id>", "{example_id}")
            .replace("<str:engine_version>", "{engine_version}"),
        )
        for p in urlpatterns
        for method in ("get", "post", "put", "patch", "delete")
        if hasattr(p.callback.view_class, method)  # type: ignore[attr-defined]
    }

    assert routes == {(c.route, c.method, c.path) for c in CASES.values()}
