"""`polka report 6nk --year YYYY [--branch CODE] --output FILE.xlsx` and
`polka report diary --month YYYY-MM --branch CODE --output FILE.xlsx`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from polka.org.models import Branch
from polka.statistics import selectors, xlsx
from polka.statistics.rollup import facts_roll_up


def _branch(code: str | None) -> Branch | None:
    if not code:
        return None
    branch = Branch.objects.filter(code=code).first()
    if branch is None:
        known = ", ".join(Branch.objects.order_by("code").values_list("code", flat=True))
        raise CommandError(f"no branch with code {code!r} (known: {known or 'none'})")
    return branch


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007 - a calendar month
    except ValueError:
        raise CommandError(f"--month wants YYYY-MM, not {text!r}") from None


class Command(BaseCommand):
    help = "Write form 6-НК for a year or the library diary for a month as an XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        form = sub.add_parser("6nk", help="form 6-НК for a year (a branch, or the network)")
        form.add_argument("--year", type=int, required=True)
        form.add_argument("--branch", help="branch code; the whole network when left out")
        form.add_argument("--output", required=True, type=Path)
        diary = sub.add_parser("diary", help="the library diary of a branch for a month")
        diary.add_argument("--month", required=True, help="YYYY-MM")
        diary.add_argument("--branch", required=True, help="branch code")
        diary.add_argument("--output", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        branch = _branch(options["branch"])
        facts_roll_up(now=timezone.now())
        if options["report"] == "6nk":
            content = xlsx.form_6nk_xlsx(selectors.form_6nk(year=options["year"], branch=branch))
        else:
            assert branch is not None
            diary = selectors.diary_month(branch=branch, month=_month(options["month"]))
            content = xlsx.diary_xlsx(diary)
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from None
        self.stdout.write(f"{output}: {len(content)} bytes")
