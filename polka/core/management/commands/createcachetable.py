"""Django's createcachetable, and on PostgreSQL the tables made unlogged, values compressed with
lz4 (polka.core.dbcache.prepare_tables)."""

from typing import Any

from django.core.management.commands.createcachetable import Command as DjangoCommand

from polka.core.dbcache import prepare_tables


class Command(DjangoCommand):
    def handle(self, *tablenames: list[str], **options: Any) -> None:  # (django-stubs' type)
        super().handle(*tablenames, **options)
        prepare_tables(options["database"])
