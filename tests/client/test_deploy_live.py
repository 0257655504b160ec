"""``Client.load`` and ``bmw deploy`` against a live dock: gunicorn and a real Celery
worker on the test database; the learnware then runs here, sandboxed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from accounts.models import User
from accounts.services import api_token_create
from learnware_core.client import Client
from learnware_core.runtime import sandbox_available
from market import services
from market.models import LearnwareVersion
from tests.conftest import OFFICIAL_ZIP, REPO, SHARED, TABLE_SPEC

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not sandbox_available(), reason="bubblewrap is unusable here"),
]
CHECK_TIMEOUT = 300.0
TEST_CACHE = Path(tempfile.gettempdir()) / "bmw-test-envs"
DATA = SHARED / "fixtures" / "official" / "rkme_table" / "data_0.npy"


@pytest.fixture
def approved(dock: str, user: User, reviewer: User) -> tuple[Client, int]:
    """A signed-in client and the official learnware, checked and approved."""
    client = Client(dock, token=api_token_create(user=user, name="deploy").token)
    spec = json.loads(TABLE_SPEC.read_text())
    result = client.upload(
        OFFICIAL_ZIP, spec, wait=True, progress=False, timeout=CHECK_TIMEOUT
    )
    assert result.status == "awaiting_review", result.version
    services.learnware_version_review(
        version=LearnwareVersion.objects.get(pk=result.version_id),
        reviewer=reviewer,
        approve=True,
    )
    return client, result.learnware_id


def test_client_load_runs_the_official_learnware_here(
    approved: tuple[Client, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, learnware_id = approved
    X = np.load(DATA)[:25]
    assert X.shape[1] == 6

    [lw] = client.load(
        [learnware_id], dest=tmp_path / "lws", cache_dir=TEST_CACHE, progress=False
    )
    with lw:
        y = lw.predict(X)
        assert lw.sandboxed
        assert lw.spec is not None
    assert y.shape == (25, 3)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-6)
    [folder] = (tmp_path / "lws").iterdir()
    assert folder.name.startswith(f"{learnware_id}-")

    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("the package should come from the cache")

    monkeypatch.setattr(Client, "download", no_download)
    [again] = client.load(
        learnware_id, dest=tmp_path / "lws", cache_dir=TEST_CACHE, progress=False
    )
    with again:
        np.testing.assert_allclose(again.predict(X), y)
        assert again.environment == lw.environment


def test_cli_deploy_writes_predictions(
    approved: tuple[Client, int], tmp_path: Path
) -> None:
    client, learnware_id = approved
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("XDG_CONFIG_HOME",) and not k.startswith("PYTEST_")
    }
    env.update(
        HOME=str(tmp_path / "home"),
        BMW_URL=client.base_url,
        BMW_TOKEN=str(client.token),
        BMW_CACHE_DIR=str(TEST_CACHE),
    )
    out = tmp_path / "predictions.csv"
    args = ["deploy", str(learnware_id), str(learnware_id), "--predict", str(DATA)]
    done = subprocess.run(
        [sys.executable, "-m", "learnware_core.cli", *args, "-o", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "sandboxed" in done.stderr
    assert f"Wrote {out}" in done.stderr
    lines = out.read_text().splitlines()
    assert lines[0] == "y0,y1,y2"
    rows = np.loadtxt(out, delimiter=",", skiprows=1)
    assert rows.shape == (np.load(DATA).shape[0], 3)
    np.testing.assert_allclose(rows.sum(axis=1), 1.0, rtol=1e-6)
