"""Writes of the specification world: train engine versions, store system specs,
activate (or roll back) a version atomically, retrain when due."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from bmw.errors import ApplicationError, ConflictError, NotFoundError
from bmw.jobs import enqueue_on_commit
from market.models import LearnwareVersion, SystemSpec, WorldEngineVersion
from market.world import engines, selectors

if TYPE_CHECKING:
    from learnware_core.specification.rkme import RKMETableSpecification
    from learnware_core.specworld import WorldEngine

logger = logging.getLogger(__name__)

# The world's tasks (market.world.tasks), sent by name.
TRAIN_TASK = "market.world_engine_train"
ACTIVATE_TASK = "market.world_engine_activate"
SYSTEM_SPEC_TASK = "market.world_system_spec_generate"

WorldState = WorldEngineVersion.State
WorldProgress = Callable[[str, int, int], None]
WorldInput = tuple["RKMETableSpecification", dict[str, str]]  # engines.table_input


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
    busy = ConflictError(
        "A specification-world training is already running; wait for it to end",
        extra={"running": running.pk if running else None},
    )
    if running is not None:
        raise busy
    candidates = selectors.world_candidates()
    if not candidates:
        raise ApplicationError(
            "No eligible table learnware: the world is trained on listed table "
            "learnwares (Classification or Regression) with a table RKME and "
            "column descriptions in their semantic spec's Input"
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
    enqueue_on_commit(
        TRAIN_TASK,
        row.id,
        task_id=task_id,
        recovered_by="the lost-training sweep (the version is marked failed)",
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

    net_config, train_config = engines.engine_configs()
    tables = []
    inputs: list[tuple[LearnwareVersion, WorldInput]] = []
    versions = LearnwareVersion.objects.filter(
        id__in=row.candidates, learnware__deleted_at__isnull=True
    ).select_related("learnware")
    for version in versions.order_by("id"):
        try:
            found = engines.table_input(version)
        except engines.WorldUnavailable as exc:
            logger.warning("world engine #%s: skipping: %s", row.id, exc)
            continue
        if found is not None:
            rkme, descriptions = found
            inputs.append((version, found))
            tables.append(
                WorldTable.from_rkme(rkme, descriptions, str(version.learnware_id))
            )
    if not tables:
        raise engines.WorldUnavailable(
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
        raise engines.WorldUnavailable(
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
    engines.engine_remember(engine)
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
            found = engines.table_input(version)
        except engines.WorldUnavailable as exc:
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
            engine = engine or engines.engine_of(row)
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
            raise ConflictError(
                f"version {row.version or row.pk} is "
                f"{current.get_state_display().lower()}; only a ready or retired "
                "version can be activated"
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
        raise NotFoundError(f"No engine version {version!r}") from None


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
        raise ConflictError(
            f"version {version} is {row.get_state_display().lower()}; only a ready "
            "or retired version can be activated",
            extra={"state": row.state},
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
    enqueue_on_commit(
        ACTIVATE_TASK,
        version,
        by.id,
        task_id=task_id,
        recovered_by="nobody: the admin activates again",
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
    return _system_spec_store(engines.engine_of(active), active, version)


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


def learnware_approved(*, version: LearnwareVersion) -> None:
    """A table learnware went live: its system spec (if an engine is active), and
    a retraining once enough were approved."""
    if not engines.version_may_be_eligible(version):
        return
    if selectors.engine_version_active() is not None:
        enqueue_on_commit(
            SYSTEM_SPEC_TASK,
            version.id,
            recovered_by="the next activation (it fills in missing system specs)",
        )
    world_retrain_if_due()
