"""The market's records: learnwares, their versions, check steps, reviews, notices.

A :class:`Learnware` is the stable identity (owner, name, tags) that search lists; each
upload of a package is a :class:`LearnwareVersion` that goes through checks and review.
The approved version stays live until a newer one is approved; earlier versions stay
downloadable.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q


class Learnware(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="learnwares"
    )
    name = models.CharField(max_length=200)
    # The semantic spec of the newest version; tag columns copy it for DB filtering.
    semantic_spec = models.JSONField()
    data_type = models.CharField(max_length=16, db_index=True)
    task_type = models.CharField(max_length=40, db_index=True)
    library_type = models.CharField(max_length=40, db_index=True)
    license = models.CharField(max_length=40)
    scenarios = models.JSONField(default=list)
    live_version = models.OneToOneField(
        "LearnwareVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The approved version search and downloads use.",
    )
    downloads = models.PositiveIntegerField(default=0)
    # float32 MiniLM embedding of "name. description", for ranking text queries by
    # meaning; computed by the search worker (which has the encoder loaded).
    text_embedding = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-id",)
        indexes: ClassVar = [
            models.Index(fields=["owner", "-id"]),
            # Covers "live learnwares" (deleted_at IS NULL AND live_version IS NOT
            # NULL): the search worker counts them before every query (0.7 ms
            # instead of a 17 ms table scan at 10,000 learnwares on SQLite).
            models.Index(
                fields=["deleted_at", "live_version"], name="market_lw_live_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pk})"

    @property
    def compat_id(self) -> str:
        """The original Beimingwu's id format: 8-digit zero-padded."""
        return f"{self.pk:08d}"


class LearnwareVersion(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued for checks"
        CHECKING = "checking", "Checking"
        CHECK_FAILED = "check_failed", "Check failed"
        AWAITING_REVIEW = "awaiting_review", "Awaiting review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    FINAL_STATUSES: ClassVar = (Status.CHECK_FAILED, Status.APPROVED, Status.REJECTED)

    learnware = models.ForeignKey(
        Learnware, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    package = models.FileField(upload_to="packages/%Y/%m/", max_length=300)
    package_size = models.PositiveBigIntegerField()
    package_sha256 = models.CharField(max_length=64, db_index=True)
    package_md5 = models.CharField(
        max_length=32, db_index=True
    )  # the original's file_hash
    semantic_spec = models.JSONField()
    stat_spec_type = models.CharField(max_length=64)
    # The statistical spec (stat.json) taken from the package at upload, for search.
    stat_spec_file = models.FileField(
        upload_to="stat-specs/%Y/%m/", max_length=300, blank=True
    )
    input_dimension = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    check_attempts = models.PositiveSmallIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("learnware_id", "-number")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["learnware", "number"], name="version_number_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(reviewed_at__isnull=False),
                name="approved_version_was_reviewed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learnware_id} v{self.number} ({self.status})"


class CheckStep(models.Model):
    """One step of a version's verification, recorded as it runs (live progress)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    version = models.ForeignKey(
        LearnwareVersion, on_delete=models.CASCADE, related_name="check_steps"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=40)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    message = models.TextField(blank=True)
    log = models.TextField(blank=True, help_text="Excerpt of the step's output.")
    details = models.JSONField(
        default=dict,
        blank=True,
        help_text="Structured findings, by kind (pickle_scan: the pickle scan's).",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ("version_id", "position")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["version", "position"], name="check_step_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}:{self.name}={self.status}"


class ReviewDecision(models.Model):
    """Audit log of every review decision (kept even if the version goes)."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approve"
        REJECT = "reject", "Reject"

    version = models.ForeignKey(
        LearnwareVersion, on_delete=models.SET_NULL, null=True, related_name="decisions"
    )
    learnware_name = models.CharField(max_length=200)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-id",)

    def __str__(self) -> str:
        return f"{self.decision} {self.learnware_name} by {self.reviewer_id}"


class Notification(models.Model):
    """An in-app notice to a user (also sent by e-mail)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    learnware = models.ForeignKey(
        Learnware, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-id",)
        indexes: ClassVar = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"to {self.user_id}: {self.title}"


class ChunkedUpload(models.Model):
    """A package the original ``LearnwareClient`` is sending in chunks (compat API).

    Keyed by the uploader and the MD5 of the whole file, as that client is. Each chunk
    is stored as its own file, so a retried or resumed upload just overwrites chunks;
    ``chunks`` maps each byte offset to ``{"name": stored name, "size": bytes}``.
    The row and its files go once the package becomes a learnware, or when stale.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_hash = models.CharField(max_length=32)  # MD5 hex of the whole package
    chunks = models.JSONField(default=dict)
    received_bytes = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-id",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "file_hash"], name="chunked_upload_unique_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_hash} by {self.user_id} ({self.received_bytes} bytes)"


class SearchIndexEvent(models.Model):
    """Append-only log of market changes that search workers apply to their index.

    Each worker remembers the last id it applied and replays newer events before a
    query, so several workers stay consistent without a full reload.
    """

    class Action(models.TextChoices):
        UPSERT = "upsert", "Add or refresh"
        REMOVE = "remove", "Remove"

    learnware_id = models.BigIntegerField(db_index=True)  # no FK: outlives the row
    action = models.CharField(max_length=10, choices=Action.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.learnware_id}"


class UsageDay(models.Model):
    """How many searches and downloads the market served on one day (UTC).

    A counter row per (day, kind), bumped by one atomic UPDATE, so counting costs no
    row per event and the dashboard's series is a range scan.
    """

    class Kind(models.TextChoices):
        SEARCH = "search", "Searches"
        DOWNLOAD = "download", "Downloads"

    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ("day", "kind")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["day", "kind"], name="usage_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}: {self.count}"


class ExampleSpec(models.Model):
    """A user's statistical specification offered on the search page to try.

    Made from held-out data (e.g. by the demo market); ``key`` identifies it across
    re-seeding.
    """

    key = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    data_type = models.CharField(max_length=16)
    stat_spec_type = models.CharField(max_length=64)
    stat_spec_file = models.FileField(upload_to="example-specs/", max_length=300)
    # The example user's columns (a semantic spec's Input), sent with the spec.
    input = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name


class WorldEngineVersion(models.Model):
    """One trained specification-world engine (``learnware_core.specworld``).

    A version is trained on the table learnwares eligible at the time, then every
    eligible learnware gets its system specification under it (regenerating), then
    it is activated: heterogeneous search uses the single active version. Earlier
    versions are kept (retired) for rollback. ``version`` is the engine's content
    hash, known once trained.
    """

    class State(models.TextChoices):
        TRAINING = "training", "Training"
        REGENERATING = "regenerating", "Generating system specifications"
        READY = "ready", "Ready"
        ACTIVE = "active", "Active"
        FAILED = "failed", "Failed"
        RETIRED = "retired", "Retired"

    class Trigger(models.TextChoices):
        MANUAL = "manual", "An administrator"
        APPROVALS = "approvals", "New approvals"
        SCHEDULE = "schedule", "The daily schedule"

    RUNNING_STATES: ClassVar = (State.TRAINING, State.REGENERATING)
    USABLE_STATES: ClassVar = (State.READY, State.ACTIVE, State.RETIRED)

    version = models.CharField(max_length=32, unique=True, null=True, blank=True)
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.TRAINING, db_index=True
    )
    trigger = models.CharField(
        max_length=16, choices=Trigger.choices, default=Trigger.MANUAL
    )
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    engine_file = models.FileField(
        upload_to="world-engines/", max_length=300, blank=True
    )
    config = models.JSONField(default=dict, help_text="NetConfig and TrainConfig.")
    # The learnware versions eligible when training was requested (sorted ids): with
    # ``config``, what makes two trainings the same.
    candidates = models.JSONField(default=list)
    learnware_count = models.PositiveIntegerField(
        default=0, help_text="Table learnwares the engine was trained on."
    )
    metrics = models.JSONField(default=dict)
    progress = models.JSONField(default=dict)  # {"phase", "done", "total"}
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who activated it last (none: activated by its training).",
    )

    class Meta:
        ordering = ("-id",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(state="active"),
                name="world_engine_one_active",
            ),
            # 1 while training or regenerating, NULL (never equal) otherwise.
            models.UniqueConstraint(
                models.Case(
                    models.When(
                        state__in=("training", "regenerating"), then=models.Value(1)
                    ),
                    output_field=models.IntegerField(),
                ),
                name="world_engine_one_running",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version or f'#{self.pk}'} ({self.state})"


class SystemSpec(models.Model):
    """A learnware version's system specification under one engine version.

    The table RKME of the version's stat spec mapped into the engine's world (a
    ``HeteroMapTableSpecification``, its ``to_dict()``).
    """

    engine = models.ForeignKey(
        WorldEngineVersion, on_delete=models.CASCADE, related_name="system_specs"
    )
    learnware_version = models.ForeignKey(
        LearnwareVersion, on_delete=models.CASCADE, related_name="system_specs"
    )
    spec = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["engine", "learnware_version"], name="system_spec_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learnware_version_id} in {self.engine_id}"
