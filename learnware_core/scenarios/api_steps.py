"""A real-data market run through a dock's HTTP API with the Python client.

The steps of ``benchmarks.markets_api`` and of the live test
``tests/client/test_market_scenario_live.py``, so both take the same path:
:func:`publish` (upload, wait for the sandboxed checks, approve with
:meth:`Client.review`), :func:`serve_user` (search with the user's locally built
spec, deploy the top-1 with :meth:`Client.load`, predict) and :func:`flight_packages`
(the demo market's flights packages: same model, RKME and semantic spec as the dock
seeds).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnware_core.client import Client
from learnware_core.scenarios import ScenarioDataMissing
from learnware_core.scenarios.demo import DemoLearnware, build_demo_market
from learnware_core.specification.base import StatSpecification

__all__ = [
    "Published",
    "Served",
    "StepFailed",
    "flight_packages",
    "publish",
    "serve_user",
]


class StepFailed(RuntimeError):
    """A step of the scenario did not give the expected outcome (the message says)."""


@dataclass(frozen=True)
class Published:
    """A learnware uploaded, checked and approved; ``seconds`` for all three."""

    learnware_id: int
    version_id: int
    status: str
    seconds: float


@dataclass(frozen=True)
class Served:
    """What one user got: the search's ranking (learnware ids, best first), the
    proposed combination (ids, weights) if any, and the deployed top-1's predictions.

    ``search_ms``: the search request; ``deploy_s``: :meth:`Client.load` of the top-1
    up to its first prediction (download, environment, sandboxed worker, predict).
    """

    ranked: list[int]
    multiple: list[int] | None
    weights: list[float] | None
    predictions: NDArray[np.float64]
    sandboxed: bool
    search_ms: float
    deploy_s: float

    @property
    def top1(self) -> int:
        return self.ranked[0]


def flight_packages(cache: str | Path) -> dict[str, DemoLearnware]:
    """The demo market's flights learnwares (built into ``cache`` once), by group
    (``"EWR/UA"``): a Ridge on the group's months 1-9 with its RKME and semantic
    spec, as the dock seeds them.

    Raises
    ------
    ScenarioDataMissing
        If the flights data are not installed.
    """
    market = build_demo_market(cache, parts=("table",))
    if market.skipped:
        raise ScenarioDataMissing("; ".join(market.skipped))
    out = {}
    for lw in market.learnwares:
        origin, carrier = lw.key.removeprefix("flights-").split("-")
        out[f"{origin}/{carrier}"] = lw
    return out


def publish(
    developer: Client,
    reviewer: Client,
    package: str | Path,
    semantic: Mapping[str, Any],
    *,
    timeout: float = 900.0,
) -> Published:
    """Upload ``package``, wait for the dock's checks, approve it.

    Raises
    ------
    StepFailed
        If a check failed or the version is not approved afterwards.
    """
    start = time.perf_counter()
    result = developer.upload(
        package, semantic, wait=True, progress=False, timeout=timeout
    )
    if not result.checks_passed:
        failed = [
            f"{s['name']}: {s['message']}"
            for s in result.version.get("check_steps", [])
            if s["status"] == "failed"
        ]
        raise StepFailed(
            f"{Path(package).name}: checks ended {result.status} "
            f"({'; '.join(failed) or result.version.get('failure_reason', '')})"
        )
    version = reviewer.review(result.version_id, approve=True)
    if version["status"] != "approved":
        raise StepFailed(f"version {result.version_id}: {version['status']}")
    return Published(
        result.learnware_id,
        result.version_id,
        str(version["status"]),
        time.perf_counter() - start,
    )


def serve_user(
    client: Client,
    spec: StatSpecification,
    X: NDArray[np.float64],
    *,
    dest: str | Path,
    cache_dir: str | Path | None = None,
    top_k: int = 5,
    data_type: str = "Table",
    task_type: str = "Regression",
) -> Served:
    """Search with ``spec`` (single and multiple results), deploy the top-1 with
    :meth:`Client.load` and predict ``X``.

    ``dest``: where the client keeps downloaded packages; ``cache_dir``: its
    environment cache.
    """
    start = time.perf_counter()
    found = client.search(
        stat_spec=spec, data_type=data_type, task_type=task_type, top_k=top_k
    )
    search_ms = (time.perf_counter() - start) * 1000
    ranked = [int(hit["learnware"]["id"]) for hit in found["results"]]
    if not ranked:
        raise StepFailed("the search found no learnware")
    mix = found.get("multiple")
    start = time.perf_counter()
    [deployed] = client.load(ranked[0], dest=dest, cache_dir=cache_dir, progress=False)
    with deployed:
        predictions = np.asarray(deployed.predict(X), dtype=np.float64).reshape(-1)
        deploy_s = time.perf_counter() - start
        sandboxed = deployed.sandboxed
    return Served(
        ranked=ranked,
        multiple=[int(lw["id"]) for lw in mix["learnwares"]] if mix else None,
        weights=[float(w) for w in mix["weights"]] if mix else None,
        predictions=predictions,
        sandboxed=sandboxed,
        search_ms=search_ms,
        deploy_s=deploy_s,
    )
