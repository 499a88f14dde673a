"""`polka upgrade [--no-backup]`: migrations (after a backup), static files, search index."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from polka.cli.backup import BackupError
from polka.cli.upgrade import upgrade_run


class Command(BaseCommand):
    help = (
        "Bring the site up to the installed version: back up and migrate when migrations are "
        "pending, collect static files, rebuild the search index when incomplete. Safe to rerun."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-backup", action="store_true", help="migrate without taking a backup first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = upgrade_run(at=timezone.now(), backup=not options["no_backup"])
        except BackupError as exc:
            raise CommandError(f"no backup, so nothing was migrated: {exc}") from exc
        for line in report.done:
            self.stdout.write(f"polka upgrade: {line}")
        if not report.changed:
            self.stdout.write(
                "polka upgrade: nothing to do; the database, static files and search index are "
                "up to date"
            )
