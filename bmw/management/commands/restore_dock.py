"""Restore a backup archive into an empty instance (see bmw.backup)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from bmw import backup


class Command(BaseCommand):
    help = (
        "Restore a backup (backup_dock) into this instance, which must be empty: a "
        "database migrated to the backup's migrations with no rows, and none of the "
        "archive's files in the storage. All or nothing; the archive is verified "
        "first and every file is read back before the rows commit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        archive: Path = options["archive"]
        quiet = options["verbosity"] < 1

        def log(line: str) -> None:
            if not quiet:
                self.stdout.write(line)

        try:
            result = backup.backup_restore(
                archive,
                using=options["database"],
                progress=not quiet and sys.stderr.isatty(),
                log=log,
            )
        except backup.BackupError as exc:
            raise CommandError(f"restore failed, nothing was changed: {exc}") from exc
        if options["verbosity"] >= 2:
            for label, count in sorted(result.rows.items()):
                self.stdout.write(f"  {label}: {count}")
        if result.manifest["missing_files"]:
            self.stderr.write(
                "warning: the backup lacks files that were already missing when it "
                f"was made: {', '.join(result.manifest['missing_files'][:10])}"
            )
        if not quiet:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Restored {sum(result.rows.values())} rows and {result.files} "
                    f"files ({result.file_bytes} bytes) from {archive} in "
                    f"{time.monotonic() - started:.1f} s. Start the dock now."
                )
            )
