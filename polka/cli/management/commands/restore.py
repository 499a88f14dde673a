"""`polka restore PATH`: replace the whole database with a backup made by `polka backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from polka.cli.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace every row of the database named by DATABASE_URL with the contents of a backup "
        "file made by `polka backup` on the same engine. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="backup file made by `polka backup`")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args: Any, path: Path, interactive: bool, **options: Any) -> None:
        if interactive:
            name = connection.settings_dict["NAME"]
            try:
                answer = input(
                    _("Всё содержимое базы %(name)s будет заменено копией %(path)s.\n")
                    % {"name": name, "path": path}
                    + _("Введите yes, чтобы продолжить: ")
                )
            except EOFError:  # no terminal: a script must say --noinput explicitly
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError(_("Восстановление отменено; ничего не изменено."))
        try:
            engine = backup_restore(source=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("База данных (%(engine)s) восстановлена из %(path)s")
            % {"engine": engine, "path": path}
        )
