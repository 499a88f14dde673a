"""`polka check`: Django's system checks, plus whether the database in DATABASE_URL answers.

An operator runs `polka check` to learn whether the configuration works; Django's own check
never opens the database, so a wrong host or password would pass unnoticed. A failure here
propagates as a database error, which the `polka` wrapper prints as one line.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.check import Command as DjangoCheckCommand
from django.db import connection


class Command(DjangoCheckCommand):
    def handle(self, *app_labels: Any, **options: Any) -> None:
        if not options.get("list_tags"):
            with connection.cursor() as cursor:
                # Reading the schema catches files that are not SQLite databases at all.
                connection.introspection.table_names(cursor)
        super().handle(*app_labels, **options)
