"""Reads of the market."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.models import User
from learnware_core.specification import semantic
from market.models import (
    CheckStep,
    ExampleSpec,
    Learnware,
    LearnwareVersion,
    Notification,
    ReviewDecision,
    UsageDay,
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
