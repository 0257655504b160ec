"""Object-level authorization (IDOR): nobody reaches another user's objects by id.

The owner (``user``) has a learnware that only awaits review (*hidden*), a listed
learnware whose new version awaits review (the version is hidden, the learnware is
not), a notification and an API token. Another signed-in user (by session or by API
token) and an anonymous visitor try each of them by id:

* every route with an object id in its path is in ``OBJECT_ROUTES`` (a test checks the
  URLconf against it), and a hidden object answers exactly like an id that does not
  exist (same status, same body up to the id): its existence does not leak;
* ids in bodies and query strings (bundles, predict, the compat API) behave the same;
* hidden uploads never show in lists, search, counts, detail or downloads, and a
  listed learnware shows its approved version only;
* nothing the attempts touched changed.

``test_permissions.py`` (both apps) has the full who-may-call-what matrix; this file
is about objects that belong to someone else.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver

from accounts import services as account_services
from accounts.models import ApiToken, User
from market import services
from market.models import Learnware, LearnwareVersion, Notification
from tests.market.conftest import rezip

pytestmark = pytest.mark.django_db

# Who tries: ("anonymous", "other" by session, "other" by API token).
INTRUDERS = ("anonymous", "other_session", "other_token")


@dataclass(frozen=True)
class Route:
    path: str  # with one {id}
    kind: str  # what {id} names: learnware, version, notification, token, user
    method: str
    body: str | None  # a key of _bodies()
    # (anonymous, another user): the status for a hidden object and a missing id
    expected: tuple[int, int]


# Every API route with an object id in its path (name, method); see the coverage test.
OBJECT_ROUTES: dict[tuple[str, str], Route] = {
    ("learnware", "get"): Route(
        "/api/learnwares/{id}/", "learnware", "get", None, (404, 404)
    ),
    ("learnware", "patch"): Route(
        "/api/learnwares/{id}/", "learnware", "patch", "spec", (401, 404)
    ),
    ("learnware", "delete"): Route(
        "/api/learnwares/{id}/", "learnware", "delete", None, (401, 404)
    ),
    ("learnware-download", "get"): Route(
        "/api/learnwares/{id}/download/", "learnware", "get", None, (404, 404)
    ),
    ("learnware-bundle", "get"): Route(
        "/api/learnwares/{id}/bundle/", "learnware", "get", None, (404, 404)
    ),
    ("learnware-versions", "get"): Route(
        "/api/learnwares/{id}/versions/", "learnware", "get", None, (404, 404)
    ),
    ("learnware-versions", "post"): Route(
        "/api/learnwares/{id}/versions/", "learnware", "post", "package", (401, 404)
    ),
    ("learnware-predict", "post"): Route(
        "/api/learnwares/{id}/predict/", "learnware", "post", "csv", (401, 404)
    ),
    ("version", "get"): Route(
        "/api/versions/{id}/", "version", "get", None, (404, 404)
    ),
    ("version-download", "get"): Route(
        "/api/versions/{id}/download/", "version", "get", None, (404, 404)
    ),
    ("version-stat-spec", "get"): Route(
        "/api/versions/{id}/stat-spec/", "version", "get", None, (404, 404)
    ),
    ("version-recheck", "post"): Route(
        "/api/versions/{id}/recheck/", "version", "post", None, (401, 404)
    ),
    # Reviewers only: refused before any lookup, so a missing id answers the same.
    ("version-review", "post"): Route(
        "/api/versions/{id}/review/", "version", "post", "approve", (401, 403)
    ),
    ("notification-read", "post"): Route(
        "/api/notifications/{id}/read/", "notification", "post", None, (401, 404)
    ),
    ("api-tokens-revoke", "delete"): Route(
        "/api/api-tokens/{id}/", "token", "delete", None, (401, 404)
    ),
    # Administrators only: refused before any lookup.
    ("users-role", "post"): Route(
        "/api/users/{id}/role/", "user", "post", "role", (401, 403)
    ),
    ("users-deactivate", "post"): Route(
        "/api/users/{id}/deactivate/", "user", "post", None, (401, 403)
    ),
    ("users-reactivate", "post"): Route(
        "/api/users/{id}/reactivate/", "user", "post", None, (401, 403)
    ),
}
# Routes with an id that names nobody's private object.
NOT_OWNED = {
    ("search-example-stat-spec", "get"): "the search page's public example specs",
    ("admin-world-version-activate", "post"): "specification-world engines: "
    "administrators only (test_admin_routes_refuse_everyone_else)",
}


@dataclass
class World:
    owner: User
    other: User
    other_token: str
    hidden: Learnware  # its only version awaits review
    listed: Learnware  # approved v1, v2 awaits review
    v1: LearnwareVersion
    v2: LearnwareVersion
    notification: Notification
    api_token: ApiToken
    v1_spec: dict[str, Any]
    hidden_package: bytes
    v2_package: bytes


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _throttle_counters_reset() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _checked(version: LearnwareVersion) -> LearnwareVersion:
    """What the check worker does when the checks pass."""
    LearnwareVersion.objects.filter(id=version.id).update(
        status=LearnwareVersion.Status.AWAITING_REVIEW
    )
    version.refresh_from_db()
    return version


@pytest.fixture
def world(
    user: User,
    other_user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> World:
    def upload(name: str, package: bytes) -> Learnware:
        spec = {**semantic_spec, "Name": {"Type": "String", "Values": name}}
        return services.learnware_create(
            owner=user,
            semantic_spec=spec,
            package=SimpleUploadedFile("lw.zip", package, "application/zip"),
        )

    hidden_package = rezip(package_bytes, extra={"a.txt": b"a"})
    hidden = upload("hidden upload", hidden_package)
    _checked(hidden.versions.get())
    listed = upload("listed learnware", package_bytes)
    v1 = services.learnware_version_review(
        version=_checked(listed.versions.get()), reviewer=reviewer, approve=True
    )
    listed.refresh_from_db()
    v1_spec = dict(listed.semantic_spec)
    # A new version that changes what the model is (Task, Output): not reviewed yet.
    v2_package = rezip(package_bytes, extra={"b.txt": b"b"})
    v2 = services.learnware_version_create(
        learnware=listed,
        by=user,
        package=SimpleUploadedFile("v2.zip", v2_package, "application/zip"),
        semantic_spec={
            **v1_spec,
            "Task": {"Type": "Class", "Values": ["Regression"]},
            "Output": {"Dimension": 1, "Description": {"0": "unreviewed output"}},
        },
    )
    _checked(v2)
    listed.refresh_from_db()
    return World(
        owner=user,
        other=other_user,
        other_token=account_services.api_token_create(
            user=other_user, name="other's"
        ).token,
        hidden=hidden,
        listed=listed,
        v1=v1,
        v2=v2,
        notification=services.notification_send(user=user, title="yours", body=""),
        api_token=account_services.api_token_create(
            user=user, name="owner's"
        ).api_token,
        v1_spec=v1_spec,
        hidden_package=hidden_package,
        v2_package=v2_package,
    )


def _client(world: World, who: str) -> Client:
    if who == "other_token":
        return Client(HTTP_AUTHORIZATION=f"Bearer {world.other_token}")
    client = Client()
    if who == "other_session":
        client.force_login(world.other)
    elif who == "owner":
        client.force_login(world.owner)
    return client


def _bodies(world: World) -> dict[str, Callable[[], Any]]:
    return {
        "spec": lambda: json.dumps({"semantic_spec": world.v1_spec}),
        "package": lambda: {
            "package": SimpleUploadedFile(
                "new.zip", rezip(world.v2_package, extra={"c": b"c"})
            )
        },
        "csv": lambda: {"file": SimpleUploadedFile("x.csv", b"1,2,3,4,5,6\n")},
        "approve": lambda: json.dumps({"decision": "approve"}),
        "role": lambda: json.dumps({"role": "admin"}),
    }


def _send(client: Client, method: str, path: str, body: Any) -> Any:
    if body is None:
        return getattr(client, method)(path)
    if isinstance(body, str):  # JSON
        return getattr(client, method)(path, body, content_type="application/json")
    return getattr(client, method)(path, body)  # multipart


def _hidden_targets(world: World, kind: str) -> list[int]:
    return {
        "learnware": [world.hidden.id],
        "version": [world.hidden.versions.get().id, world.v2.id],
        "notification": [world.notification.id],
        "token": [world.api_token.id],
        "user": [world.owner.id],
    }[kind]


def _missing(kind: str) -> int:
    model: Any = {
        "learnware": Learnware,
        "version": LearnwareVersion,
        "notification": Notification,
        "token": ApiToken,
        "user": User,
    }[kind]
    return (
        model.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ) + 1000


def _shape(response: Any, ids: tuple[int, ...]) -> tuple[int, str]:
    """The status and the body with the ids masked (8-digit compat ids too)."""
    # getvalue() also closes a streamed download the way the test client expects
    # (response.close() here would close the test's database connection).
    body = response.getvalue().decode(errors="replace")
    for i in ids:
        body = re.sub(rf"\b0*{i}\b", "<id>", body)
    return response.status_code, body


def _snapshot(world: World) -> dict[str, Any]:
    """What an intruder must not have changed."""
    return {
        "learnwares": list(
            Learnware.objects.order_by("id").values(
                "id", "name", "semantic_spec", "deleted_at", "live_version", "downloads"
            )
        ),
        "versions": list(
            LearnwareVersion.objects.order_by("id").values(
                "id", "status", "semantic_spec"
            )
        ),
        "notification_read": Notification.objects.get(id=world.notification.id).read_at,
        "token_revoked": ApiToken.objects.get(id=world.api_token.id).revoked_at,
        "owner": User.objects.filter(id=world.owner.id)
        .values("role", "is_active")
        .get(),
    }


# ------------------------------------------------------------------ coverage
def _routes(patterns: Sequence[Any], prefix: str = "") -> Iterator[Any]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def test_every_route_with_an_object_id_is_covered() -> None:
    from bmw.urls import urlpatterns

    with_ids = {
        (p.name, method)
        for path, p in _routes(urlpatterns)
        # /admin/ is Django's admin: staff only, by Django's own permissions
        if path.startswith("api/") and "<" in path
        for method in ("get", "post", "put", "patch", "delete")
        if hasattr(p.callback.view_class, method)
    }

    assert with_ids == set(OBJECT_ROUTES) | set(NOT_OWNED)


# ------------------------------------------------------------------ by id in the path
@pytest.mark.parametrize(
    "key", [pytest.param(k, id=f"{k[0]}-{k[1]}") for k in OBJECT_ROUTES]
)
def test_hidden_objects_answer_like_missing_ids(
    world: World, key: tuple[str, str]
) -> None:
    route = OBJECT_ROUTES[key]
    bodies = _bodies(world)
    missing = _missing(route.kind)
    before = _snapshot(world)
    problems = []
    for target in _hidden_targets(world, route.kind):
        for who in INTRUDERS:
            expected = route.expected[0 if who == "anonymous" else 1]
            client = _client(world, who)
            body = bodies[route.body] if route.body else (lambda: None)
            hidden = _send(client, route.method, route.path.format(id=target), body())
            absent = _send(client, route.method, route.path.format(id=missing), body())
            got, like_missing = (
                _shape(hidden, (target, missing)),
                _shape(absent, (target, missing)),
            )
            if got[0] != expected or got != like_missing:
                problems.append(
                    f"{who} on {target}: {got} (missing id: {like_missing})"
                )

    assert problems == []
    assert _snapshot(world) == before


def test_other_users_cannot_change_a_listed_learnware(world: World) -> None:
    """A listed learnware is public, so 403 (not 404); nothing changes."""
    bodies = _bodies(world)
    before = _snapshot(world)
    client = _client(world, "other_session")
    lw = f"/api/learnwares/{world.listed.id}/"

    statuses = [
        _send(client, "patch", lw, bodies["spec"]()).status_code,
        _send(client, "delete", lw, None).status_code,
        _send(client, "post", lw + "versions/", bodies["package"]()).status_code,
        _send(
            client, "post", f"/api/versions/{world.v1.id}/recheck/", None
        ).status_code,
    ]

    assert statuses == [403, 403, 403, 403]
    assert _snapshot(world) == before


# ------------------------------------------------------------------ ids in bodies
def test_ids_in_bodies_and_queries_answer_like_missing_ids(world: World) -> None:
    hidden, missing = world.hidden.id, _missing("learnware")
    csv = b"1,2,3,4,5,6\n"
    before = _snapshot(world)

    def calls(lw_id: int) -> list[tuple[str, str, Any]]:
        compat = "/api/compat/v1/"
        return [
            ("post", "/api/bundles/", json.dumps({"learnware_ids": [lw_id]})),
            (
                "post",
                "/api/predict/",
                {"learnware_ids": [lw_id], "file": SimpleUploadedFile("x.csv", csv)},
            ),
            ("get", f"{compat}engine/learnware_info?learnware_id={lw_id:08d}", None),
            (
                "get",
                f"{compat}engine/download_learnware?learnware_id={lw_id:08d}",
                None,
            ),
            (
                "post",
                compat + "user/update_learnware",
                {
                    "learnware_id": f"{lw_id:08d}",
                    "semantic_specification": json.dumps(world.v1_spec),
                },
            ),
            (
                "post",
                compat + "user/delete_learnware",
                {"learnware_id": f"{lw_id:08d}"},
            ),
        ]

    problems = []
    for who in INTRUDERS:
        client = _client(world, who)
        for (method, path, body), (_, missing_path, missing_body) in zip(
            calls(hidden), calls(missing), strict=True
        ):
            got = _shape(_send(client, method, path, body), (hidden, missing))
            like_missing = _shape(
                _send(client, method, missing_path, missing_body), (hidden, missing)
            )
            if got != like_missing or (got[0] == 200 and '"code"' not in got[1]):
                problems.append(
                    f"{who} {method} {path}: {got} (missing: {like_missing})"
                )

    assert problems == []
    assert _snapshot(world) == before


def test_uploading_a_hidden_package_again_answers_as_for_a_new_one(
    world: World,
) -> None:
    """Only a package the uploader may see is a duplicate: a copy of someone's
    unlisted one is taken like any new upload (a 409 would confirm it exists)."""
    duplicate = _client(world, "other_session").post(
        "/api/learnwares/",
        {
            "semantic_spec": json.dumps(world.v1_spec),
            "package": SimpleUploadedFile("p.zip", world.hidden_package),
        },
    )

    assert duplicate.status_code == 201
    assert duplicate.json()["id"] != world.hidden.id


# ------------------------------------------------------------------ collections
def _ids(items: list[dict[str, Any]], key: str = "id") -> set[int]:
    return {int(item[key]) for item in items}


@pytest.mark.parametrize("who", INTRUDERS)
def test_hidden_uploads_never_show_to_others(world: World, who: str) -> None:
    client = _client(world, who)
    owner, listed = world.owner.id, world.listed.id

    lists = {
        query: client.get(f"/api/learnwares/{query}").json()
        for query in (
            "",
            f"?owner={owner}",
            "?data_type=Table",
            "?task_type=Classification",
        )
    }
    regression = client.get("/api/learnwares/?task_type=Regression").json()
    search = client.post(
        "/api/learnwares/search/", {"query": ""}, content_type="application/json"
    ).json()
    search_regression = client.post(
        "/api/learnwares/search/",
        {"query": "", "task_type": "Regression"},
        content_type="application/json",
    ).json()
    compat_search = client.post(
        "/api/compat/v1/engine/search_learnware",
        {"semantic_specification": json.dumps({})},
    ).json()

    for query, page in lists.items():
        assert _ids(page["results"]) == {listed}, query
        assert page["count"] == 1, query
    assert regression["count"] == 0  # v2's Task is not reviewed yet
    assert _ids([hit["learnware"] for hit in search["results"]]) == {listed}
    assert search["count"] == 1
    assert search_regression["count"] == 0
    single = compat_search["data"]["learnware_list_single"]
    assert {int(item["learnware_id"]) for item in single} == {listed}


@pytest.mark.parametrize("who", INTRUDERS)
def test_a_listed_learnware_shows_its_approved_version_only(
    world: World, who: str
) -> None:
    client = _client(world, who)
    lw = f"/api/learnwares/{world.listed.id}/"

    detail = client.get(lw).json()
    versions = client.get(lw + "versions/").json()
    download = client.get(lw + "download/")
    bundle = client.get(lw + "bundle/")

    assert detail["live_version"]["id"] == world.v1.id
    for key in ("Task", "Output", "Input", "Data"):  # not v2's, which awaits review
        assert detail["semantic_spec"][key] == world.v1_spec[key], key
    assert detail["task_type"] == "Classification"
    assert [v["id"] for v in versions] == [world.v1.id]
    assert download.status_code == 200
    assert hashlib.sha256(download.getvalue()).hexdigest() == world.v1.package_sha256
    assert bundle.status_code == 200
    assert bundle.getvalue().startswith(b"PK")  # a zip


def test_the_owner_still_sees_everything(world: World) -> None:
    """The control for the tests above: the hidden objects do exist."""
    client = _client(world, "owner")

    mine = client.get("/api/learnwares/mine/").json()
    versions = client.get(f"/api/learnwares/{world.listed.id}/versions/").json()

    assert _ids(mine["results"]) == {world.hidden.id, world.listed.id}
    assert {v["id"] for v in versions} == {world.v1.id, world.v2.id}
    assert client.get(f"/api/learnwares/{world.hidden.id}/").status_code == 200
    assert client.get(f"/api/versions/{world.v2.id}/").status_code == 200
    assert world.notification.id in _ids(
        client.get("/api/notifications/").json()["results"]
    )
    assert world.api_token.id in _ids(client.get("/api/api-tokens/").json()["results"])


@pytest.mark.parametrize("who", ["other_session", "other_token"])
def test_own_collections_hold_nothing_of_the_owner(world: World, who: str) -> None:
    client = _client(world, who)

    mine = client.get("/api/learnwares/mine/").json()
    notifications = client.get("/api/notifications/").json()
    tokens = client.get("/api/api-tokens/").json()
    compat_mine = client.post(
        "/api/compat/v1/user/list_learnware", {"page": 0, "limit": 10}
    )

    assert mine["count"] == 0
    assert world.notification.id not in _ids(notifications["results"])
    assert world.api_token.id not in _ids(tokens["results"])
    assert {t["name"] for t in tokens["results"]} <= {"other's"}
    if who == "other_token":  # the compat API takes tokens only
        assert compat_mine.json()["data"]["learnware_list"] == []


# ------------------------------------------------------------------ staff routes
def test_admin_routes_refuse_everyone_else(world: World) -> None:
    """Every route under /api/admin/, /api/reviews/ and /api/users/: 401 / 403."""
    from bmw.urls import urlpatterns

    staff_routes = sorted(
        (path, method)
        for path, p in _routes(urlpatterns)
        if path.startswith(("api/admin/", "api/reviews/", "api/users/"))
        and not path.startswith("api/users/me/")
        and hasattr(p.callback, "view_class")
        for method in ("get", "post", "put", "patch", "delete")
        if hasattr(p.callback.view_class, method)
    )
    assert len(staff_routes) >= 10  # the enumeration found them
    problems = []
    for who in INTRUDERS:
        client = _client(world, who)
        for path, method in staff_routes:
            url = "/" + re.sub(r"<(?:int|str):\w+>", "1", path)
            status = _send(client, method, url, None).status_code
            if status != (401 if who == "anonymous" else 403):
                problems.append(f"{who} {method} {url}: {status}")

    assert problems == []


def test_approving_the_new_version_lists_what_it_is(
    world: World, reviewer: User
) -> None:
    """The other half of keeping v2's Task/Output back: approval lists v2's spec,
    all of it; an edit made meanwhile is a version of its own, still waiting."""
    renamed = {**world.v1_spec, "Name": {"Type": "String", "Values": "renamed"}}
    services.learnware_update(
        learnware=world.listed, by=world.owner, semantic_spec=renamed
    )

    services.learnware_version_review(version=world.v2, reviewer=reviewer, approve=True)
    detail = _client(world, "anonymous").get(f"/api/learnwares/{world.listed.id}/")

    body = detail.json()
    assert body["live_version"]["id"] == world.v2.id
    assert body["task_type"] == "Regression"
    assert body["semantic_spec"]["Output"] == world.v2.semantic_spec["Output"]
    assert body["name"] == world.v2.semantic_spec["Name"]["Values"]
    pending = world.listed.versions.order_by("-number").first()
    assert pending is not None
    assert pending.semantic_spec["Name"]["Values"] == "renamed"
    assert pending.status == LearnwareVersion.Status.QUEUED
