"""Back up the database and the stored files into one archive (see bmw.backup)."""

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
        "Back up the database (one consistent snapshot) and every stored file its "
        "rows name into one archive, with a manifest of checksums and row counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            required=True,
            metavar="DIR_OR_FILE",
            help="a directory (the archive is named bmw-backup-<UTC time>.tar in it) "
            "or a new file (.tar, or .tar.gz to compress)",
        )
        parser.add_argument(
            "--gzip",
            action="store_true",
            help="compress an archive named in a directory (packages are zips already)",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            metavar="N",
            help="then delete all but the N newest bmw-backup-* archives in DIR",
        )
        parser.add_argument(
            "--verify",
            action="store_true",
            help="then read the archive back and check it (as verify_backup does)",
        )
        parser.add_argument(
            "--allow-missing",
            action="store_true",
            help="back up even if files that rows name are missing from the storage "
            "(they are listed in the manifest)",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        output: Path = options["output"]
        keep = options["keep"]
        if keep is not None and (keep < 1 or not output.is_dir()):
            raise CommandError("--keep: needs N >= 1 and --output a directory")
        quiet = options["verbosity"] < 1
        progress = not quiet and sys.stderr.isatty()

        def log(line: str) -> None:
            if not quiet:
                self.stdout.write(line)

        try:
            path = backup.archive_path(output, compress=options["gzip"])
            result = backup.backup_create(
                path,
                using=options["database"],
                allow_missing=options["allow_missing"],
                progress=progress,
                log=log,
            )
            if options["verify"]:
                backup.backup_verify(path, progress=progress)
                log("verified")
        except backup.BackupError as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        if options["verbosity"] >= 2:
            for label, count in result.manifest["rows"].items():
                self.stdout.write(f"  {label}: {count}")
        if keep is not None:
            for old in backup.backups_prune(output, keep):
                log(f"deleted {old.name} (--keep {keep})")
        if not quiet:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backed up {result.rows} rows and {len(result.manifest['files'])} "
                    f"files ({result.file_bytes} bytes) to {path} in "
                    f"{time.monotonic() - started:.1f} s"
                )
            )
