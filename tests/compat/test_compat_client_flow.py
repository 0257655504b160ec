"""The original ``LearnwareClient``'s requests against the compat API, end to end."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts import services as account_services
from accounts.models import User
from market import services
from market.models import ChunkedUpload, Learnware, LearnwareVersion
from tests.compat.conftest import CHUNK_SIZE, OriginalClient, md5, with_extra_file

pytestmark = pytest.mark.django_db
Status = LearnwareVersion.Status


def _token(user: User, name: str = "laptop") -> str:
    return account_services.api_token_create(user=user, name=name).token


@pytest.fixture
def original(user: User) -> OriginalClient:
    """The original client, logged in as ``user`` with one of their API tokens."""
    client = OriginalClient(Client())
    assert client.login(user.email, _token(user))["code"] == 0
    return client


def _other(user: User) -> OriginalClient:
    client = OriginalClient(Client())
    assert client.login(user.email, _token(user, "other"))["code"] == 0
    return client


def _approve(learnware_id: int, reviewer: User) -> None:
    version = LearnwareVersion.objects.filter(learnware_id=learnware_id).latest(
        "number"
    )
    LearnwareVersion.objects.filter(id=version.id).update(status=Status.AWAITING_REVIEW)
    version.refresh_from_db()
    services.learnware_version_review(version=version, reviewer=reviewer, approve=True)


def test_original_client_flow_upload_list_info_download_update_delete(
    user: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    client = OriginalClient(Client())
    assert client.is_connected()
    token = _token(user)

    login = client.login(user.email, token)
    assert login == {"code": 0, "msg": "Login success.", "data": {"token": token}}

    added = client.upload_learnware(package_bytes, semantic_spec)
    assert added["code"] == 0, added
    learnware_id = added["data"]["learnware_id"]
    learnware = Learnware.objects.get()
    assert learnware_id == f"{learnware.id:08d}"
    assert learnware.versions.get().package_md5 == md5(package_bytes)
    assert not ChunkedUpload.objects.exists()  # staging cleaned up

    listed = client.post_json("/user/list_learnware", {"page": 0, "limit": 10000})
    body = listed.json()
    assert body["code"] == 0
    assert body["data"]["page"] == 0
    assert body["data"]["limit"] == 10000
    assert body["data"]["total_pages"] == 1
    [item] = body["data"]["learnware_list"]
    assert item["learnware_id"] == learnware_id
    assert item["verify_status"] == "WAITING"
    assert item["semantic_specification"]["Name"]["Values"] == "demo table classifier"
    assert item["last_modify"].endswith(" UTC")

    info = client.get("/engine/learnware_info", learnware_id=learnware_id).json()
    assert info["code"] == 0
    assert info["data"]["learnware_info"]["learnware_id"] == learnware_id
    assert info["data"]["learnware_info"]["user_id"] == user.id
    spec = info["data"]["learnware_info"]["semantic_specification"]
    assert spec["Task"]["Values"] == ["Classification"]

    download = client.get("/engine/download_learnware", learnware_id=learnware_id)
    assert download.status_code == 200
    assert int(download["Content-Length"]) == len(package_bytes)
    assert b"".join(download.streaming_content) == package_bytes

    renamed = {**semantic_spec, "Name": {"Type": "String", "Values": "renamed"}}
    updated = client.post_multipart(
        "/user/update_learnware",
        {
            "learnware_id": learnware_id,
            "semantic_specification": json.dumps(renamed),
            # requests.post(files={"learnware_file": None}) sends no part at all;
            # other clients send an empty one: both mean "keep the package".
            "learnware_file": SimpleUploadedFile("learnware_file", b""),
        },
    ).json()
    assert updated == {"code": 0, "msg": "success"}
    learnware.refresh_from_db()
    assert learnware.name == "renamed"  # unlisted: its owner sees the edit at once
    assert learnware.versions.count() == 2  # every edit is checked and reviewed

    deleted = client.post_json("/user/delete_learnware", {"learnware_id": learnware_id})
    assert deleted.json() == {"code": 0, "msg": "Delete success."}
    empty = client.post_json("/user/list_learnware", {"page": 0, "limit": 10000})
    assert empty.json()["data"]["learnware_list"] == []
    assert empty.json()["data"]["total_pages"] == 0

    assert client.post_json("/auth/logout").json() == {
        "code": 0,
        "msg": "Logout success.",
    }


def test_multi_chunk_upload_is_reassembled_and_verified(
    original: OriginalClient, big_package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    assert len(big_package_bytes) > 2 * CHUNK_SIZE

    results = original.upload_chunks(big_package_bytes)
    added = original.add_uploaded(md5(big_package_bytes), semantic_spec)

    assert [r["code"] for r in results] == [0, 0, 0]
    assert added["code"] == 0, added
    version = LearnwareVersion.objects.get()
    assert version.package_size == len(big_package_bytes)
    assert version.package.read() == big_package_bytes


def test_chunked_upload_is_resumable_out_of_order_and_with_resent_chunks(
    original: OriginalClient, big_package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    data, file_hash = big_package_bytes, md5(big_package_bytes)
    last = 2 * CHUNK_SIZE
    assert original.chunk(file_hash, last, data[last:])["code"] == 0
    assert original.chunk(file_hash, 0, b"garbage")["code"] == 0  # replaced below
    assert original.chunk(file_hash, 0, data[:CHUNK_SIZE])["code"] == 0

    # A gap: the add is refused but the staging is kept for the missing chunk.
    gap = original.add_uploaded(file_hash, semantic_spec)
    assert gap["code"] == 51
    assert "never received" in gap["msg"]
    assert original.chunk(file_hash, CHUNK_SIZE, data[CHUNK_SIZE:last])["code"] == 0

    added = original.add_uploaded(file_hash, semantic_spec)

    assert added["code"] == 0, added
    assert LearnwareVersion.objects.get().package.read() == data


def test_add_with_wrong_md5_is_refused_and_the_staging_discarded(
    original: OriginalClient, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    wrong_hash = "0" * 32
    assert original.chunk(wrong_hash, 0, package_bytes)["code"] == 0

    added = original.add_uploaded(wrong_hash, semantic_spec)

    assert added["code"] == 51
    assert "MD5" in added["msg"]
    assert not ChunkedUpload.objects.exists()
    assert not Learnware.objects.exists()


def test_bad_semantic_spec_is_41_and_keeps_the_staging_for_a_retry(
    original: OriginalClient, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    original.upload_chunks(package_bytes)
    bad = {**semantic_spec, "Data": {"Type": "Class", "Values": ["Sound"]}}

    refused = original.add_uploaded(md5(package_bytes), bad)
    retried = original.add_uploaded(md5(package_bytes), semantic_spec)

    assert refused["code"] == 41
    assert "Sound" in refused["msg"]
    assert retried["code"] == 0, retried


def test_staging_is_bound_to_the_uploading_user(
    original: OriginalClient,
    other_user: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    original.upload_chunks(package_bytes)

    stolen = _other(other_user).add_uploaded(md5(package_bytes), semantic_spec)

    assert stolen["code"] == 51
    assert "chunked_upload first" in stolen["msg"]
    assert not Learnware.objects.exists()


def test_chunks_beyond_the_package_limit_are_refused(
    original: OriginalClient, package_bytes: bytes, settings: Any
) -> None:
    settings.BMW_MAX_PACKAGE_BYTES = 4000

    result = original.chunk(md5(package_bytes), 0, package_bytes)
    late = original.chunk(md5(package_bytes), 3999, b"xy")

    assert result["code"] == 51
    assert "over the limit" in result["msg"]
    assert late["code"] == 51
    assert not ChunkedUpload.objects.filter(received_bytes__gt=0).exists()


def test_duplicate_package_first_chunk_is_51_and_add_is_61(
    original: OriginalClient,
    other_user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    # Staged by one user, then the same file becomes another user's listed learnware.
    original.upload_chunks(package_bytes)
    other = _other(other_user)
    uploaded = other.upload_learnware(package_bytes, semantic_spec)
    assert uploaded["code"] == 0
    _approve(int(uploaded["data"]["learnware_id"]), reviewer)

    first_chunk = original.chunk(md5(package_bytes), 0, package_bytes)
    added = original.add_uploaded(md5(package_bytes), semantic_spec)

    assert first_chunk["code"] == 51
    assert "already exists" in first_chunk["msg"]
    assert added["code"] == 61
    assert Learnware.objects.count() == 1


def test_a_copy_of_someones_unlisted_package_answers_as_a_new_one(
    original: OriginalClient,
    other_user: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    """Code 51/61 would confirm that someone's private package exists."""
    assert (
        _other(other_user).upload_learnware(package_bytes, semantic_spec)["code"] == 0
    )

    first_chunk = original.chunk(md5(package_bytes), 0, package_bytes)
    added = original.add_uploaded(md5(package_bytes), semantic_spec)

    assert first_chunk["code"] == 0
    assert added["code"] == 0
    assert Learnware.objects.count() == 2


def test_login_by_token_rejects_a_wrong_token_or_email_with_53(
    user: User, other_user: User
) -> None:
    token = _token(user)
    client = OriginalClient(Client())

    assert client.login(user.email, "bmw_00000000_" + "x" * 43)["code"] == 53
    assert client.login(other_user.email, token)["code"] == 53
    assert client.login("nobody@example.org", token)["code"] == 53
    assert client.login(user.email.upper(), token)["code"] == 0


def test_is_connected_probe_without_body_is_http_200_with_nonzero_code() -> None:
    response = OriginalClient(Client()).post_json("/auth/login_by_token")

    assert response.status_code == 200
    assert response.json()["code"] == 21


def test_missing_credentials_are_code_11_and_bad_ones_http_401(user: User) -> None:
    anonymous = OriginalClient(Client())
    forged = OriginalClient(Client(), {"Authorization": "Bearer not-a-token"})

    missing = anonymous.post_json("/user/list_learnware", {"page": 0, "limit": 10})
    bad = forged.post_json("/user/list_learnware", {"page": 0, "limit": 10})

    assert missing.status_code == 200
    assert missing.json() == {"code": 11, "msg": "Unauthorized access."}
    assert bad.status_code == 401
    assert bad.json()["code"] == 11


def test_non_owner_delete_is_41_and_unknown_ids_get_the_original_codes(
    original: OriginalClient,
    other_user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    learnware_id = original.upload_learnware(package_bytes, semantic_spec)["data"][
        "learnware_id"
    ]
    other = _other(other_user)
    hidden = other.post_json("/user/delete_learnware", {"learnware_id": learnware_id})
    _approve(int(learnware_id), reviewer)

    visible = other.post_json("/user/delete_learnware", {"learnware_id": learnware_id})

    assert hidden.json() == {"code": 51, "msg": "Learnware not exist."}
    assert visible.json() == {"code": 41, "msg": "You do not own this learnware."}
    assert Learnware.objects.filter(deleted_at__isnull=True).count() == 1

    unknown = "99999999"
    info = original.get("/engine/learnware_info", learnware_id=unknown)
    download = original.get("/engine/download_learnware", learnware_id=unknown)
    update = original.post_multipart(
        "/user/update_learnware",
        {"learnware_id": unknown, "semantic_specification": json.dumps(semantic_spec)},
    )
    delete = original.post_json("/user/delete_learnware", {"learnware_id": unknown})
    assert info.json() == {"code": 41, "msg": "Learnware not found."}
    assert download.status_code == 404
    assert download.json()["code"] == 41
    assert update.json() == {"code": 71, "msg": "Learnware id does not exist."}
    assert delete.json()["code"] == 51
    no_id = original.get("/engine/download_learnware")
    assert no_id.status_code == 400
    assert no_id.json()["code"] == 21


def test_approved_learnware_is_success_and_public_to_anonymous_callers(
    original: OriginalClient,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    learnware_id = original.upload_learnware(package_bytes, semantic_spec)["data"][
        "learnware_id"
    ]
    anonymous = OriginalClient(Client())
    assert (
        anonymous.get("/engine/learnware_info", learnware_id=learnware_id).json()[
            "code"
        ]
        == 41
    )
    _approve(int(learnware_id), reviewer)

    info = anonymous.get("/engine/learnware_info", learnware_id=learnware_id).json()
    download = anonymous.get("/engine/download_learnware", learnware_id=learnware_id)
    verified = original.post_json(
        "/user/list_learnware", {"page": 0, "limit": 10, "is_verified": True}
    ).json()

    assert info["data"]["learnware_info"]["verify_status"] == "SUCCESS"
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == package_bytes
    assert [i["learnware_id"] for i in verified["data"]["learnware_list"]] == [
        learnware_id
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.QUEUED, "WAITING"),
        (Status.CHECKING, "PROCESSING"),
        (Status.AWAITING_REVIEW, "QUEUE"),
        (Status.CHECK_FAILED, "FAIL"),
        (Status.REJECTED, "FAIL"),
    ],
)
def test_list_maps_version_status_to_the_original_verify_status(
    original: OriginalClient,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
    status: str,
    expected: str,
) -> None:
    original.upload_learnware(package_bytes, semantic_spec)
    LearnwareVersion.objects.update(status=status)

    body = original.post_json("/user/list_learnware", {"page": 0, "limit": 10}).json()

    assert body["data"]["learnware_list"][0]["verify_status"] == expected


def test_list_orders_failures_first_then_newest_and_pages(
    original: OriginalClient, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    ids = []
    for i in range(3):
        package = with_extra_file(package_bytes, "note.txt", f"v{i}".encode())
        ids.append(
            original.upload_learnware(package, semantic_spec)["data"]["learnware_id"]
        )
    LearnwareVersion.objects.filter(learnware_id=int(ids[0])).update(
        status=Status.CHECK_FAILED
    )

    first = original.post_json("/user/list_learnware", {"page": 0, "limit": 2}).json()
    second = original.post_json("/user/list_learnware", {"page": 1, "limit": 2}).json()

    listed = [i["learnware_id"] for i in first["data"]["learnware_list"]]
    listed += [i["learnware_id"] for i in second["data"]["learnware_list"]]
    assert listed == [ids[0], ids[2], ids[1]]
    assert first["data"]["total_pages"] == 2
    missing = original.post_json("/user/list_learnware", {"page": 0})
    assert missing.json()["code"] == 21


def test_update_with_a_new_file_makes_a_new_version(
    original: OriginalClient, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> None:
    learnware_id = original.upload_learnware(package_bytes, semantic_spec)["data"][
        "learnware_id"
    ]
    new_package = with_extra_file(package_bytes, "CHANGES.txt", b"v2")

    updated = original.post_multipart(
        "/user/update_learnware",
        {
            "learnware_id": learnware_id,
            "semantic_specification": json.dumps(semantic_spec),
            "learnware_file": SimpleUploadedFile("lw.zip", new_package),
        },
    ).json()
    bad_spec = original.post_multipart(
        "/user/update_learnware",
        {"learnware_id": learnware_id, "semantic_specification": "{not json"},
    ).json()

    assert updated == {"code": 0, "msg": "success"}
    newest = LearnwareVersion.objects.latest("number")
    assert newest.number == 2
    assert newest.package.read() == new_package
    assert bad_spec["code"] == 41


def test_update_of_someone_elses_learnware_is_31(
    original: OriginalClient,
    other_user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> None:
    learnware_id = original.upload_learnware(package_bytes, semantic_spec)["data"][
        "learnware_id"
    ]
    _approve(int(learnware_id), reviewer)

    result = _other(other_user).post_multipart(
        "/user/update_learnware",
        {
            "learnware_id": learnware_id,
            "semantic_specification": json.dumps(semantic_spec),
        },
    )

    assert result.json()["code"] == 31


def test_semantic_specification_and_search_answers(original: OriginalClient) -> None:
    anonymous = OriginalClient(Client())

    config = anonymous.get("/engine/semantic_specification").json()
    search = original.post_multipart(
        "/engine/search_learnware",
        {"semantic_specification": "{}", "limit": 10, "page": 0},
    )

    assert config["code"] == 0
    values = config["data"]["semantic_specification"]
    assert "Classification" in values["Task"]["Values"]
    assert values["Data"]["Type"] == "Class"
    assert search.status_code == 200
    body = search.json()
    assert body["code"] == 0  # nothing approved yet: an empty, well-formed answer
    assert body["data"]["learnware_list_single"] == []
    assert body["data"]["learnware_list_multi"] == []
    assert body["data"]["is_hetero"] is False
    assert body["data"]["total_pages"] == 0
    zero = original.post_multipart(
        "/engine/search_learnware", {"semantic_specification": "{}", "limit": 0}
    )
    assert zero.json()["code"] == 52


def test_api_v1_keeps_its_own_error_shape(user: User) -> None:
    response = Client().get(
        "/api/learnwares/99999/", headers={"Authorization": f"Bearer {_token(user)}"}
    )

    assert response.status_code == 404
    assert set(response.json()) == {"message", "extra"}
