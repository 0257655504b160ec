"""Check a backup archive without restoring it (see bmw.backup)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bmw import backup


class Command(BaseCommand):
    help = (
        "Read a backup archive through and check every member against its manifest "
        "(size, SHA-256) and the rows against its counts. Exit 1 if anything differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        progress = options["verbosity"] >= 1 and sys.stderr.isatty()
        try:
            manifest = backup.backup_verify(archive, progress=progress)
        except backup.BackupError as exc:
            raise CommandError(f"verification failed: {exc}") from exc
        if options["verbosity"] >= 2:
            for label, count in manifest["rows"].items():
                self.stdout.write(f"  {label}: {count}")
        missing = manifest["missing_files"]
        if missing:
            self.stderr.write(
                f"warning: {len(missing)} file(s) were missing from the storage when "
                f"it was made: {', '.join(missing[:10])}"
            )
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{archive}: OK: {sum(manifest['rows'].values())} rows, "
                    f"{len(manifest['files'])} files, made {manifest['created_at']} "
                    f"by dock {manifest['dock_version']} "
                    f"({manifest['database']['vendor']})"
                )
            )
