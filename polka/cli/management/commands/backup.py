"""`polka backup [--output PATH]`: one file with the whole database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from polka.cli.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the whole database to one file: a SQLite copy made with the online backup "
        "API, or a pg_dump custom-format dump. Default: var/backups/polka-<engine>-<time>.<ext>."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", "-o", type=Path, help="file to write, or a folder to write it in"
        )

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        try:
            result = backup_create(output=output, at=timezone.now())
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Резервная копия записана: %(path)s (%(engine)s, %(size)s байт)")
            % {"path": result.path, "engine": result.engine, "size": result.size}
        )
