"""Seeding the demo market: real learnwares submitted through the normal pipeline.

The packages come from :func:`learnware_core.scenarios.demo.build_demo_market`
(built once into a cache folder). Each is uploaded as the demo account's learnware,
so the worker checks it in the sandbox like any other; :func:`demo_market_approve_ready`
then approves the ones that passed, as an admin. Re-running skips what exists (same
package hash) and refreshes the example specs.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services as account_services
from accounts.models import User
from learnware_core.scenarios.demo import build_demo_market
from market import services
from market.models import ExampleSpec, LearnwareVersion

logger = logging.getLogger(__name__)
Status = LearnwareVersion.Status
DEMO_OWNER_NAME = "Beimingwu demo market"


@dataclass
class SeedReport:
    submitted: list[int] = field(default_factory=list)  # new learnware ids
    existing: int = 0
    examples: int = 0
    skipped: list[str] = field(default_factory=list)  # parts without their data


def demo_owner() -> User:
    return account_services.user_system_ensure(
        email=settings.BMW_DEMO_OWNER_EMAIL, display_name=DEMO_OWNER_NAME
    )


def demo_market_seed(
    *,
    cache: Path,
    parts: tuple[str, ...] = ("table", "image", "text"),
    keys: Collection[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedReport:
    """Submit the demo learnwares not yet in the market (``keys``: only these) and
    upsert the example specs. Side effects: packages in storage, check tasks."""
    market = build_demo_market(cache, parts=parts, progress=progress)
    owner = demo_owner()
    report = SeedReport(skipped=market.skipped)
    for lw in market.learnwares:
        if keys is not None and lw.key not in keys:
            continue
        data = lw.package.read_bytes()
        if LearnwareVersion.objects.filter(
            package_sha256=hashlib.sha256(data).hexdigest()
        ).exists():
            report.existing += 1
            continue
        learnware = services.learnware_create(
            owner=owner,
            semantic_spec=lw.semantic,
            package=SimpleUploadedFile(lw.package.name, data, "application/zip"),
        )
        report.submitted.append(learnware.id)
    for example in market.examples:
        data = example.stat_spec.read_bytes()
        row, _ = ExampleSpec.objects.update_or_create(
            key=example.key,
            defaults={
                "name": example.name,
                "description": example.description,
                "data_type": example.data_type,
                "stat_spec_type": str(json.loads(data).get("type", "")),
                "input": example.input,
            },
        )
        if _stored(row) != data:  # a re-seed keeps the file it already has
            # The new file under a new name first, then the old one goes: a backup
            # taken meanwhile never pairs this row with another file's bytes.
            old = row.stat_spec_file.name if row.stat_spec_file else None
            row.stat_spec_file.save(f"{example.key}.json", ContentFile(data))
            if old:
                row.stat_spec_file.storage.delete(old)
        report.examples += 1
    return report


def _stored(example: ExampleSpec) -> bytes | None:
    if not example.stat_spec_file:
        return None
    with example.stat_spec_file.open("rb") as fh:
        return bytes(fh.read())


@dataclass(frozen=True)
class ApprovalRound:
    approved: int
    pending: int  # still queued or checking
    failed: int  # failed their checks (left for a human to look at)


def demo_market_approve_ready(*, reviewer: User) -> ApprovalRound:
    """Approve the demo learnwares whose checks passed; count the rest."""
    demo = LearnwareVersion.objects.filter(
        learnware__owner__email=settings.BMW_DEMO_OWNER_EMAIL,
        learnware__deleted_at__isnull=True,
    )
    approved = 0
    for version in demo.filter(status=Status.AWAITING_REVIEW).select_related(
        "learnware"
    ):
        services.learnware_version_review(
            version=version, reviewer=reviewer, approve=True
        )
        approved += 1
    return ApprovalRound(
        approved=approved,
        pending=demo.filter(status__in=(Status.QUEUED, Status.CHECKING)).count(),
        failed=demo.filter(status=Status.CHECK_FAILED).count(),
    )
