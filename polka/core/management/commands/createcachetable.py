"""Django's createcachetable, and on PostgreSQL the tables made unlogged (polka.core.dbcache)."""

from typing import Any

from django.core.management.commands.createcachetable import Command as DjangoCommand

from polka.core.dbcache import make_unlogged


class Command(DjangoCommand):
    def handle(self, *tablenames: list[str], **options: Any) -> None:  # (django-stubs' type)
        super().handle(*tablenames, **options)
        make_unlogged(options["database"])
