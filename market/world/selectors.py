"""Reads of the specification world: eligible learnwares, engine versions, the map."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import QuerySet

from market.models import Learnware, LearnwareVersion, SystemSpec, WorldEngineVersion
from market.world import engines


def _live_version_ids() -> QuerySet[Learnware, Any]:
    return Learnware.objects.filter(
        live_version__isnull=False, deleted_at__isnull=True
    ).values("live_version_id")


def world_candidates(
    *, approved_after: datetime | None = None
) -> list[LearnwareVersion]:
    """The live versions of listed learnwares that belong in the specification world
    (``is_hetero`` as far as the columns and semantic spec tell), oldest first."""
    qs = LearnwareVersion.objects.filter(
        id__in=_live_version_ids(),
        stat_spec_type=engines.TABLE_SPEC_TYPE,
        input_dimension__isnull=False,
    )
    if approved_after is not None:
        qs = qs.filter(reviewed_at__gt=approved_after)
    return [
        v
        for v in qs.select_related("learnware").order_by("id")
        if engines.version_may_be_eligible(v)
    ]


def world_specs_missing(*, engine: WorldEngineVersion) -> list[LearnwareVersion]:
    """Eligible live versions without a system spec under ``engine``."""
    have = set(
        SystemSpec.objects.filter(engine=engine).values_list(
            "learnware_version_id", flat=True
        )
    )
    return [v for v in world_candidates() if v.id not in have]


def engine_version_list() -> QuerySet[WorldEngineVersion]:
    """Every engine version, newest first."""
    return WorldEngineVersion.objects.select_related(
        "triggered_by", "activated_by"
    ).order_by("-id")


def engine_version_get(*, version: str) -> WorldEngineVersion:
    """The version named ``version`` (``"w-…"``); ``DoesNotExist`` otherwise."""
    if "\x00" in version:  # no name has one, and PostgreSQL text cannot hold it
        raise WorldEngineVersion.DoesNotExist
    return engine_version_list().get(version=version)


def engine_version_active() -> WorldEngineVersion | None:
    return engine_version_list().filter(state=WorldEngineVersion.State.ACTIVE).first()


def engine_version_latest() -> WorldEngineVersion | None:
    """The newest version in any state (failed ones too)."""
    return engine_version_list().first()


def world_projection(*, engine: WorldEngineVersion) -> dict[str, Any]:
    """One 2-D point per listed learnware with a system spec under ``engine``: the
    PCA of the learnwares' mean embeddings (``sum_j beta_j z_j``), each with its
    island (the feature space it comes from)."""
    specs = list(
        SystemSpec.objects.filter(
            engine=engine, learnware_version_id__in=_live_version_ids()
        )
        .select_related("learnware_version", "learnware_version__learnware")
        .order_by("learnware_version__learnware_id")
    )
    means = []
    for row in specs:
        z = np.asarray(row.spec["z"], dtype=np.float64)
        beta = np.asarray(row.spec["beta"], dtype=np.float64).ravel()
        means.append(beta @ z / (beta.sum() or 1.0))
    # No listed learnware has a spec under it (all delisted since): no points.
    X = np.asarray(means).reshape(len(means), -1) if means else np.zeros((0, 0))
    coords, explained = _pca_2d(X)
    points: list[dict[str, Any]] = []
    islands: dict[str, dict[str, Any]] = {}
    for row, (x, y) in zip(specs, coords, strict=True):
        version = row.learnware_version
        dimension = int(version.input_dimension or 0)
        key, label = engines.island_of(version.semantic_spec, dimension)
        island = islands.setdefault(
            key, {"key": key, "label": label, "dimension": dimension, "count": 0}
        )
        island["count"] += 1
        points.append(
            {
                "learnware_id": version.learnware_id,
                "name": version.learnware.name,
                "x": float(x),
                "y": float(y),
                "island": key,
            }
        )
    return {
        "engine_version": engine.version,
        "state": engine.state,
        "explained_variance": explained,
        "islands": sorted(islands.values(), key=lambda i: (-i["count"], i["key"])),
        "points": points,
    }


def _pca_2d(X: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """``(n, 2)`` principal coordinates (signs fixed) and their variance shares."""
    out = np.zeros((X.shape[0], 2))
    if X.shape[0] < 2:
        return out, [0.0, 0.0]
    centred = X - X.mean(axis=0)
    U, S, Vt = np.linalg.svd(centred, full_matrices=False)
    k = min(2, len(S))
    signs = np.sign(Vt[:k][np.arange(k), np.abs(Vt[:k]).argmax(axis=1)])
    out[:, :k] = U[:, :k] * S[:k] * np.where(signs == 0, 1.0, signs)
    total = float((S**2).sum())
    shares = [float(s**2 / total) if total > 0 else 0.0 for s in S[:2]]
    return out, shares + [0.0] * (2 - len(shares))
