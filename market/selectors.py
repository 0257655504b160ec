"""Reads of the market."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from accounts.models import User
from learnware_core.specification import semantic
from market.models import CheckStep, Learnware, LearnwareVersion, Notification


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
    qs = Learnware.objects.filter(learnware_visible_q(viewer)).select_related(
        "owner", "live_version"
    )
    if approved_only:
        qs = qs.filter(live_version__isnull=False)
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
    )
