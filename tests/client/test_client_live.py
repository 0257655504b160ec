"""The Python client, the ``bmw`` CLI and the original client's requests against a
live dock: gunicorn and a real Celery worker on the test database."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import requests

from accounts.models import User
from accounts.services import api_token_create
from learnware_core.client import Client, ClientError
from tests.conftest import OFFICIAL_ZIP, REPO, TABLE_SPEC

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
CHECK_TIMEOUT = 300.0


@pytest.fixture
def spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TABLE_SPEC.read_text())
    return data


def _broken(package: bytes) -> bytes:
    """The official package whose model fails to load (a worker-side check fails)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("__init__.py"):
                data = b"raise RuntimeError('this model does not load')\n"
            dst.writestr(item, data)
    return out.getvalue()


def test_python_client_uploads_waits_lists_downloads_updates_and_deletes(
    dock: str, user: User, tmp_path: Path, spec: dict[str, Any]
) -> None:
    token = api_token_create(user=user, name="client").token
    client = Client(dock)
    assert client.token is None
    with pytest.raises(ClientError) as bad_login:
        client.login("bmw_00000000_" + "x" * 43)
    assert bad_login.value.status == 401

    assert client.login(token)["email"] == user.email
    finished: list[dict[str, Any]] = []
    result = client.upload(
        OFFICIAL_ZIP,
        spec,
        wait=True,
        progress=False,
        timeout=CHECK_TIMEOUT,
        on_step=finished.append,
    )

    assert result.status == "awaiting_review", result.version
    assert result.checks_passed
    assert [s["name"] for s in finished] == [
        s["name"] for s in result.version["check_steps"]
    ]
    assert {s["status"] for s in finished} == {"passed"}
    assert [lw["id"] for lw in client.list()] == [result.learnware_id]
    assert client.list(mine=False) == []  # not approved yet
    assert client.status(result.version_id)["status"] == "awaiting_review"

    path = client.download(result.learnware_id, tmp_path, progress=False)
    assert path.read_bytes() == OFFICIAL_ZIP.read_bytes()

    renamed = {**spec, "Name": {"Type": "String", "Values": "renamed by client"}}
    edit = client.update(result.learnware_id, renamed)  # a version, checked, reviewed
    assert edit["semantic_spec"]["Name"]["Values"] == "renamed by client"
    assert edit["number"] == 2

    with pytest.raises(ClientError) as duplicate:
        client.upload(OFFICIAL_ZIP, spec, progress=False)
    assert duplicate.value.status == 409
    assert duplicate.value.extra["learnware_id"] == result.learnware_id
    assert "Classification" in client.semantic_vocabularies()["task_types"]

    client.delete(result.learnware_id)
    assert client.list() == []
    with pytest.raises(ClientError) as gone:
        client.download(result.learnware_id, tmp_path / "gone.zip", progress=False)
    assert gone.value.status == 404
    assert "not found" in gone.value.message
    assert not (tmp_path / "gone.zip").exists()


def _bmw(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BMW_TOKEN", "BMW_URL", "XDG_CONFIG_HOME")
        and not k.startswith("PYTEST_")
    }
    env["HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "learnware_core.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT + 60,
        check=False,
    )


def test_cli_login_upload_wait_ls_status_download_rm(
    dock: str, user: User, tmp_path: Path
) -> None:
    token = api_token_create(user=user, name="cli").token
    home = tmp_path / "home"
    home.mkdir()

    login = _bmw(home, "login", "--url", dock, "--token", token)
    assert login.returncode == 0, login.stderr
    assert f"Logged in to {dock} as {user.email}" in login.stdout
    saved = home / ".config" / "bmw" / "credentials"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert json.loads(saved.read_text()) == {"url": dock, "token": token}

    upload = _bmw(
        home, "upload", str(OFFICIAL_ZIP), "--semantic", str(TABLE_SPEC), "--wait"
    )
    assert upload.returncode == 0, upload.stdout + upload.stderr
    assert "Uploaded learnware " in upload.stdout
    assert "model_predicts" in upload.stdout
    assert "Checks passed" in upload.stdout
    version_id = int(upload.stdout.split("(version ")[1].split(",")[0])
    learnware_id = int(upload.stdout.split("Uploaded learnware ")[1].split(" ")[0])

    listed = _bmw(home, "ls", "--json")
    assert listed.returncode == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert row["id"] == learnware_id
    assert row["version_id"] == version_id
    assert row["status"] == "awaiting_review"
    table = _bmw(home, "ls")
    assert "awaiting_review" in table.stdout
    assert "demo table classifier" in table.stdout

    status = _bmw(home, "status", str(version_id))
    assert status.returncode == 0, status.stderr
    assert "awaiting_review" in status.stdout
    assert "format" in status.stdout

    out = tmp_path / "downloaded.zip"
    download = _bmw(home, "download", str(learnware_id), "-o", str(out))
    assert download.returncode == 0, download.stderr
    assert out.read_bytes() == OFFICIAL_ZIP.read_bytes()

    missing = _bmw(home, "download", "99999999")
    assert missing.returncode == 2
    assert missing.stderr.startswith("bmw: error: ")
    assert "not found (HTTP 404)" in missing.stderr

    rm = _bmw(home, "rm", str(learnware_id), "--yes")
    assert rm.returncode == 0, rm.stderr
    assert f"Deleted learnware {learnware_id}" in rm.stdout
    assert "You have no learnwares yet." in _bmw(home, "ls").stdout


def test_cli_upload_wait_exits_1_when_a_check_fails(
    dock: str, user: User, tmp_path: Path
) -> None:
    token = api_token_create(user=user, name="cli").token
    home = tmp_path / "home"
    home.mkdir()
    package = tmp_path / "broken.zip"
    package.write_bytes(_broken(OFFICIAL_ZIP.read_bytes()))
    assert _bmw(home, "login", "--url", dock, "--token", token).returncode == 0

    upload = _bmw(home, "upload", str(package), "--semantic", str(TABLE_SPEC), "--wait")

    assert upload.returncode == 1, upload.stdout + upload.stderr
    assert "check_failed" in upload.stdout
    assert "model_loads" in upload.stdout


def test_original_client_requests_over_http(
    dock: str, user: User, tmp_path: Path, spec: dict[str, Any]
) -> None:
    """The original client's exact ``requests`` calls, against the compat API."""
    host = f"{dock}/api/compat/v1"
    token = api_token_create(user=user, name="original").token
    assert requests.post(f"{host}/auth/login_by_token", timeout=30).status_code != 404
    login = requests.post(
        f"{host}/auth/login_by_token",
        json={"email": user.email, "token": token},
        timeout=30,
    ).json()
    headers = {"Authorization": f"Bearer {login['data']['token']}"}
    data = OFFICIAL_ZIP.read_bytes()
    file_hash = hashlib.md5(data, usedforsecurity=False).hexdigest()

    chunked = requests.post(
        f"{host}/user/chunked_upload",
        files={"chunk_file": data},
        data={"file_hash": file_hash, "chunk_begin": 0},
        headers=headers,
        timeout=30,
    ).json()
    added = requests.post(
        f"{host}/user/add_learnware_uploaded",
        json={"file_hash": file_hash, "semantic_specification": json.dumps(spec)},
        headers=headers,
        timeout=30,
    ).json()
    learnware_id = added["data"]["learnware_id"]
    listed = requests.post(
        f"{host}/user/list_learnware",
        json={"page": 0, "limit": 10000},
        headers=headers,
        timeout=30,
    ).json()
    download = requests.get(
        f"{host}/engine/download_learnware",
        params={"learnware_id": learnware_id},
        headers=headers,
        stream=True,
        timeout=30,
    )
    updated = requests.post(
        f"{host}/user/update_learnware",
        files={"learnware_file": None},  # type: ignore[arg-type]  # as the original
        data={"learnware_id": learnware_id, "semantic_specification": json.dumps(spec)},
        headers=headers,
        timeout=30,
    ).json()
    deleted = requests.post(
        f"{host}/user/delete_learnware",
        json={"learnware_id": learnware_id},
        headers=headers,
        timeout=30,
    ).json()

    assert chunked["code"] == 0, chunked
    assert added["code"] == 0, added
    assert [i["learnware_id"] for i in listed["data"]["learnware_list"]] == [
        learnware_id
    ]
    assert download.status_code == 200
    assert int(download.headers["Content-Length"]) == len(data)
    assert b"".join(download.iter_content(chunk_size=1024 * 1024)) == data
    assert updated == {"code": 0, "msg": "success"}
    assert deleted == {"code": 0, "msg": "Delete success."}


def test_client_and_cli_search_with_a_locally_built_rkme(
    dock: str, user: User, reviewer: User, tmp_path: Path, spec: dict[str, Any]
) -> None:
    import numpy as np

    from learnware_core.specification.rkme import RKMETableSpecification
    from market import services
    from market.models import LearnwareVersion

    token = api_token_create(user=user, name="search").token
    client = Client(dock, token=token)
    result = client.upload(OFFICIAL_ZIP, spec, wait=True, progress=False)
    services.learnware_version_review(
        version=LearnwareVersion.objects.get(id=result.version_id),
        reviewer=reviewer,
        approve=True,
    )
    fixture = OFFICIAL_ZIP.parents[1] / "rkme_table" / "data_0.npy"
    mine = RKMETableSpecification(n_points=20, random_state=0).fit(np.load(fixture))

    found = client.search(stat_spec=mine, data_type="Table")

    assert [hit["learnware"]["id"] for hit in found["results"]] == [result.learnware_id]
    assert 0 < found["results"][0]["score"] <= 1
    assert found["results"][0]["mmd2"] >= 0
    home = tmp_path / "home"
    login = _bmw(home, "login", "--url", dock, "--token", token)
    assert login.returncode == 0, login.stderr
    cli = _bmw(home, "search", "--table", str(fixture), "--json")
    assert cli.returncode == 0, cli.stderr
    hits = json.loads(cli.stdout)["results"]
    assert hits[0]["learnware"]["id"] == result.learnware_id


def test_client_searches_the_specification_world_with_other_columns(
    dock: str,
    user: User,
    reviewer: User,
    admin: User,
    spec: dict[str, Any],
    settings: Any,
    celery_worker_process: dict[str, Any],
    tmp_path: Path,
) -> None:
    """Two table learnwares of different feature spaces, an engine trained on them;
    a user with part of one's columns finds it on its island, and through the
    specification world when asking for it, with the client and the CLI."""
    import numpy as np

    # learnwares are published and the engine trained in this process: store
    # their files where the dock and its worker read them
    settings.MEDIA_ROOT = celery_worker_process["BMW_MEDIA_ROOT"]

    from learnware_core.specification.rkme import RKMETableSpecification
    from market import world
    from tests.market.conftest import (
        client_for,
        publish_unchecked,
        table_package,
        table_spec,
    )

    spaces = {
        "weather": (["temperature", "relative humidity", "wind speed"], 3.0),
        "loans": (["loan amount", "annual income", "loan duration", "age"], -2.0),
    }
    ids = {}
    for seed, (name, (columns, mean)) in enumerate(spaces.items()):
        X = np.random.default_rng(seed).normal(mean, size=(80, len(columns)))
        package = table_package(OFFICIAL_ZIP.read_bytes(), X)
        ids[name] = publish_unchecked(
            client_for(user),
            client_for(reviewer),
            package,
            table_spec(spec, name, columns),
        )
    version = world.train_engine_version(triggered_by=admin)
    assert version.state == "active", version.error
    columns = ["temperature", "wind speed"]  # a feature space no learnware has
    X = np.random.default_rng(7).normal(3.0, size=(80, 2))
    mine = RKMETableSpecification(n_points=10, random_state=0).fit(X)
    client = Client(dock, token=api_token_create(user=user, name="world").token)

    described = {"0": columns[0], "1": columns[1]}

    # Two of the weather island's three columns: found on that island, with the
    # column the user lacks named; the world when asked for.
    found = client.search(stat_spec=mine, input_descriptions=described)
    world_found = client.search(
        stat_spec=mine, input_descriptions=described, hetero=True
    )

    assert found["heterogeneous"] is False
    best = found["results"][0]
    assert best["learnware"]["id"] == ids["weather"]
    assert best["missing_columns"] == [1]  # relative humidity
    assert best["confidence"] is not None
    assert world_found["heterogeneous"] is True
    assert world_found["engine_version"] == version.version
    assert world_found["results"][0]["learnware"]["id"] == ids["weather"]
    # the engine itself, to map the user's rows for reuse on their machine
    engine = client.world_engine()
    assert engine.version == version.version
    assert engine.embed(X, columns).shape == (80, engine.dim)
    with pytest.raises(ClientError) as missing:
        client.world_engine("w-000000000000")
    assert missing.value.status == 404
    with pytest.raises(ClientError) as bad:
        client.search(stat_spec=mine, input_descriptions={"0": "one column only"})
    assert bad.value.status == 400
    # the CLI: the CSV header names the columns
    table = tmp_path / "mine.csv"
    np.savetxt(table, X, delimiter=",", header=",".join(columns), comments="")
    home = tmp_path / "home"
    login = _bmw(home, "login", "--url", dock, "--token", client.token or "")
    assert login.returncode == 0, login.stderr
    cli = _bmw(home, "search", "--table", str(table), "--describe", "header", "--json")
    assert cli.returncode == 0, cli.stderr
    answer = json.loads(cli.stdout)
    assert answer["results"][0]["learnware"]["id"] == ids["weather"]
