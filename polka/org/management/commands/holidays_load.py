"""`polka holidays_load [--year Y ...]`: record Russia's fixed public holidays as closed days."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from polka.org import services


class Command(BaseCommand):
    help = "Record the fixed public holidays (Labour Code art. 112) as network-wide closed days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="default: this and next year")

    def handle(self, *args: Any, **options: Any) -> None:
        at = timezone.now()
        years = options["year"] or [at.year, at.year + 1]
        created = sum(services.network_holidays_load(year=y, at=at) for y in years)
        self.stdout.write(f"holidays for {', '.join(map(str, years))}: {created} days added")
