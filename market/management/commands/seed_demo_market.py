"""Seed the dock with the demo market (safe to re-run; see market.demo)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from market import demo
from market.models import Learnware

PARTS = ("table", "image", "text")


class Command(BaseCommand):
    help = (
        "Build the demo market's learnwares (table, image, text; cached), submit "
        "those not in the market yet, and approve them as their checks pass."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--parts", nargs="+", choices=PARTS, default=list(PARTS), metavar="PART"
        )
        parser.add_argument("--cache", type=Path, default=None)
        parser.add_argument(
            "--wait",
            type=float,
            default=0.0,
            metavar="SECONDS",
            help="keep approving learnwares as their checks pass, up to this long",
        )

    def _building(self, step: str) -> None:
        self.stdout.write(f"demo market: building {step}")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        reviewer = (
            User.objects.filter(role=User.Role.ADMIN, is_active=True)
            .order_by("id")
            .first()
        )
        if reviewer is None:
            raise CommandError("no active admin to approve with: run ensure_admin")
        cache = options["cache"] or settings.BMW_DEMO_CACHE_DIR
        deadline = started + options["wait"]
        approved = 0

        def approve(until: float) -> demo.ApprovalRound:
            nonlocal approved
            while True:
                round_ = demo.demo_market_approve_ready(reviewer=reviewer)
                approved += round_.approved
                if round_.pending == 0 or time.monotonic() >= until:
                    return round_
                time.sleep(2)

        # Part by part (tables build in seconds, images and texts in a minute or two):
        # each part is submitted as soon as it is built, and the next part builds
        # while the batch worker checks it (both run as batch work, at the same low
        # CPU priority), so the first learnwares are listed soon after start-up and
        # the building never waits for the checks.
        for part in options["parts"]:
            report = demo.demo_market_seed(
                cache=cache,
                parts=(part,),
                progress=self._building,
            )
            for reason in report.skipped:
                self.stderr.write(f"demo market: skipped {reason}")
            self.stdout.write(
                f"demo market: {part}: {len(report.submitted)} learnwares submitted, "
                f"{report.existing} already there, {report.examples} example specs"
            )
            approve(time.monotonic())  # those whose checks already passed
        round_ = approve(deadline)
        listed = Learnware.objects.filter(
            live_version__isnull=False, deleted_at__isnull=True
        ).count()
        self.stdout.write(
            f"demo market: {approved} approved now, {round_.pending} still checking, "
            f"{round_.failed} failed their checks; {listed} learnwares listed "
            f"({time.monotonic() - started:.0f} s)"
        )
