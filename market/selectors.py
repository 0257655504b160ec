"""Reads of the market."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

import numpy as np
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.models import User
from learnware_core.specification import semantic
from market import world
from market.models import (
    CheckStep,
    ExampleSpec,
    Learnware,
    LearnwareVersion,
    Notification,
    ReviewDecision,
    SystemSpec,
    UsageDay,
    WorldEngineVersion,
)


def _is_staff(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def learnware_visible_q(viewer: User | None) -> Q:
    """Approved learnwares for everyone; an owner's own; everything for staff."""
    if _is_staff(viewer):
        return Q(deleted_at__isnull=True)
    visible = Q(live_version__isnull=False)
    if viewer is not None and viewer.is_authenticated:
        visible |= Q(owner=viewer)
    return visible & Q(deleted_at__isnull=True)


def with_latest_version(qs: QuerySet[Learnware]) -> QuerySet[Learnware]:
    """Annotate the newest version's ``latest_version_id/number/status`` (any status).

    For owners and staff: it may be a version not approved yet.
    """
    newest = LearnwareVersion.objects.filter(learnware=OuterRef("pk")).order_by(
        "-number"
    )
    return qs.annotate(
        latest_version_id=Subquery(newest.values("id")[:1]),
        latest_version_number=Subquery(newest.values("number")[:1]),
        latest_version_status=Subquery(newest.values("status")[:1]),
    )


def learnware_list(
    *,
    viewer: User | None,
    data_type: str | None = None,
    task_type: str | None = None,
    library_type: str | None = None,
    license: str | None = None,
    owner_id: int | None = None,
    approved_only: bool = True,
) -> QuerySet[Learnware]:
    if approved_only:
        # Listed learnwares, for any viewer: what learnware_visible_q AND "has a
        # live version" comes down to, written so that PostgreSQL counts a page's
        # total with an index-only scan of market_lw_live_idx (the OR with the
        # viewer's own made it scan the table: 11 ms instead of 1.8 ms at 10,000).
        visible = Q(deleted_at__isnull=True, live_version__isnull=False)
    else:
        visible = learnware_visible_q(viewer)
    qs = Learnware.objects.filter(visible).select_related("owner", "live_version")
    for column, value in (
        ("data_type", data_type),
        ("task_type", task_type),
        ("library_type", library_type),
        ("license", license),
    ):
        if value:
            qs = qs.filter(**{column: value})
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs


def learnware_get(*, learnware_id: int, viewer: User | None) -> Learnware:
    """The learnware if ``viewer`` may see it; ``Learnware.DoesNotExist`` otherwise."""
    return (
        Learnware.objects.filter(learnware_visible_q(viewer))
        .select_related("owner", "live_version")
        .get(id=learnware_id)
    )


def version_visible_q(viewer: User | None) -> Q:
    """Approved versions of live learnwares for all; own versions; all for staff."""
    if _is_staff(viewer):
        return Q(learnware__deleted_at__isnull=True)
    visible = Q(status=LearnwareVersion.Status.APPROVED)
    if viewer is not None and viewer.is_authenticated:
        visible |= Q(learnware__owner=viewer)
    return visible & Q(learnware__deleted_at__isnull=True)


def version_get(*, version_id: int, viewer: User | None) -> LearnwareVersion:
    return (
        LearnwareVersion.objects.filter(version_visible_q(viewer))
        .select_related("learnware", "learnware__owner")
        .get(id=version_id)
    )


def version_list(
    *, learnware: Learnware, viewer: User | None
) -> QuerySet[LearnwareVersion]:
    return LearnwareVersion.objects.filter(
        version_visible_q(viewer), learnware=learnware
    )


def check_steps(*, version: LearnwareVersion) -> QuerySet[CheckStep]:
    return version.check_steps.order_by("position")


def review_queue() -> QuerySet[LearnwareVersion]:
    """Versions awaiting review, oldest first, with their check reports."""
    return (
        LearnwareVersion.objects.filter(
            status=LearnwareVersion.Status.AWAITING_REVIEW,
            learnware__deleted_at__isnull=True,
        )
        .select_related("learnware", "learnware__owner", "uploaded_by")
        .prefetch_related("check_steps")
        .order_by("created_at")
    )


# The tabs of "my learnwares" and of the admin's list, by the newest version's status.
LEARNWARE_STATES = {
    "live": Q(live_version__isnull=False),
    "in_progress": Q(
        latest_version_status__in=(
            LearnwareVersion.Status.QUEUED,
            LearnwareVersion.Status.CHECKING,
            LearnwareVersion.Status.AWAITING_REVIEW,
        )
    ),
    "attention": Q(
        latest_version_status__in=(
            LearnwareVersion.Status.CHECK_FAILED,
            LearnwareVersion.Status.REJECTED,
        )
    ),
}


def learnware_list_any_status(
    *,
    query: str = "",
    state: str | None = None,
    status: str | None = None,
    data_type: str | None = None,
    owner_id: int | None = None,
) -> QuerySet[Learnware]:
    """Learnwares that are not deleted, in any status, with their newest version,
    newest first: an owner's own (``owner_id``), or every one for staff.

    ``state`` is one of ``LEARNWARE_STATES``, ``status`` the newest version's exact
    status; ``query`` matches the name or the owner's e-mail.
    """
    qs = with_latest_version(
        Learnware.objects.filter(deleted_at__isnull=True).select_related(
            "owner", "live_version"
        )
    ).order_by("-id")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(owner__email__icontains=query))
    if state:
        qs = qs.filter(LEARNWARE_STATES[state])
    if status:
        qs = qs.filter(Q(latest_version_status=status))  # an annotation
    if data_type:
        qs = qs.filter(data_type=data_type)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs


def _per_day(qs: QuerySet[Any], field: str, start: date) -> dict[date, int]:
    rows = (
        qs.filter(**{f"{field}__date__gte": start})
        .annotate(day=TruncDate(field))
        .values("day")
        .annotate(n=Count("id"))
    )
    return {row["day"]: row["n"] for row in rows}


def market_stats(*, days: int, today: date | None = None) -> dict[str, Any]:
    """Figures for the admin dashboard: totals now and one row per day (UTC) of the
    last ``days`` days — submissions, review decisions, failed checks, searches,
    downloads and the learnwares listed by data type (cumulative)."""
    today = today or timezone.now().date()
    start = today - timedelta(days=days - 1)
    window = [start + timedelta(days=i) for i in range(days)]
    live = Learnware.objects.filter(
        deleted_at__isnull=True, live_version__isnull=False
    ).annotate(listed_at=Coalesce("live_version__reviewed_at", "created_at"))
    versions = LearnwareVersion.objects.filter(learnware__deleted_at__isnull=True)
    Decision, Status = ReviewDecision.Decision, LearnwareVersion.Status
    reviews = ReviewDecision.objects.filter(version__learnware__deleted_at__isnull=True)
    series = {
        "submitted": _per_day(versions, "created_at", start),
        "approved": _per_day(
            reviews.filter(decision=Decision.APPROVE),
            "created_at",
            start,
        ),
        "rejected": _per_day(
            reviews.filter(decision=Decision.REJECT), "created_at", start
        ),
        "check_failed": _per_day(
            versions.filter(status=Status.CHECK_FAILED),
            "checked_at",
            start,
        ),
    }
    usage: dict[str, dict[date, int]] = {kind: {} for kind in UsageDay.Kind.values}
    for row in UsageDay.objects.filter(day__gte=start).values("day", "kind", "count"):
        usage[row["kind"]][row["day"]] = row["count"]
    # Listed learnwares by type: those listed before the window, then each day's
    # newly listed (the day their live version was approved), summed up.
    listed: dict[str, list[int]] = {}
    for data_type in semantic.DATA_TYPES:
        of_type = live.filter(data_type=data_type)
        before = of_type.filter(listed_at__date__lt=start).count()
        new = _per_day(of_type, "listed_at", start)
        listed[data_type] = list(
            accumulate((new.get(d, 0) for d in window), initial=before)
        )[1:]
    daily = [
        {
            "date": day,
            **{name: counts.get(day, 0) for name, counts in series.items()},
            "searches": usage[UsageDay.Kind.SEARCH].get(day, 0),
            "downloads": usage[UsageDay.Kind.DOWNLOAD].get(day, 0),
            "listed": {t: listed[t][i] for t in semantic.DATA_TYPES},
        }
        for i, day in enumerate(window)
    ]
    by_status = dict(versions.values_list("status").annotate(Count("id")).order_by())
    by_type = dict(live.values_list("data_type").annotate(Count("id")).order_by())
    return {
        "days": days,
        "totals": {
            "learnwares": live.count(),
            "users": User.objects.filter(is_active=True).count(),
            "awaiting_review": by_status.get(
                LearnwareVersion.Status.AWAITING_REVIEW, 0
            ),
            "downloads": live.aggregate(n=Sum("downloads"))["n"] or 0,
            "searches": UsageDay.objects.filter(kind=UsageDay.Kind.SEARCH).aggregate(
                n=Sum("count")
            )["n"]
            or 0,
        },
        "by_type": {t: by_type.get(t, 0) for t in semantic.DATA_TYPES},
        "by_status": {s: by_status.get(s, 0) for s in Status.values},
        "daily": daily,
    }


def example_spec_list() -> QuerySet[ExampleSpec]:
    """The example user specs for the search page, in the order they were added."""
    return ExampleSpec.objects.order_by("id")


def notification_list(*, user: User, unread: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread else qs


def semantic_vocabulary() -> dict[str, Any]:
    """The allowed semantic-spec values (the core library's vocabularies)."""
    return {
        "data_types": list(semantic.DATA_TYPES),
        "task_types": list(semantic.TASK_TYPES),
        "library_types": list(semantic.LIBRARY_TYPES),
        "scenarios": list(semantic.SCENARIOS),
        "licenses": list(semantic.LICENSES),
        "model_types": list(semantic.MODEL_TYPES),
        "tasks_by_data": {k: list(v) for k, v in semantic.TASKS_BY_DATA.items()},
        "name_length": list(semantic.NAME_LENGTH),
        "description_length": list(semantic.DESCRIPTION_LENGTH),
    }


# ------------------------------------------------------------ specification world
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
        stat_spec_type=world.TABLE_SPEC_TYPE,
        input_dimension__isnull=False,
    )
    if approved_after is not None:
        qs = qs.filter(reviewed_at__gt=approved_after)
    return [
        v
        for v in qs.select_related("learnware").order_by("id")
        if world.version_may_be_eligible(v)
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
        key, label = world.island_of(version.semantic_spec, dimension)
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


# ------------------------------------------------------------ search (worker side)
def learnware_search_execute(query: dict[str, Any]) -> dict[str, Any]:
    """Run a search on this worker's in-memory index (called by the search task)."""
    from market.search_index import INDEX

    return INDEX.search(
        candidate_ids=query.get("candidate_ids"),
        text=str(query.get("text") or ""),
        stat_spec=query.get("stat_spec"),
        top_k=int(query.get("top_k") or 10),
        multiple=bool(query.get("multiple", True)),
        descriptions=query.get("input_description"),
        hetero=bool(query.get("hetero", False)),
    )
