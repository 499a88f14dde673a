"""`polka reindex`: rebuild the search index from the catalogue, with a progress bar."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from tqdm import tqdm

from polka.catalog.models import Record, RecordAuthor
from polka.catalog.works import work_keys_refresh
from polka.search.backends import get_backend
from polka.search.backends.base import BATCH
from polka.search.indexing import reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every catalogue record and published text "
        "(in one transaction)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", type=int, help="records per batch (default: the search engine's own)"
        )
        parser.add_argument(
            "--work-keys",
            action="store_true",
            help="first recompute every record's work key from its source (after a mapping change)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["work_keys"]:
            self._work_keys(options)
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

    def _work_keys(self, options: dict[str, Any]) -> None:
        with (
            transaction.atomic(),
            tqdm(
                total=Record.objects.count(),
                unit=" rec",
                file=sys.stderr,
                disable=options["verbosity"] == 0,
            ) as bar,
        ):
            changed = work_keys_refresh(
                Record.objects.all(),
                RecordAuthor.objects.all(),
                progress=bar.update,
                batch=options["batch"] or BATCH,
            )
        self.stdout.write(f"work keys changed: {changed}")
