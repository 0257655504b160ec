"""Create the first admin account if there is none (safe to re-run)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services


class Command(BaseCommand):
    help = "Create the first admin (email/password from options or BMW_ADMIN_* env)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default=None)
        parser.add_argument("--password", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        import os

        email = options["email"] or os.environ.get(
            "BMW_ADMIN_EMAIL", "admin@example.com"
        )
        password = options["password"] or os.environ.get("BMW_ADMIN_PASSWORD") or None
        try:
            result = services.admin_ensure(email=email, password=password)
        except ValidationError as exc:
            raise CommandError(
                "BMW_ADMIN_PASSWORD (or --password) is too weak: "
                + " ".join(exc.messages)
            ) from exc
        if not result.created:
            self.stdout.write(f"Admin account exists: {result.user.email}")
        elif result.password:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created admin {result.user.email} with password "
                    f"{result.password} (shown once; change it after signing in)"
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Created admin {result.user.email}"))
