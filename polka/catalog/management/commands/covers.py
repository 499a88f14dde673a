"""`polka covers`: fill the local cache of the optional cover service (POLKA_COVER_SERVICE_URL)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from polka.catalog.cover_service import cover_service_on, covers_fetch
from polka.catalog.models import Record


class Command(BaseCommand):
    help = (
        "Fetch book covers by ISBN from the cover service set in POLKA_COVER_SERVICE_URL into "
        "the local cache; each ISBN is asked once. Pages show only cached covers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=0, help="at most this many records")

    def handle(self, *args: Any, **options: Any) -> None:
        if not cover_service_on():
            raise CommandError("The cover service is off: set POLKA_COVER_SERVICE_URL.")
        records = Record.objects.exclude(isbns=[]).only("pk", "isbns").order_by("pk")
        if options["limit"]:
            records = records[: options["limit"]]
        seen, found = covers_fetch(
            records=tqdm(records.iterator(), disable=options["verbosity"] < 1, unit="record")
        )
        self.stdout.write(f"ISBNs: {seen}, covers cached: {found}")
