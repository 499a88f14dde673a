"""`polka search "QUERY" --json [--limit N]`; with `-` one query per line from standard input."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from polka.search.selectors import search_hits_json


class Command(BaseCommand):
    help = (
        "Search the catalogue. QUERY '-' reads one query per line from standard input and "
        "prints one JSON line of hits per query."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help="what to search for, or - to read queries from stdin")
        parser.add_argument("--json", action="store_true", help="print hits as JSON")
        parser.add_argument("--limit", type=int, default=10, help="hits per query (default 10)")

    def handle(self, *args: Any, **options: Any) -> None:
        queries: Iterable[str] = (
            (line.strip() for line in sys.stdin) if options["query"] == "-" else [options["query"]]
        )
        for text in queries:
            found = search_hits_json(text=text, limit=options["limit"])
            if options["json"]:
                self.stdout.write(json.dumps(found, ensure_ascii=False))
                continue
            self._print(found)

    def _print(self, found: dict[str, Any]) -> None:
        if found["query_used"]:
            self.stdout.write(f"results for: {found['query_used']}")
        elif found["suggestion"]:
            self.stdout.write(f"did you mean: {found['suggestion']}")
        self.stdout.write(f"{found['total']} found")
        for hit in found["hits"]:
            authors = "; ".join(hit["authors"])
            self.stdout.write(
                f"{hit['id']:>8}  {hit['year'] or '':>4}  {hit['title']}"
                + (f" / {authors}" if authors else "")
            )
