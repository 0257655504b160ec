"""Writes and side effects of the market: uploads, checks, review, notices."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import AuditEntry, User
from accounts.services import EMAIL_TASK, audit_record
from bmw.errors import (
    ApplicationError,
    ConflictError,
    PermissionDeniedError,
    RateLimitedError,
    TooLargeError,
)
from bmw.jobs import enqueue, enqueue_on_commit
from bmw.storage import StorageUnavailable, file_digests, local_copy
from learnware_core.checks import StepResult, refused_word, run_checks
from learnware_core.errors import PackageError, SpecificationError
from learnware_core.package import PackageLimits, inspect_package
from learnware_core.specification.semantic import SemanticSpec
from market import selectors, world
from market.models import (
    CheckStep,
    Learnware,
    LearnwareVersion,
    Notification,
    ReviewDecision,
    SearchIndexEvent,
    UsageDay,
)

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

Status = LearnwareVersion.Status
CHECK_TASK = "market.learnware_version_check"  # market.tasks


def _stale_after() -> timedelta:
    """A claim not renewed for this long (> any step) belongs to a dead worker."""
    return timedelta(seconds=settings.BMW_CHECK_STALE_AFTER_S)


def _parse_semantic(semantic_spec: Mapping[str, Any]) -> SemanticSpec:
    try:
        return SemanticSpec.from_dict(semantic_spec)
    except SpecificationError as exc:
        raise ApplicationError(
            f"semantic_spec: {exc}", extra={"fields": {"semantic_spec": [str(exc)]}}
        ) from exc


def _refused_word(spec: SemanticSpec) -> None:
    """Refuse a spec whose text holds a word of the sensitive-words list (the check
    pipeline's step, run on the text at once so an edit is refused before anything
    is queued). ``ApplicationError`` naming ``semantic_spec``."""
    words = settings.BMW_CHECK_CONFIG.get("sensitive_words", ())
    hit = refused_word(spec.to_dict(), words)
    if hit:
        problem = f"contains a refused word: '{hit}'"
        raise ApplicationError(
            f"semantic_spec: {problem}", extra={"fields": {"semantic_spec": [problem]}}
        )


def _require_owner_or_admin(learnware: Learnware, user: User) -> None:
    """Owners and admins change a learnware; reviewers only review it."""
    if learnware.owner_id != user.id and user.role != User.Role.ADMIN:
        raise PermissionDeniedError(
            "Only the owner or an administrator may change this learnware"
        )


def upload_quota_check(*, user: User, new_version: bool = True) -> None:
    """Refuse (``RateLimitedError``: 429 with ``Retry-After``) a new version from
    ``user`` over ``BMW_UPLOADS_PER_HOUR`` versions in the last hour or while
    ``BMW_CHECKS_PENDING_MAX`` of theirs are queued or being checked, so one account
    cannot fill every check slot. Staff are not limited. Called by the views before
    an upload, an edit that makes a version, or a recheck (``new_version=False``:
    only the pending checks count).
    """
    if user.is_staff:
        return
    pending = LearnwareVersion.objects.filter(
        uploaded_by=user, status__in=(Status.QUEUED, Status.CHECKING)
    ).count()
    most = settings.BMW_CHECKS_PENDING_MAX
    if pending >= most:
        raise RateLimitedError(
            f"package: {pending} of your versions are still queued or being checked "
            f"(at most {most} at a time); upload again once one is done",
            retry_after_s=60,
            extra={"fields": {"package": ["too many checks pending"]}},
        )
    if not new_version:
        return
    now = timezone.now()
    window = LearnwareVersion.objects.filter(
        uploaded_by=user, created_at__gte=now - timedelta(hours=1)
    )
    recent = window.count()
    limit = settings.BMW_UPLOADS_PER_HOUR
    if recent >= limit:
        frees_at = window.order_by("created_at").values_list("created_at", flat=True)[
            recent - limit
        ] + timedelta(hours=1)
        wait = max(1, math.ceil((frees_at - now).total_seconds()))
        raise RateLimitedError(
            f"package: {recent} uploads in the last hour (at most {limit}); "
            f"retry in {wait} s",
            retry_after_s=wait,
            extra={"fields": {"package": ["too many uploads"]}},
        )


def _validated_package(
    package: UploadedFile, spec: SemanticSpec, uploader: User
) -> tuple[Any, str, str, int]:
    """Cheap synchronous checks: limits, structure, spec types and sizes, duplicates.

    Only a learnware ``uploader`` may see counts as a duplicate (a listed one, their
    own; any for staff): a copy of someone's unlisted package is taken like any new
    upload, so the answer never tells that a private package exists."""
    if package.size is not None and package.size > settings.BMW_MAX_PACKAGE_BYTES:
        raise TooLargeError(
            f"package: {package.size} bytes is over the limit of "
            f"{settings.BMW_MAX_PACKAGE_BYTES} bytes",
            extra={"fields": {"package": ["too large"]}},
        )
    file = package.file
    assert file is not None
    sha256, md5, size = file_digests(file)
    limits = PackageLimits(max_total_bytes=settings.BMW_MAX_UNPACKED_BYTES)
    try:
        info = inspect_package(file, semantic_spec=spec, limits=limits)
    except PackageError as exc:
        raise ApplicationError(
            f"package: {exc}", extra={"fields": {"package": [str(exc)]}}
        ) from exc
    finally:
        file.seek(0)
    duplicate = (
        LearnwareVersion.objects.filter(
            package_sha256=sha256,
            learnware__in=Learnware.objects.filter(
                selectors.learnware_visible_q(uploader)
            ),
        )
        .values_list("learnware_id", flat=True)
        .first()
    )
    if duplicate is not None:
        raise ConflictError(
            "package: the same package was already uploaded",
            extra={"fields": {"package": ["duplicate"]}, "learnware_id": duplicate},
        )
    return info, sha256, md5, size


def _version_add(
    *,
    learnware: Learnware,
    by: User,
    spec: SemanticSpec,
    package: UploadedFile | None,
    reuse_package_of: LearnwareVersion | None = None,
) -> LearnwareVersion:
    number = (
        learnware.versions.order_by("-number").values_list("number", flat=True).first()
        or 0
    ) + 1
    version = LearnwareVersion(
        learnware=learnware,
        number=number,
        uploaded_by=by,
        semantic_spec=spec.to_dict(),
        input_dimension=spec.input_dimension,
    )
    if package is not None:
        info, sha256, md5, size = _validated_package(package, spec, by)
        version.package_sha256, version.package_md5, version.package_size = (
            sha256,
            md5,
            size,
        )
        stat = info.stat_specs[0]
        version.stat_spec_type = stat.type_name
        version.package.save(f"{sha256}.zip", package, save=False)
        version.stat_spec_file.save(
            f"{sha256}.json",
            ContentFile(json.dumps(stat.spec.to_dict()).encode()),
            save=False,
        )
    else:
        assert reuse_package_of is not None
        for field in (
            "package",
            "package_sha256",
            "package_md5",
            "package_size",
            "stat_spec_type",
            "stat_spec_file",
        ):
            setattr(version, field, getattr(reuse_package_of, field))
    version.full_clean()
    version.save()
    _check_enqueue_on_commit(version.id)
    return version


def _check_enqueue_on_commit(version_id: int) -> None:
    """Queue the version's check once its row is committed. A broker outage does not
    fail (or lose) the upload: the version stays queued and the stale-check sweep
    queues it again once the broker is back."""
    enqueue_on_commit(
        CHECK_TASK,
        version_id,
        recovered_by="the stale-check sweep (market.checks_requeue_stale)",
    )


def _index_event(learnware_id: int, action: str) -> None:
    """Tell the search workers (through the event log) that a learnware changed."""
    SearchIndexEvent.objects.create(learnware_id=learnware_id, action=action)


_SEMANTIC_FIELDS = (
    "semantic_spec",
    "name",
    "data_type",
    "task_type",
    "library_type",
    "license",
    "scenarios",
)


def _apply_semantic(learnware: Learnware, spec: SemanticSpec) -> None:
    learnware.semantic_spec = spec.to_dict()
    learnware.name = spec.name
    learnware.data_type = spec.data
    learnware.task_type = spec.task
    learnware.library_type = spec.library
    learnware.license = spec.license
    learnware.scenarios = list(spec.scenarios)


@transaction.atomic
def learnware_create(
    *, owner: User, semantic_spec: Mapping[str, Any], package: UploadedFile
) -> Learnware:
    """Store an upload as a new learnware with version 1, queued for checks.

    Side effects: the package file in storage; a check task enqueued after commit.
    """
    spec = _parse_semantic(semantic_spec)
    _refused_word(spec)
    learnware = Learnware(owner=owner)
    _apply_semantic(learnware, spec)
    learnware.full_clean(exclude=["live_version"])
    learnware.save()
    _version_add(learnware=learnware, by=owner, spec=spec, package=package)
    logger.info("learnware %s created by user %s", learnware.id, owner.id)
    return learnware


@transaction.atomic
def learnware_version_create(
    *,
    learnware: Learnware,
    by: User,
    package: UploadedFile | None,
    semantic_spec: Mapping[str, Any] | None = None,
) -> LearnwareVersion:
    """Upload a new version (a new package and/or a new semantic spec).

    A listed learnware keeps showing its live version, spec included (name,
    description, tags: everyone would see, filter and "try it" by unchecked,
    unreviewed text otherwise), until the new version passes its checks (the
    sensitive-words check among them) and a reviewer approves it; the owner and the
    reviewers see the pending spec on the version. An unlisted learnware shows the
    new spec at once (only its owner and staff see it). Side effects: package file,
    check task.
    """
    _require_owner_or_admin(learnware, by)
    spec = _parse_semantic(semantic_spec or learnware.semantic_spec)
    _refused_word(spec)
    latest = learnware.versions.order_by("-number").first()
    if package is None and latest is None:
        raise ApplicationError(
            "package: required", extra={"fields": {"package": ["required"]}}
        )
    if learnware.live_version is None:
        _apply_semantic(learnware, spec)
        learnware.save()
    return _version_add(
        learnware=learnware, by=by, spec=spec, package=package, reuse_package_of=latest
    )


@transaction.atomic
def learnware_update(
    *, learnware: Learnware, by: User, semantic_spec: Mapping[str, Any]
) -> LearnwareVersion | None:
    """Edit a learnware's semantic spec: a new version of the same package, checked
    and reviewed like an upload before a listed learnware shows it.

    Any change a user can see (name, description, tags, Data/Task/Input/Output)
    goes through the checks (the sensitive-words check among them) and review; until
    a reviewer approves it the approved text stays listed. Returns that version, or
    None if nothing changed.
    """
    _require_owner_or_admin(learnware, by)
    spec = _parse_semantic(semantic_spec)
    new = spec.to_dict()
    latest = learnware.versions.order_by("-number").first()
    current = latest.semantic_spec if latest is not None else learnware.semantic_spec
    keys = set(new) | set(current)
    changed = sorted(k for k in keys if new.get(k) != current.get(k))
    if not changed:
        return None
    audit_record(
        actor=by,
        action=AuditEntry.Action.LEARNWARE_UPDATE,
        target=learnware,
        detail={"fields": changed},
    )
    return learnware_version_create(
        learnware=learnware, by=by, package=None, semantic_spec=new
    )


@transaction.atomic
def learnware_delete(*, learnware: Learnware, by: User) -> None:
    """Hide a learnware everywhere (soft delete: packages and audit log are kept)."""
    _require_owner_or_admin(learnware, by)
    Learnware.objects.filter(id=learnware.id).update(deleted_at=timezone.now())
    _index_event(learnware.id, SearchIndexEvent.Action.REMOVE)
    audit_record(actor=by, action=AuditEntry.Action.LEARNWARE_DELETE, target=learnware)


@transaction.atomic
def learnware_version_recheck(
    *, version: LearnwareVersion, by: User
) -> LearnwareVersion:
    """Queue a finished version's checks again. Side effect: a check task."""
    _require_owner_or_admin(version.learnware, by)
    rechecked = LearnwareVersion.objects.filter(
        id=version.id,
        status__in=(Status.CHECK_FAILED, Status.AWAITING_REVIEW, Status.REJECTED),
    ).update(status=Status.QUEUED, failure_reason="", claimed_at=None, check_attempts=0)
    if not rechecked:
        raise ConflictError(
            f"version {version.number} is {version.get_status_display().lower()}; "
            "only a failed, rejected or waiting version can be checked again"
        )
    CheckStep.objects.filter(version=version).delete()
    audit_record(
        actor=by,
        action=AuditEntry.Action.LEARNWARE_RECHECK,
        target=version.learnware,
        detail={"version": version.number},
    )
    _check_enqueue_on_commit(version.id)
    version.refresh_from_db()
    return version


def learnware_version_check(*, version_id: int) -> None:
    """Claim, check and mark a version. Safe to run twice (``acks_late`` may redeliver).

    Not atomic on purpose: the claim commits before the slow checks start, and each
    step is committed as it finishes so the web shows live progress (and renews the
    claim). A claim not renewed for ``BMW_CHECK_STALE_AFTER_S`` is taken over: the
    worker that held it died.
    """
    now = timezone.now()
    claimable = Q(status=Status.QUEUED) | Q(
        status=Status.CHECKING, claimed_at__lt=now - _stale_after()
    )
    if _fail_exhausted(LearnwareVersion.objects.filter(claimable, id=version_id)):
        return
    claimed = LearnwareVersion.objects.filter(claimable, id=version_id).update(
        status=Status.CHECKING, claimed_at=now, check_attempts=F("check_attempts") + 1
    )
    if claimed != 1:
        logger.info(
            "version %s: not claimable (done, or claimed elsewhere)", version_id
        )
        return
    version = LearnwareVersion.objects.select_related("learnware").get(id=version_id)
    CheckStep.objects.filter(version=version).delete()

    def record(result: StepResult, position: int, *, started: bool) -> None:
        defaults: dict[str, Any] = {"name": result.name}
        if started:
            defaults.update(status=CheckStep.Status.RUNNING, started_at=timezone.now())
        else:
            defaults.update(
                status=result.status,
                message=result.message[:5000],
                log=result.log[-20000:],
                duration_s=result.duration_s,
                details=dict(result.details),
            )
        CheckStep.objects.update_or_create(
            version=version, position=position, defaults=defaults
        )
        # Progress renews the claim: only a check that stops progressing goes stale.
        LearnwareVersion.objects.filter(id=version_id, status=Status.CHECKING).update(
            claimed_at=timezone.now()
        )

    try:
        with local_copy(version.package) as path:
            results = run_checks(
                path,
                semantic_spec=version.semantic_spec,
                config=settings.BMW_CHECK_CONFIG,
                on_step=record,
            )
    except StorageUnavailable:
        # Hand the claim back so the task's retry can take it (the attempt does not
        # count: the package was never checked), then let the task retry.
        LearnwareVersion.objects.filter(id=version_id, status=Status.CHECKING).update(
            status=Status.QUEUED,
            claimed_at=None,
            check_attempts=F("check_attempts") - 1,
        )
        raise
    failed = next((r for r in results if r.status == CheckStep.Status.FAILED), None)
    status = Status.CHECK_FAILED if failed else Status.AWAITING_REVIEW
    reason = f"{failed.name}: {failed.message}" if failed else ""
    LearnwareVersion.objects.filter(id=version_id, status=Status.CHECKING).update(
        status=status, failure_reason=reason, checked_at=timezone.now()
    )
    learnware = version.learnware
    if failed:
        notification_send(
            user=learnware.owner,
            learnware=learnware,
            title=f"{learnware.name} v{version.number}: check failed",
            body=f"The '{failed.name}' check failed: {failed.message}",
        )
    else:
        notification_send(
            user=learnware.owner,
            learnware=learnware,
            title=f"{learnware.name} v{version.number}: checks passed",
            body="All checks passed; the learnware now waits for a reviewer.",
        )


@transaction.atomic
def learnware_version_review(
    *, version: LearnwareVersion, reviewer: User, approve: bool, reason: str = ""
) -> LearnwareVersion:
    """Approve (make live) or reject a version awaiting review; logged for audit.

    Side effects: the learnware's live version, a review log row, a notice + e-mail.
    """
    if not reviewer.is_staff:
        raise PermissionDeniedError("Only reviewers may review learnwares")
    if version.uploaded_by_id == reviewer.id and reviewer.role != User.Role.ADMIN:
        raise PermissionDeniedError(
            "Reviewers may not review a version they uploaded themselves"
        )
    if not approve and not reason.strip():
        raise ApplicationError(
            "reason: a rejection needs a reason",
            extra={"fields": {"reason": ["required"]}},
        )
    now = timezone.now()
    updated = LearnwareVersion.objects.filter(
        id=version.id, status=Status.AWAITING_REVIEW
    ).update(
        status=Status.APPROVED if approve else Status.REJECTED,
        reviewed_by=reviewer,
        reviewed_at=now,
        review_reason=reason,
    )
    if not updated:
        version.refresh_from_db()
        raise ConflictError(
            f"version is {version.get_status_display().lower()}, not awaiting review"
        )
    version.refresh_from_db()
    learnware = version.learnware
    ReviewDecision.objects.create(
        version=version,
        learnware_name=learnware.name,
        reviewer=reviewer,
        decision=ReviewDecision.Decision.APPROVE
        if approve
        else ReviewDecision.Decision.REJECT,
        reason=reason,
    )
    audit_record(
        actor=reviewer,
        action=AuditEntry.Action.LEARNWARE_APPROVE
        if approve
        else AuditEntry.Action.LEARNWARE_REJECT,
        target=learnware,
        detail={"version": version.number, "reason": reason},
    )
    verdict = "approved" if approve else "rejected"
    if approve:
        live = learnware.live_version
        if live is None or live.number < version.number:
            # Now the listing shows what this version is (learnware_version_create).
            learnware.refresh_from_db()
            learnware.live_version = version
            # The listing shows what was reviewed: this version's spec, all of it.
            _apply_semantic(learnware, _parse_semantic(version.semantic_spec))
            learnware.save(update_fields=[*_SEMANTIC_FIELDS, "live_version"])
            _index_event(learnware.id, SearchIndexEvent.Action.UPSERT)
            world.learnware_approved(version=version)
    notification_send(
        user=learnware.owner,
        learnware=learnware,
        title=f"{learnware.name} v{version.number}: {verdict}",
        body=reason or ("It is now listed in the market." if approve else ""),
    )
    return version


def notification_send(
    *, user: User, title: str, body: str, learnware: Learnware | None = None
) -> Notification:
    """An in-app notice plus an e-mail (enqueued after commit)."""
    notice = Notification.objects.create(
        user=user, title=title, body=body, learnware=learnware
    )
    enqueue_on_commit(
        EMAIL_TASK,
        user.id,
        title,
        body,
        recovered_by="nothing: the in-app notice stays",
    )
    return notice


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or every) unread notice of ``user`` read; returns how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(id=notification_id)
    return qs.update(read_at=timezone.now())


def _fail_exhausted(versions: QuerySet[LearnwareVersion]) -> list[int]:
    """End ``versions`` whose check already started ``BMW_CHECK_MAX_ATTEMPTS`` times
    (each time its worker died) as check_failed, telling the owner; their ids."""
    limit = settings.BMW_CHECK_MAX_ATTEMPTS
    exhausted = list(
        versions.filter(check_attempts__gte=limit).select_related("learnware__owner")
    )
    reason = (
        f"checks: started {limit} times and never finished (the worker running "
        "them stopped each time: the package may crash it or exhaust its memory)"
    )
    ended = []
    for version in exhausted:
        if not versions.filter(id=version.id, check_attempts__gte=limit).update(
            status=Status.CHECK_FAILED,
            failure_reason=reason,
            claimed_at=None,
            checked_at=timezone.now(),
        ):
            continue  # claimed or finished meanwhile
        ended.append(version.id)
        learnware = version.learnware
        logger.warning("version %s: %s", version.id, reason)
        notification_send(
            user=learnware.owner,
            learnware=learnware,
            title=f"{learnware.name} v{version.number}: check failed",
            body=f"The checks failed: {reason}",
        )
    return ended


def checks_requeue_stale() -> int:
    """Re-enqueue versions whose check was lost (dead worker, lost message).

    Run by beat. Returns how many versions were re-enqueued.
    """
    now = timezone.now()
    stale = LearnwareVersion.objects.filter(
        Q(status=Status.CHECKING, claimed_at__lt=now - _stale_after())
        | Q(
            status=Status.QUEUED,
            created_at__lt=now - _stale_after(),
            claimed_at__isnull=True,
        )
    )
    _fail_exhausted(stale)
    ids = list(stale.values_list("id", flat=True))
    for version_id in ids:
        enqueue(
            CHECK_TASK,
            version_id,
            recovered_by="the next run of this sweep",
        )
    if ids:
        logger.warning("re-enqueued stale checks: %s", ids)
    return len(ids)


def learnware_downloaded(*, learnware: Learnware) -> None:
    """Count a download (one atomic UPDATE, no read-modify-write race)."""
    Learnware.objects.filter(id=learnware.id).update(downloads=F("downloads") + 1)
    usage_count(kind=UsageDay.Kind.DOWNLOAD)


def usage_count(*, kind: str) -> None:
    """Add one to today's (UTC) counter of ``kind`` (an UPDATE, or the first row)."""
    day = timezone.now().date()
    if UsageDay.objects.filter(day=day, kind=kind).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            UsageDay.objects.create(day=day, kind=kind, count=1)
    except IntegrityError:  # another request created the row first
        UsageDay.objects.filter(day=day, kind=kind).update(count=F("count") + 1)
