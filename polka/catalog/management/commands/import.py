"""`polka import FILE...`: MARC records into the catalogue, with a report and a summary line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from polka.catalog.errors import CatalogError
from polka.catalog.importing import (
    BATCH_SIZE,
    ENCODINGS,
    FLAVOURS,
    FORMATS,
    MATCHES,
    catalog_import,
)


class Command(BaseCommand):
    help = (
        "Import MARC21 or RUSMARC records (ISO 2709, MARCXML, MARC-in-JSON). Bad records are "
        "skipped or repaired and listed in --report; the last line is the summary: "
        "read N, created N, updated N, skipped N, repaired N."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--format", choices=FORMATS, help="default: detected per file")
        parser.add_argument("--flavour", choices=FLAVOURS, help="default: detected per record")
        parser.add_argument(
            "--encoding",
            help=f"{', '.join(ENCODINGS)}; default: from the leader / RUSMARC field 100",
        )
        parser.add_argument("--branch", help="branch code for copies whose branch is unknown")
        parser.add_argument(
            "--match",
            choices=MATCHES,
            default="none",
            help="update the record found by ISBN or control number instead of adding another",
        )
        parser.add_argument("--dry-run", action="store_true", help="read and check, write nothing")
        parser.add_argument("--report", metavar="PATH", help="JSON Lines report of bad records")
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="records stored per transaction"
        )
        parser.add_argument(
            "--read-ahead",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="read and map records in a second process while this one stores them "
            "(default: when the files hold 2 MiB or more and the machine has two cores)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with tqdm(unit=" rec", file=sys.stderr, disable=options["verbosity"] == 0) as bar:
            try:
                summary = catalog_import(
                    paths=options["files"],
                    format=options["format"],
                    flavour=options["flavour"],
                    encoding=options["encoding"],
                    branch=options["branch"],
                    match=options["match"],
                    dry_run=options["dry_run"],
                    report_path=options["report"],
                    at=timezone.now(),
                    clock=timezone.now,
                    progress=bar.update,
                    batch_size=max(1, options["batch_size"]),
                    read_ahead=options["read_ahead"],
                )
            except CatalogError as exc:
                raise CommandError(exc.message) from exc
        if summary.unchanged:
            self.stdout.write(f"unchanged {summary.unchanged} (already in the catalogue)")
        if options["dry_run"]:
            self.stdout.write("dry run: nothing was written")
        self.stdout.write(summary.line())
