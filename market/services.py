"""Writes and side effects of the market: uploads, checks, review, notices."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import tasks as account_tasks
from accounts.models import AuditEntry, User
from accounts.services import audit_record
from bmw.api.exceptions import ApplicationError
from bmw.outages import BROKER_ERRORS
from learnware_core.checks import StepResult, run_checks
from learnware_core.errors import PackageError, SpecificationError
from learnware_core.package import PackageLimits, inspect_package
from learnware_core.specification.semantic import SemanticSpec
from market import selectors, storage, tasks, world
from market.models import (
    CheckStep,
    Learnware,
    LearnwareVersion,
    Notification,
    ReviewDecision,
    SearchIndexEvent,
    SystemSpec,
    UsageDay,
    WorldEngineVersion,
)

if TYPE_CHECKING:
    from learnware_core.specification.rkme import RKMETableSpecification
    from learnware_core.specworld import WorldEngine

logger = logging.getLogger(__name__)

Status = LearnwareVersion.Status
# Keys whose change alters what the model accepts or returns: a new version is checked.
COMPATIBILITY_KEYS = ("Data", "Task", "Input", "Output")


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


def _require_owner_or_admin(learnware: Learnware, user: User) -> None:
    """Owners and admins change a learnware; reviewers only review it."""
    if learnware.owner_id != user.id and user.role != User.Role.ADMIN:
        raise ApplicationError(
            "Only the owner or an administrator may change this learnware",
            status_code=403,
        )


def _validated_package(
    package: UploadedFile, spec: SemanticSpec, uploader: User
) -> tuple[Any, str, str, int]:
    """Cheap synchronous checks: limits, structure, spec types and sizes, duplicates.

    A duplicate names the learnware it duplicates only if ``uploader`` may see it
    (an unapproved upload of someone else's stays unknown)."""
    if package.size is not None and package.size > settings.BMW_MAX_PACKAGE_BYTES:
        raise ApplicationError(
            f"package: {package.size} bytes is over the limit of "
            f"{settings.BMW_MAX_PACKAGE_BYTES} bytes",
            extra={"fields": {"package": ["too large"]}},
            status_code=413,
        )
    file = package.file
    assert file is not None
    sha256, md5, size = storage.file_digests(file)
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
        LearnwareVersion.objects.filter(package_sha256=sha256)
        .exclude(learnware__deleted_at__isnull=False)
        .values_list("learnware_id", flat=True)
        .first()
    )
    if duplicate is not None:
        visible = Learnware.objects.filter(
            selectors.learnware_visible_q(uploader), id=duplicate
        ).exists()
        raise ApplicationError(
            "package: the same package was already uploaded",
            extra={
                "fields": {"package": ["duplicate"]},
                **({"learnware_id": duplicate} if visible else {}),
            },
            status_code=409,
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
    """Queue the version's check once its row is committed.

    A broker outage does not fail (or lose) the upload: the version stays queued and
    beat's :func:`checks_requeue_stale` queues it again once the broker is back (as it
    does for messages a restarted Redis forgot).
    """

    def send() -> None:
        try:
            tasks.learnware_version_check.delay(version_id)
        except BROKER_ERRORS as exc:
            logger.warning(
                "version %s: check not queued (%s); the stale-check sweep queues it",
                version_id,
                exc,
            )

    transaction.on_commit(send)


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


def _with_compatibility_of(
    spec: Mapping[str, Any], other: Mapping[str, Any]
) -> SemanticSpec | None:
    """``spec`` with Data/Task/Input/Output taken from ``other`` (None if the mix is
    not a valid spec)."""
    merged = {
        **spec,
        **{key: other[key] for key in COMPATIBILITY_KEYS if key in other},
    }
    try:
        return _parse_semantic(merged)
    except ApplicationError:
        return None


@transaction.atomic
def learnware_create(
    *, owner: User, semantic_spec: Mapping[str, Any], package: UploadedFile
) -> Learnware:
    """Store an upload as a new learnware with version 1, queued for checks.

    Side effects: the package file in storage; a check task enqueued after commit.
    """
    spec = _parse_semantic(semantic_spec)
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
    """Upload a new version (new package and/or a compatibility-changing spec).

    The live version stays live until the new one is approved, and so does what a
    listed learnware shows of the model (Data, Task, Input, Output: everyone would
    see, filter and "try it" by an unreviewed spec otherwise); its cosmetic keys apply
    at once, as edits do. Side effects: package file, check task.
    """
    _require_owner_or_admin(learnware, by)
    spec = _parse_semantic(semantic_spec or learnware.semantic_spec)
    latest = learnware.versions.order_by("-number").first()
    if package is None and latest is None:
        raise ApplicationError(
            "package: required", extra={"fields": {"package": ["required"]}}
        )
    live = learnware.live_version
    shown = (
        spec
        if live is None
        else _with_compatibility_of(spec.to_dict(), live.semantic_spec)
    )
    if shown is not None:
        _apply_semantic(learnware, shown)
        learnware.save()
    return _version_add(
        learnware=learnware, by=by, spec=spec, package=package, reuse_package_of=latest
    )


@transaction.atomic
def learnware_update(
    *, learnware: Learnware, by: User, semantic_spec: Mapping[str, Any]
) -> LearnwareVersion | None:
    """Edit a learnware's semantic spec.

    Cosmetic edits (name, description, library, scenarios, license) apply at once to
    the learnware and its live version; a change of Data/Task/Input/Output makes a new
    version of the same package that is checked and reviewed. Returns that version.
    """
    _require_owner_or_admin(learnware, by)
    spec = _parse_semantic(semantic_spec)
    new = spec.to_dict()
    changed = sorted(k for k in new if new.get(k) != learnware.semantic_spec.get(k))
    audit_record(
        actor=by,
        action=AuditEntry.Action.LEARNWARE_UPDATE,
        target=learnware,
        detail={"fields": changed},
    )
    if any(k in changed for k in COMPATIBILITY_KEYS):
        return learnware_version_create(
            learnware=learnware, by=by, package=None, semantic_spec=new
        )
    _apply_semantic(learnware, spec)
    learnware.save()
    if learnware.live_version is not None:
        LearnwareVersion.objects.filter(id=learnware.live_version.id).update(
            semantic_spec=new
        )
        _index_event(learnware.id, SearchIndexEvent.Action.UPSERT)
    return None


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
    ).update(status=Status.QUEUED, failure_reason="", claimed_at=None)
    if not rechecked:
        raise ApplicationError(
            f"version {version.number} is {version.get_status_display().lower()}; "
            "only a failed, rejected or waiting version can be checked again",
            status_code=409,
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

    with storage.local_copy(version.package) as path:
        results = run_checks(
            path,
            semantic_spec=version.semantic_spec,
            config=settings.BMW_CHECK_CONFIG,
            on_step=record,
        )
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
        raise ApplicationError("Only reviewers may review learnwares", status_code=403)
    if version.uploaded_by_id == reviewer.id and reviewer.role != User.Role.ADMIN:
        raise ApplicationError(
            "Reviewers may not review a version they uploaded themselves",
            status_code=403,
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
        raise ApplicationError(
            f"version is {version.get_status_display().lower()}, not awaiting review",
            status_code=409,
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
            listed = _with_compatibility_of(
                learnware.semantic_spec, version.semantic_spec
            )
            if listed is not None:
                _apply_semantic(learnware, listed)
            learnware.save(update_fields=[*_SEMANTIC_FIELDS, "live_version"])
            _index_event(learnware.id, SearchIndexEvent.Action.UPSERT)
            _world_after_approval(version)
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
    transaction.on_commit(
        lambda: account_tasks.user_email_send.delay(user.id, title, body)
    )
    return notice


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or every) unread notice of ``user`` read; returns how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(id=notification_id)
    return qs.update(read_at=timezone.now())


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
    ).values_list("id", flat=True)
    ids = list(stale)
    for version_id in ids:
        tasks.learnware_version_check.delay(version_id)
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


# ------------------------------------------------------------ specification world
WorldState = WorldEngineVersion.State
WorldProgress = Callable[[str, int, int], None]
WorldInput = tuple["RKMETableSpecification", dict[str, str]]  # world.table_input


def _world_lost_mark() -> None:
    """Fail trainings whose heartbeat stopped (their worker died)."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.BMW_WORLD_TRAIN_TIME_LIMIT_S + 60)
    lost = WorldEngineVersion.objects.filter(
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, created_at__lt=cutoff),
        state__in=WorldEngineVersion.RUNNING_STATES,
    ).update(
        state=WorldState.FAILED,
        error="lost: no progress within BMW_WORLD_TRAIN_TIME_LIMIT_S",
        finished_at=now,
    )
    if lost:
        logger.warning("marked %d lost world-engine trainings failed", lost)


def _world_training_create(
    *, trigger: str, triggered_by: User | None, task_id: str = ""
) -> WorldEngineVersion:
    """A new version row, queued for training, unless one is running (409) or no
    table learnware is eligible (400)."""
    _world_lost_mark()
    running = WorldEngineVersion.objects.filter(
        state__in=WorldEngineVersion.RUNNING_STATES
    ).first()
    busy = ApplicationError(
        "A specification-world training is already running; wait for it to end",
        extra={"running": running.pk if running else None},
        status_code=409,
    )
    if running is not None:
        raise busy
    candidates = selectors.world_candidates()
    if not candidates:
        raise ApplicationError(
            "No eligible table learnware: the world is trained on listed table "
            "learnwares (Classification or Regression) with a table RKME and "
            "column descriptions in their semantic spec's Input",
            status_code=400,
        )
    try:
        with transaction.atomic():  # the unique index keeps one training at a time
            return WorldEngineVersion.objects.create(
                trigger=trigger,
                triggered_by=triggered_by,
                candidates=[v.id for v in candidates],
                task_id=task_id,
            )
    except IntegrityError:
        raise busy from None


def world_training_start(
    *,
    trigger: str = WorldEngineVersion.Trigger.MANUAL,
    triggered_by: User | None = None,
) -> WorldEngineVersion:
    """Queue the training of a new engine version (the task runs it after commit).

    Raises ``ApplicationError``: 409 while another training runs, 400 if no table
    learnware is eligible.
    """
    task_id = str(uuid.uuid4())
    row = _world_training_create(
        trigger=trigger, triggered_by=triggered_by, task_id=task_id
    )
    transaction.on_commit(
        lambda: tasks.world_engine_train.apply_async((row.id,), task_id=task_id)
    )
    if triggered_by is not None:
        audit_record(
            actor=triggered_by,
            action=AuditEntry.Action.WORLD_TRAIN,
            target=row,
            detail={"trigger": trigger},
        )
    logger.info("world engine #%s queued (%s)", row.id, trigger)
    return row


def train_engine_version(
    *,
    triggered_by: User | None = None,
    trigger: str = WorldEngineVersion.Trigger.MANUAL,
    activate: bool = True,
    progress: WorldProgress | None = None,
) -> WorldEngineVersion:
    """Train a new engine version in this process, regenerate every eligible
    learnware's system spec under it, and activate it (or leave it ready).

    Failures mark the version failed with the error; the active version stays.
    Raises ``ApplicationError`` as :func:`world_training_start`.
    """
    row = _world_training_create(trigger=trigger, triggered_by=triggered_by)
    done = world_engine_train(version_id=row.id, activate=activate, progress=progress)
    assert done is not None  # just created: nobody else claimed it
    return done


def world_engine_train(
    *, version_id: int, activate: bool = True, progress: WorldProgress | None = None
) -> WorldEngineVersion | None:
    """Run a queued training: train, store, regenerate, then activate in one
    transaction. Idempotent: a version already claimed is left alone (None).

    ``progress(phase, done, total)`` follows the training epochs and the
    regeneration; each call also renews the heartbeat that tells a live training
    from a lost one.
    """
    claimed = WorldEngineVersion.objects.filter(
        id=version_id, state=WorldState.TRAINING, heartbeat_at__isnull=True
    ).update(heartbeat_at=timezone.now())
    if not claimed:
        logger.info("world engine #%s: not claimable (done or running)", version_id)
        return None
    row = WorldEngineVersion.objects.get(id=version_id)

    def beat(phase: str, done: int, total: int) -> None:
        WorldEngineVersion.objects.filter(id=version_id).update(
            heartbeat_at=timezone.now(),
            progress={"phase": phase, "done": done, "total": total},
        )
        if progress is not None:
            progress(phase, done, total)

    try:
        engine, inputs = _world_train(row, beat)
        _world_regenerate(row, engine, inputs, beat)
        if activate:
            _world_activate(row, engine=engine, allowed=(WorldState.REGENERATING,))
        else:
            WorldEngineVersion.objects.filter(
                id=row.id, state=WorldState.REGENERATING
            ).update(state=WorldState.READY, finished_at=timezone.now())
    except Exception as exc:  # any failure is the version's: recorded, not raised
        logger.exception("world engine #%s failed", version_id)
        WorldEngineVersion.objects.filter(
            id=version_id, state__in=WorldEngineVersion.RUNNING_STATES
        ).update(
            state=WorldState.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:5000],
            finished_at=timezone.now(),
        )
        SystemSpec.objects.filter(engine_id=version_id).delete()
    row.refresh_from_db()
    return row


def _world_train(
    row: WorldEngineVersion, beat: WorldProgress
) -> tuple[WorldEngine, list[tuple[LearnwareVersion, WorldInput]]]:
    """Train and store the engine; also the inputs it was trained on (each stat
    spec is read once, for training and regeneration)."""
    from learnware_core.specworld import WorldTable, train_engine

    net_config, train_config = world.engine_configs()
    tables = []
    inputs: list[tuple[LearnwareVersion, WorldInput]] = []
    versions = LearnwareVersion.objects.filter(
        id__in=row.candidates, learnware__deleted_at__isnull=True
    ).select_related("learnware")
    for version in versions.order_by("id"):
        try:
            found = world.table_input(version)
        except world.WorldUnavailable as exc:
            logger.warning("world engine #%s: skipping: %s", row.id, exc)
            continue
        if found is not None:
            rkme, descriptions = found
            inputs.append((version, found))
            tables.append(
                WorldTable.from_rkme(rkme, descriptions, str(version.learnware_id))
            )
    if not tables:
        raise world.WorldUnavailable(
            f"none of the {len(row.candidates)} candidate learnwares has a readable, "
            "eligible table RKME"
        )
    beat("training", 0, train_config.epochs)
    engine = train_engine(
        tables,
        net_config=net_config,
        train_config=train_config,
        progress=lambda done, total: beat("training", done, total),
    )
    twin = (
        WorldEngineVersion.objects.filter(version=engine.version)
        .exclude(id=row.id)
        .first()
    )
    if twin is not None:
        raise world.WorldUnavailable(
            f"the trained engine is identical to version {engine.version} "
            f"({twin.get_state_display().lower()}): same learnwares and configuration"
        )
    row.engine_file.save(
        f"{engine.version}.pt", ContentFile(engine.to_bytes()), save=False
    )
    row.version = engine.version
    row.metrics = engine.metrics
    row.learnware_count = len(tables)
    row.config = {"net": asdict(net_config), "train": asdict(train_config)}
    row.state = WorldState.REGENERATING
    row.save(
        update_fields=[
            "engine_file",
            "version",
            "metrics",
            "learnware_count",
            "config",
            "state",
        ]
    )
    world.engine_remember(engine)
    return engine, inputs


def _system_spec_store(
    engine: WorldEngine,
    row: WorldEngineVersion,
    version: LearnwareVersion,
    found: WorldInput | None = None,
) -> SystemSpec | None:
    """Map the version's table RKME (``found``, else read now) under ``engine`` and
    store it (None: the version is not eligible or its stat spec is unreadable)."""
    if found is None:
        try:
            found = world.table_input(version)
        except world.WorldUnavailable as exc:
            logger.warning("no system spec for version %s: %s", version.id, exc)
            return None
    if found is None:
        return None
    spec = engine.system_spec(*found)
    stored, _ = SystemSpec.objects.update_or_create(
        engine=row, learnware_version=version, defaults={"spec": spec.to_dict()}
    )
    return stored


def _world_regenerate(
    row: WorldEngineVersion,
    engine: WorldEngine,
    inputs: list[tuple[LearnwareVersion, WorldInput]],
    beat: WorldProgress,
) -> None:
    """System specs of the learnwares the engine was trained on (activation fills
    in any approved since)."""
    beat("regenerating", 0, len(inputs))
    for i, (version, found) in enumerate(inputs, start=1):
        _system_spec_store(engine, row, version, found)
        beat("regenerating", i, len(inputs))


def _world_activate(
    row: WorldEngineVersion,
    *,
    allowed: tuple[str, ...],
    engine: WorldEngine | None = None,
    by: User | None = None,
) -> WorldEngineVersion:
    """Fill in missing system specs, then in ONE transaction retire the active
    version and activate ``row``: a search sees the old version or the new one."""

    def fill_missing() -> None:
        nonlocal engine
        for version in selectors.world_specs_missing(engine=row):
            engine = engine or world.engine_of(row)
            _system_spec_store(engine, row, version)

    fill_missing()  # the slow part, outside the transaction
    with transaction.atomic():
        locked = list(
            WorldEngineVersion.objects.select_for_update()
            .filter(Q(id=row.id) | Q(state=WorldState.ACTIVE))
            .order_by("id")
        )
        current = next(r for r in locked if r.id == row.id)
        if current.state == WorldState.ACTIVE:
            return current
        if current.state not in allowed:
            raise ApplicationError(
                f"version {row.version or row.pk} is "
                f"{current.get_state_display().lower()}; only a ready or retired "
                "version can be activated",
                status_code=409,
            )
        fill_missing()  # learnwares approved meanwhile (usually none)
        now = timezone.now()
        WorldEngineVersion.objects.filter(state=WorldState.ACTIVE).update(
            state=WorldState.RETIRED
        )
        WorldEngineVersion.objects.filter(id=row.id).update(
            state=WorldState.ACTIVE,
            activated_at=now,
            activated_by=by,
            finished_at=Coalesce("finished_at", Value(now)),
            progress={},
        )
    row.refresh_from_db()
    logger.info("world engine %s active", row.version)
    return row


def engine_version_or_404(version: str) -> WorldEngineVersion:
    """The engine version named ``version``; ``ApplicationError`` 404 if none."""
    try:
        return selectors.engine_version_get(version=version)
    except WorldEngineVersion.DoesNotExist:
        raise ApplicationError(
            f"No engine version {version!r}", status_code=404
        ) from None


def activate_engine_version(
    *, version: str, by: User | None = None
) -> WorldEngineVersion:
    """Activate a ready or retired version (rollback), after generating the system
    specs of learnwares approved since it was trained. 404 unknown, 409 not usable.
    """
    row = engine_version_or_404(version)
    return _world_activate(row, allowed=(WorldState.READY, WorldState.RETIRED), by=by)


def world_activation_request(
    *, version: str, by: User
) -> tuple[WorldEngineVersion, str | None]:
    """Activate ``version`` now if it has every system spec; else queue the task
    that generates the missing ones, then activates (returns its task id)."""
    row = engine_version_or_404(version)
    if row.state not in (WorldState.READY, WorldState.RETIRED, WorldState.ACTIVE):
        raise ApplicationError(
            f"version {version} is {row.get_state_display().lower()}; only a ready "
            "or retired version can be activated",
            extra={"state": row.state},
            status_code=409,
        )
    audit_record(
        actor=by,
        action=AuditEntry.Action.WORLD_ACTIVATE,
        target=row,
        detail={"engine": version, "previous_state": row.state},
    )
    if row.state == WorldState.ACTIVE or not selectors.world_specs_missing(engine=row):
        return activate_engine_version(version=version, by=by), None
    task_id = str(uuid.uuid4())
    transaction.on_commit(
        lambda: tasks.world_engine_activate.apply_async(
            (version, by.id), task_id=task_id
        )
    )
    return row, task_id


def world_system_spec_generate(*, version_id: int) -> SystemSpec | None:
    """The system spec of a newly approved version under the active engine."""
    active = selectors.engine_version_active()
    version = (
        LearnwareVersion.objects.filter(id=version_id)
        .select_related("learnware")
        .first()
    )
    if active is None or version is None:
        return None
    return _system_spec_store(world.engine_of(active), active, version)


def world_retrain_if_due() -> WorldEngineVersion | None:
    """Queue a training once ``BMW_WORLD_RETRAIN_EVERY`` eligible table learnwares
    were approved since the newest version was started (a failed one too)."""
    every = settings.BMW_WORLD_RETRAIN_EVERY
    if not every:
        return None
    latest = selectors.engine_version_latest()
    if latest is not None and latest.state in WorldEngineVersion.RUNNING_STATES:
        return None
    since = latest.created_at if latest is not None else None
    if len(selectors.world_candidates(approved_after=since)) < every:
        return None
    try:
        return world_training_start(trigger=WorldEngineVersion.Trigger.APPROVALS)
    except ApplicationError as exc:
        logger.info("world retraining not started: %s", exc.message)
        return None


def world_retrain_scheduled() -> WorldEngineVersion | None:
    """Queue a training if the eligible learnwares changed since the newest usable
    version (run by beat)."""
    latest = (
        selectors.engine_version_list()
        .filter(state__in=WorldEngineVersion.USABLE_STATES)
        .first()
    )
    current = [v.id for v in selectors.world_candidates()]
    if not current or (latest is not None and latest.candidates == current):
        return None
    try:
        return world_training_start(trigger=WorldEngineVersion.Trigger.SCHEDULE)
    except ApplicationError as exc:
        logger.info("scheduled world retraining not started: %s", exc.message)
        return None


def _world_after_approval(version: LearnwareVersion) -> None:
    """A table learnware went live: its system spec (if an engine is active), and
    a retraining once enough were approved."""
    if not world.version_may_be_eligible(version):
        return
    if selectors.engine_version_active() is not None:
        tasks.world_system_spec_generate.delay_on_commit(version.id)
    world_retrain_if_due()
