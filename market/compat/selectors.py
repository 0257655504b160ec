"""Reads for the compat API: the original's status names, ordering and vocabulary.

Status mapping (our version status -> the original's ``verify_status``), taken from
the newest version the viewer may see:

=================  =============  ================================================
ours               original       why
=================  =============  ================================================
queued             WAITING        just uploaded, as the original after ``add``
checking           PROCESSING     a worker is checking it
awaiting_review    QUEUE          checks passed, queued for a reviewer; not usable
approved           SUCCESS        live: searchable and downloadable by everyone
check_failed       FAIL           a check failed
rejected           FAIL           a reviewer rejected it
=================  =============  ================================================
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import (
    Case,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)

from accounts.models import User
from learnware_core.specification.semantic import semantic_config
from market import selectors
from market.models import Learnware, LearnwareVersion

Status = LearnwareVersion.Status

VERIFY_STATUS: dict[str, str] = {
    Status.QUEUED: "WAITING",
    Status.CHECKING: "PROCESSING",
    Status.AWAITING_REVIEW: "QUEUE",
    Status.APPROVED: "SUCCESS",
    Status.CHECK_FAILED: "FAIL",
    Status.REJECTED: "FAIL",
}
# The original lists a user's learnwares FAIL, WAITING, PROCESSING, QUEUE, SUCCESS.
_LIST_ORDER = ("FAIL", "WAITING", "PROCESSING", "QUEUE", "SUCCESS")


def verify_status(status: str | None) -> str:
    return VERIFY_STATUS.get(status or "", "WAITING")


def last_modify(when: datetime) -> str:
    """The original's timestamp format, ``YYYY-MM-DD HH:MM:SS.ffffff UTC``."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") + " UTC"


def compat_learnware_list(
    *, user: User, is_verified: bool | None = None
) -> QuerySet[Learnware]:
    """``user``'s learnwares with their newest status, in the original's order."""
    qs = selectors.with_latest_version(
        Learnware.objects.filter(owner=user, deleted_at__isnull=True)
    )
    if is_verified is True:
        return qs.filter(Q(latest_version_status=Status.APPROVED)).order_by("-id")
    if is_verified is False:
        return qs.exclude(Q(latest_version_status=Status.APPROVED)).order_by("-id")
    rank = Case(
        *(
            When(latest_version_status=ours, then=Value(_LIST_ORDER.index(theirs)))
            for ours, theirs in VERIFY_STATUS.items()
        ),
        default=Value(len(_LIST_ORDER)),
        output_field=IntegerField(),
    )
    return qs.order_by(rank, "-id")


def compat_learnware_get(*, learnware_id: int, viewer: User | None) -> Learnware:
    """A learnware ``viewer`` may see, with the status of the newest version they
    may see (owners and staff: the newest; others: the live one).

    Raises ``Learnware.DoesNotExist``.
    """
    learnware = selectors.learnware_get(learnware_id=learnware_id, viewer=viewer)
    newest = (
        selectors.version_list(learnware=learnware, viewer=viewer)
        .order_by("-number")
        .values_list("status", flat=True)
        .first()
    )
    learnware.latest_version_status = newest  # type: ignore[attr-defined]
    return learnware


def compat_semantic_config() -> dict[str, Any]:
    """The allowed semantic-spec values in the original's ``{Type, Values}`` layout."""
    return semantic_config()
