"""Island search through the API (issue 21): columns located by meaning, the
dock's kernel (any gamma), a confidence per result, "no good match" otherwise.

Learnwares are described the way their developers would (raw units, their own
words); users describe their columns in other words, in another order, fitted
with another gamma. Real web API, database, broker and search worker.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from learnware_core.specification.rkme import RKMETableSpecification
from tests.market.conftest import (
    client_for,
    publish_unchecked,
    table_package,
    table_spec,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

HOUSES = ["living area in square feet", "year built", "number of bedrooms"]
WEATHER = ["air temperature (celsius)", "relative humidity %", "wind speed m/s"]


@pytest.fixture(autouse=True)
def _shared_media(settings: Any, celery_worker_process: dict[str, Any]) -> None:
    settings.MEDIA_ROOT = celery_worker_process["BMW_MEDIA_ROOT"]
    settings.BMW_SEARCH_TIMEOUT_S = 90  # a loaded CI machine may still be warming up


def _houses(n: int, seed: int, *, newer: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    year = rng.normal(2005 if newer else 1960, 8, n)
    return np.column_stack(
        [rng.lognormal(7.4, 0.3, n), year, rng.integers(1, 6, n).astype(float)]
    )


def _weather(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack(
        [rng.normal(12, 8, n), rng.uniform(20, 100, n), rng.gamma(2, 2.5, n)]
    )


@pytest.fixture
def market(
    user: User,
    reviewer: User,
    package_bytes: bytes,
    semantic_spec: dict[str, Any],
) -> dict[str, int]:
    owner, staff = client_for(user), client_for(reviewer)
    made = {
        "old houses": (_houses(400, 1), HOUSES),
        "new houses": (_houses(400, 2, newer=True), HOUSES),
        "weather": (_weather(400, 3), WEATHER),
    }
    return {
        name: publish_unchecked(
            owner,
            staff,
            table_package(package_bytes, X, n_points=20),
            table_spec(semantic_spec, f"{name} classifier", columns),
        )
        for name, (X, columns) in made.items()
    }


def _search(stat: RKMETableSpecification, **fields: Any) -> Any:
    for key in ("input", "output"):
        if key in fields:
            fields[key] = json.dumps(fields[key])
    fields["stat_spec"] = SimpleUploadedFile(
        "stat.json", json.dumps(stat.to_dict()).encode()
    )
    return Client().post("/api/learnwares/search/", fields)


def _described(columns: list[str]) -> dict[str, Any]:
    return {
        "Dimension": len(columns),
        "Description": {str(i): c for i, c in enumerate(columns)},
    }


def test_own_columns_in_other_words_and_order_find_the_source_with_confidence(
    market: dict[str, int],
) -> None:
    # The user's columns: another order, their own words, another gamma.
    X = _houses(300, 99, newer=True)[:, [2, 0, 1]]
    stat = RKMETableSpecification(gamma=0.01, n_points=20, random_state=0).fit(X)
    words = ["bedrooms", "floor area (sq ft)", "construction year"]

    response = _search(stat, input=_described(words))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["no_match"] is False, body["reason"]
    results = body["results"]
    assert results[0]["learnware"]["id"] == market["new houses"]
    assert market["weather"] not in [r["learnware"]["id"] for r in results]
    assert 0.0 <= results[-1]["confidence"] <= results[0]["confidence"] <= 1.0
    assert results[0]["missing_columns"] == []


def test_unrelated_columns_get_no_good_match_not_an_error(
    market: dict[str, int],
) -> None:
    rng = np.random.default_rng(5)
    X = np.column_stack([rng.normal(size=200), rng.poisson(3, 200), rng.random(200)])
    stat = RKMETableSpecification(gamma="median", n_points=10, random_state=0).fit(X)
    words = ["patient heart rate", "number of hospital visits", "blood oxygen"]

    body = _search(stat, input=_described(words)).json()

    assert body["no_match"] is True
    assert body["results"] == []
    assert body["multiple"] is None
    assert body["reason"].startswith("no good match")


def test_undescribed_user_of_another_gamma_is_told_to_describe_columns(
    market: dict[str, int],
) -> None:
    stat = RKMETableSpecification(gamma=7.0, n_points=10, random_state=0).fit(
        _weather(200, 42)
    )

    response = _search(stat)

    assert response.status_code == 200, response.content  # not a gamma refusal
    body = response.json()
    assert body["no_match"] is True
    assert "describe your columns" in body["reason"]
    assert "(" not in body["reason"].split(";")[0]  # no Python tuples


def test_described_user_of_another_gamma_is_ranked(market: dict[str, int]) -> None:
    stat = RKMETableSpecification(gamma="median", n_points=10, random_state=0).fit(
        _weather(200, 42)
    )

    body = _search(stat, input=_described(["temp C", "humidity", "wind"])).json()

    assert body["no_match"] is False, body["reason"]
    assert body["results"][0]["learnware"]["id"] == market["weather"]


def test_a_malformed_output_is_a_400_naming_output(market: dict[str, int]) -> None:
    stat = RKMETableSpecification(n_points=10, random_state=0).fit(_weather(50, 1))

    response = _search(stat, input=_described(WEATHER), output={"Description": [1]})

    assert response.status_code == 400
    assert "output" in response.json()["extra"]["fields"]
