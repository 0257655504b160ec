"""TAB-HOMO end to end through the HTTP API on a live dock (gunicorn and a real Celery
worker on the test database): flights learnwares uploaded with the client, checked in
the sandbox, approved through the review endpoint, searched with users' locally built
RKMEs, the top-1 deployed with ``Client.load``. The same steps as
``benchmarks.markets_api`` (:mod:`learnware_core.scenarios.api_steps`), on 4 groups."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.linear_model import Ridge

from accounts.models import User
from accounts.services import api_token_create
from learnware_core.client import Client
from learnware_core.scenarios import ScenarioDataMissing, flights
from learnware_core.scenarios.api_steps import flight_packages, publish, serve_user
from learnware_core.scenarios.demo import DemoLearnware
from learnware_core.specification.rkme import RKMETableSpecification

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
CHECK_TIMEOUT = 300.0
TEST_CACHE = Path(tempfile.gettempdir()) / "bmw-test-envs"
EVERY = 8  # groups 0, 8, 16, 24 of the 26: EWR/AA, JFK/9E, LGA/9E, LGA/US


@dataclass(frozen=True)
class Group:
    name: str
    package: DemoLearnware
    model: Any  # the library's model: Ridge on months 1-9
    X_user: np.ndarray  # months 10-12, scaled
    spec: RKMETableSpecification  # the user's RKME, built locally


@pytest.fixture(scope="module")
def groups(tmp_path_factory: pytest.TempPathFactory) -> list[Group]:
    try:
        found = flights.groups(with_target=True)[::EVERY]
        packages = flight_packages(tmp_path_factory.mktemp("flight-packages"))
    except ScenarioDataMissing as exc:
        pytest.skip(str(exc))
    out = []
    for (origin, carrier), rows in found:
        train, user = rows[rows.month <= 9], rows[rows.month >= 10]
        y = train[flights.TARGET].to_numpy(dtype=float)
        X_user = flights.matrix(user)
        out.append(
            Group(
                name=f"{origin}/{carrier}",
                package=packages[f"{origin}/{carrier}"],
                model=Ridge(alpha=1.0).fit(flights.matrix(train), y),
                X_user=X_user,
                spec=RKMETableSpecification(gamma=flights.GAMMA, random_state=1).fit(
                    X_user
                ),
            )
        )
    return out


@pytest.mark.timeout(1200)
def test_flights_market_uploaded_approved_searched_and_deployed_over_http(
    groups: list[Group], dock: str, user: User, reviewer: User, tmp_path: Path
) -> None:
    developer = Client(dock, token=api_token_create(user=user, name="flights").token)
    admin = Client(dock, token=api_token_create(user=reviewer, name="review").token)

    published = {
        g.name: publish(
            developer,
            admin,
            g.package.package,
            g.package.semantic,
            timeout=CHECK_TIMEOUT,
        )
        for g in groups
    }

    assert {p.status for p in published.values()} == {"approved"}
    ids = {p.learnware_id: name for name, p in published.items()}
    assert {lw["id"] for lw in developer.list(mine=False)} == set(ids)
    for g in groups:
        served = serve_user(
            developer, g.spec, g.X_user, dest=tmp_path / "lws", cache_dir=TEST_CACHE
        )
        assert ids[served.top1] == g.name, (g.name, [ids[i] for i in served.ranked])
        assert served.predictions.shape == (g.X_user.shape[0],)
        assert np.allclose(served.predictions, g.model.predict(g.X_user))
        if served.multiple is not None:
            assert published[g.name].learnware_id in served.multiple, (
                g.name,
                [ids[i] for i in served.multiple],
            )
