"""`polka readers-import --format csv|irbis FILE...`: readers from a legacy system; bad rows are
listed with their line or record number, the last line is the summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from polka.org.models import Branch
from polka.readers.importing import (
    ImportReport,
    parse_mapping,
    readers_import,
    rows_from_csv,
    rows_from_irbis,
    rows_from_irbis_master,
)


class Command(BaseCommand):
    help = (
        "Import readers from CSV (header row; --map old=new renames columns) or from ИРБИС64's "
        "reader database (RDR: text exchange format, ISO 2709, or its RDR.MST master file "
        "beside RDR.XRF), with the open loans of field 40. A rerun updates by card number. "
        "Last line: read N, created N, updated N, unchanged N, skipped N."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--format", choices=("csv", "irbis"), required=True)
        parser.add_argument("--map", action="append", default=[], metavar="OLD=NEW")
        parser.add_argument("--branch", help="home branch code for rows that name none")
        parser.add_argument("--category", help="category code for unknown categories")
        parser.add_argument("--dry-run", action="store_true", help="check, store nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            mapping = parse_mapping(options["map"])
        except ValueError as bad:
            raise CommandError(str(bad)) from None
        branch = None
        if options["branch"]:
            branch = Branch.objects.filter(code=options["branch"]).first()
            if branch is None:
                raise CommandError(f"no branch with code {options['branch']!r}")
        total = ImportReport()
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"no such file: {name}")
            if options["format"] == "csv":
                rows = rows_from_csv(path.read_bytes(), mapping=mapping)
            elif path.suffix.lower() == ".mst":
                rows = rows_from_irbis_master(path)
            else:
                rows = rows_from_irbis(path.read_bytes())
            report = readers_import(
                rows=rows,
                at=timezone.now(),
                default_branch=branch,
                default_category=options["category"],
                dry_run=options["dry_run"],
            )
            for problem in report.problems:
                self.stderr.write(f"{path.name}: {problem}")
            for key in ("read", "created", "updated", "unchanged", "skipped", "loans",
                        "loans_refused"):  # fmt: skip
                setattr(total, key, getattr(total, key) + getattr(report, key))
        if total.loans or total.loans_refused:
            self.stdout.write(f"loans opened {total.loans}, refused {total.loans_refused}")
        self.stdout.write(total.summary())
