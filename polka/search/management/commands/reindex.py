"""`polka reindex`: rebuild the search index from the catalogue, with a progress bar."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from polka.catalog.models import Record
from polka.search.backends import get_backend
from polka.search.indexing import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index from every catalogue record (in one transaction)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="records per batch")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        with tqdm(
            total=Record.objects.count(),
            unit=" rec",
            file=sys.stderr,
            disable=options["verbosity"] == 0,
        ) as bar:
            count = reindex_all(progress=bar.update, batch=options["batch"])
        seconds = time.perf_counter() - started
        rate = count / seconds if seconds else 0.0
        self.stdout.write(
            f"indexed {count} records in {seconds:.1f} s ({rate:.0f} records/s, "
            f"engine {get_backend().name})"
        )
