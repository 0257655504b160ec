"""Deploy bundles through the HTTP API: contents, visibility, validation, and the
bundle itself running offline (``python run.py input.csv``) from its zips."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from market import services
from market.bundles import MAX_LEARNWARES
from market.models import Learnware, LearnwareVersion
from tests.conftest import REPO, SHARED
from tests.market.conftest import rezip

pytestmark = pytest.mark.django_db

# The environment cache the checks and deploy tests share (built once per machine).
TEST_CACHE = Path(os.environ.get("BMW_TEST_ENV_CACHE", "/tmp/bmw-test-envs"))
DATA = SHARED / "fixtures" / "official" / "rkme_table" / "data_0.npy"
RUN_TIMEOUT = 300.0
# run.py must not need the dock's own packages, nor the heavy optional ones.
NOT_IN_REQUIREMENTS = (
    "django",
    "rest_framework",
    "celery",
    "requests",
    "pandas",
    "pyarrow",
    "torch",
    "sentence_transformers",
    "tqdm",
)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _learnware(
    owner: User,
    reviewer: User,
    package: bytes,
    semantic_spec: dict[str, Any],
    *,
    approve: bool = True,
) -> Learnware:
    """A learnware whose checks passed (what the check worker records), approved."""
    learnware = services.learnware_create(
        owner=owner,
        semantic_spec=semantic_spec,
        package=SimpleUploadedFile("lw.zip", package, "application/zip"),
    )
    version = learnware.versions.get()
    LearnwareVersion.objects.filter(id=version.id).update(
        status=LearnwareVersion.Status.AWAITING_REVIEW
    )
    version.refresh_from_db()
    if approve:
        services.learnware_version_review(
            version=version, reviewer=reviewer, approve=True
        )
    learnware.refresh_from_db()
    return learnware


@pytest.fixture
def approved(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> Learnware:
    return _learnware(user, reviewer, package_bytes, semantic_spec)


@pytest.fixture
def second(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> Learnware:
    """The same model under another hash: a second approved learnware."""
    package = rezip(package_bytes, extra={"NOTES.md": b"second"})
    return _learnware(user, reviewer, package, semantic_spec)


@pytest.fixture
def awaiting(
    user: User, reviewer: User, package_bytes: bytes, semantic_spec: dict[str, Any]
) -> Learnware:
    package = rezip(package_bytes, extra={"NOTES.md": b"awaiting"})
    return _learnware(user, reviewer, package, semantic_spec, approve=False)


def _zip(response: Any) -> zipfile.ZipFile:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content)  # the test client closes it then
    assert int(response["Content-Length"]) == len(body)
    return zipfile.ZipFile(io.BytesIO(body))


def _post(client: Client, body: Any) -> Any:
    return client.post("/api/bundles/", body, content_type="application/json")


def _run(bundle: zipfile.ZipFile, folder: Path, rows: int) -> np.ndarray:
    """Extract the bundle, write ``rows`` input rows as CSV (with a header) and run
    ``python run.py input.csv`` there, without the dock's packages importable."""
    bundle.extractall(folder)
    X = np.load(DATA)[:rows]
    header = ",".join(f"f{i}" for i in range(X.shape[1]))
    np.savetxt(folder / "input.csv", X, delimiter=",", header=header, comments="")
    launcher = (
        "import importlib.abc, os, runpy, sys\n"
        "class Blocked(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {NOT_IN_REQUIREMENTS!r}:\n"
        "            raise ImportError(f'{name} is not in requirements.txt')\n"
        "sys.meta_path.insert(0, Blocked())\n"
        "sys.path.insert(0, os.getcwd())\n"
        "import learnware_core\n"
        "assert learnware_core.__file__.startswith(os.getcwd()), 'not the copy'\n"
        "sys.argv = ['run.py', 'input.csv', '-o', 'out.csv']\n"
        "runpy.run_path('run.py', run_name='__main__')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(BMW_CACHE_DIR=str(TEST_CACHE), HOME=str(folder / "home"))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", launcher],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Wrote out.csv" in done.stderr
    lines = (folder / "out.csv").read_text().splitlines()
    assert lines[0] == "y0,y1,y2"  # the official model answers class probabilities
    return np.loadtxt(folder / "out.csv", delimiter=",", skiprows=1, ndmin=2)


# ------------------------------------------------------------------ contents
def test_single_bundle_holds_package_library_requirements_and_script(
    approved: Learnware, package_bytes: bytes
) -> None:
    bundle = _zip(Client().get(f"/api/learnwares/{approved.id}/bundle/"))

    names = set(bundle.namelist())
    assert bundle.read(f"learnwares/{approved.id}.zip") == package_bytes
    assert bundle.getinfo(f"learnwares/{approved.id}.zip").compress_type == 0
    library = REPO / "learnware_core"
    for module in (
        "__init__.py",
        "runtime/deployed.py",
        "runtime/guest/worker.py",
        "reuse/job_selector.py",
    ):
        assert (
            bundle.read(f"learnware_core/{module}") == (library / module).read_bytes()
        )
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert bundle.read("run.py") == (REPO / "market/bundles/files/run.py").read_bytes()
    requirements = bundle.read("requirements.txt").decode().split()
    assert {r.split(">=")[0] for r in requirements} == {
        "numpy",
        "scipy",
        "scikit-learn",
        "pyyaml",
        "packaging",
        "uv",
    }
    readme = bundle.read("README.md").decode()
    assert "pip install -r requirements.txt" in readme
    assert "python run.py input.csv" in readme
    config = json.loads(bundle.read("bundle.json"))
    assert [lw["id"] for lw in config["learnwares"]] == [approved.id]
    assert config["learnwares"][0]["file"] == f"learnwares/{approved.id}.zip"
    assert config["reuser"] is None
    approved.refresh_from_db()
    assert approved.downloads == 1


def test_multiple_bundle_keeps_order_weights_and_counts_downloads(
    approved: Learnware, second: Learnware
) -> None:
    ids = [second.id, approved.id]
    bundle = _zip(_post(Client(), {"learnware_ids": ids, "weights": [3, 1]}))

    config = json.loads(bundle.read("bundle.json"))
    assert [lw["id"] for lw in config["learnwares"]] == ids
    assert config["weights"] == [3.0, 1.0]
    assert config["reuser"] == "job_selector"  # table learnwares with weights
    assert config["mode"] == "vote_by_label"  # classifiers
    assert {f"learnwares/{i}.zip" for i in ids} <= set(bundle.namelist())
    assert "JobSelectorReuser" in bundle.read("README.md").decode()
    no_weights = _zip(_post(Client(), {"learnware_ids": ids}))
    assert json.loads(no_weights.read("bundle.json"))["reuser"] == "averaging"
    counts = dict(Learnware.objects.filter(id__in=ids).values_list("id", "downloads"))
    assert counts == {approved.id: 2, second.id: 2}


# ------------------------------------------------------------------ running
def test_single_bundle_runs_offline(approved: Learnware, tmp_path: Path) -> None:
    bundle = _zip(Client().get(f"/api/learnwares/{approved.id}/bundle/"))

    y = _run(bundle, tmp_path / "bundle", rows=30)

    assert y.shape == (30, 3)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-6)


def test_multiple_bundle_runs_offline_with_job_selector(
    approved: Learnware, second: Learnware, tmp_path: Path
) -> None:
    body = {"learnware_ids": [approved.id, second.id], "weights": [0.6, 0.4]}
    bundle = _zip(_post(Client(), body))

    y = _run(bundle, tmp_path / "bundle", rows=40)

    assert y.shape == (40, 3)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-6)


def test_run_script_reads_csv_with_and_without_header(tmp_path: Path) -> None:
    from market.bundles.files import run

    (tmp_path / "a.csv").write_text("age,income\n1,2.5\n3,\n")
    (tmp_path / "b.csv").write_text("1,2.5\n3,4\n")
    a = run.read_table(tmp_path / "a.csv")
    assert a.shape == (2, 2)
    assert np.isnan(a[1, 1])
    assert run.read_table(tmp_path / "b.csv").tolist() == [[1.0, 2.5], [3.0, 4.0]]
    (tmp_path / "c.csv").write_text("1,2\n3,x\n")
    with pytest.raises(SystemExit, match="row 2 is not numeric"):
        run.read_table(tmp_path / "c.csv")
    assert run.predictions_csv(np.array([1, 0])).splitlines() == [
        "prediction",
        "1",
        "0",
    ]


# ------------------------------------------------------------------ visibility
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 404), ("owner", 200), ("other_user", 404), ("admin", 200)],
)
def test_unapproved_learnware_bundle_only_for_owner_and_staff(
    awaiting: Learnware,
    user: User,
    other_user: User,
    admin: User,
    persona: str,
    expected: int,
) -> None:
    client = Client()
    actor = {"owner": user, "other_user": other_user, "admin": admin}.get(persona)
    if actor is not None:
        client.force_login(actor)

    response = client.get(f"/api/learnwares/{awaiting.id}/bundle/")

    assert response.status_code == expected
    if expected == 404:
        assert response.json()["message"] == f"learnware {awaiting.id} not found"
    response.close()


def test_deleted_or_unknown_learnware_bundle_is_404(
    approved: Learnware, user: User
) -> None:
    services.learnware_delete(learnware=approved, by=user)
    client = Client()
    assert client.get(f"/api/learnwares/{approved.id}/bundle/").status_code == 404
    assert client.get("/api/learnwares/999999/bundle/").status_code == 404
    response = _post(client, {"learnware_ids": [approved.id]})
    assert response.status_code == 404
    assert response.json()["extra"] == {"learnware_ids": [approved.id]}


def test_multiple_bundle_refuses_invisible_and_unapproved(
    approved: Learnware, awaiting: Learnware, user: User, other_user: User
) -> None:
    body = {"learnware_ids": [approved.id, awaiting.id]}
    client = Client()
    client.force_login(other_user)  # cannot see the unapproved one
    response = _post(client, body)
    assert response.status_code == 404
    assert str(awaiting.id) in response.json()["message"]

    client.force_login(user)  # its owner sees it, but it is not approved
    response = _post(client, body)
    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {
        "learnware_ids": [f"not approved: {awaiting.id}"]
    }
    approved.refresh_from_db()
    assert approved.downloads == 0


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "learnware_ids"),
        ({"learnware_ids": []}, "learnware_ids"),
        ({"learnware_ids": list(range(1, MAX_LEARNWARES + 2))}, "learnware_ids"),
        ({"learnware_ids": ["x"]}, "learnware_ids"),
        ({"learnware_ids": "1"}, "learnware_ids"),
        ({"learnware_ids": [1, 1]}, "learnware_ids"),
        ({"learnware_ids": [1, 2], "weights": [1.0]}, "weights"),
        ({"learnware_ids": [1, 2], "weights": [1.0, -0.5]}, "weights"),
        ({"learnware_ids": [1, 2], "weights": [0, 0]}, "weights"),
        ({"learnware_ids": [1, 2], "weights": ["a", 1]}, "weights"),
    ],
)
def test_bad_bundle_request_is_400_naming_the_field(
    approved: Learnware, body: dict[str, Any], field: str
) -> None:
    response = _post(Client(), body)

    assert response.status_code == 400, response.content
    payload = response.json()
    assert set(payload["extra"]["fields"]) == {field}
    assert payload["message"].startswith(f"Invalid input: {field}")
    approved.refresh_from_db()
    assert approved.downloads == 0
