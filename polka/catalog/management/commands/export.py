"""`polka export`: the catalogue, a branch's part of it, or a query's, as MARC."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from typing import Any, BinaryIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from polka.catalog.errors import CatalogError, UnknownBranch
from polka.catalog.exporting import EXPORT_FORMATS, catalog_export
from polka.catalog.importing import FLAVOURS
from polka.catalog.models import Record
from polka.files import atomic_open
from polka.org.models import Branch


class Command(BaseCommand):
    help = (
        "Export records as ISO 2709, MARCXML or MARC-in-JSON. Records nobody edited are "
        "written exactly as they were imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=EXPORT_FORMATS, default="iso2709")
        parser.add_argument("--branch", metavar="CODE", help="only records with copies there")
        parser.add_argument(
            "--query",
            metavar="TEXT",
            help="only records whose title or an author's name contains TEXT (a plain "
            "substring match until the search engine serves queries)",
        )
        parser.add_argument("--flavour", choices=FLAVOURS, help="only MARC21 or RUSMARC records")
        parser.add_argument("--output", metavar="PATH", help="default: standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        branch = None
        if options["branch"]:
            branch = Branch.objects.filter(code=options["branch"]).first()
            if branch is None:
                raise CommandError(UnknownBranch(options["branch"]).message)
        left_out: list[str] = []

        def skipped(record: Record, reason: str) -> None:
            left_out.append(f"record {record.pk}: {reason}")

        with ExitStack() as stack:
            # The file appears only when the export is complete: a refused or failed one
            # leaves nothing behind (nor an older file half overwritten).
            out: BinaryIO = (
                cast(BinaryIO, stack.enter_context(atomic_open(options["output"], "wb")))
                if options["output"]
                else sys.stdout.buffer
            )
            quiet = options["verbosity"] == 0 or not options["output"]
            bar = stack.enter_context(tqdm(unit=" rec", file=sys.stderr, disable=quiet))
            try:
                count = catalog_export(
                    out=out,
                    format=options["format"],
                    branch=branch,
                    query=options["query"] or "",
                    flavour=options["flavour"],
                    progress=bar.update,
                    skipped=skipped,
                )
            except CatalogError as exc:
                raise CommandError(exc.message) from exc
        for line in left_out:
            self.stderr.write(f"not exported: {line}")
        self.stderr.write(
            f"exported {count}" + (f", not exported {len(left_out)}" if left_out else "")
        )
