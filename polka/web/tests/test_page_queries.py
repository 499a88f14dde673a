"""The main public pages: a pinned number of queries, and no query that walks a big table.

The plans are read with EXPLAIN QUERY PLAN (SQLite) or EXPLAIN with sequential scans priced
out (PostgreSQL, whose planner would otherwise scan the tiny test tables on purpose), so a
query that has no index to use is caught before a million-record catalogue meets it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.catalog.models import Item, ItemStatus, Record, RecordAuthor
from polka.org.models import Branch
from polka.search.backends import get_backend

# Tables that grow with the catalogue or the readers; a scan of one of these is a bug.
BIG_TABLES = (
    "catalog_record",
    "catalog_item",
    "catalog_recordauthor",
    "catalog_person",
    "catalog_recordisbn",
    "search_document",
    "search_facet",
    "circulation_loan",
    "circulation_hold",
    "readers_reader",
)
# Ordered walks that stop after LIMIT rows: the newest records read off their index.
ORDERED_WALKS = ("SCAN catalog_record USING INDEX catalog_record_created",)

# Queries per page for an anonymous visitor, the answer cache off. Every page: the network
# (page header). Home: news, reading lists, events, newest records, branches with hours
# (two), calendar exceptions. Record: the record, authorships with persons, copies with
# branches, the other editions of its work (by work key), the authors' other books.
# Search: facets (fewer hits than the facet sample: they are the total and, on an engine that
# ranks from the sample, the page's hits too; else a count), the page's hits (not when ranked
# from the sample), the records with people and copies, the facets' branch names
# (the editions of one work are grouped from these, no query of their own; with the answer
# cache off, no index generation either). Events: branches,
# count, the page. Branch: its hours, exceptions and events (its row comes with the network).
QUERIES = {"home": 8, "record": 6, "search": 7, "events": 4, "branch": 4}


@pytest.fixture
def demo(db: None, settings) -> None:
    settings.POLKA_SEARCH_CACHE_SECONDS = 0
    call_command("demo", "--records", "30", stdout=StringIO())


def _authored_record() -> Record:
    authorship = RecordAuthor.objects.order_by("record_id").first()
    assert authorship is not None
    return authorship.record


def _shelved_title_word() -> str:
    """The longest word of the title of a book with a copy on the shelf: its search page
    names a branch facet. Which copies the demo lends depends on the day it is made, and on
    some days every copy of the books a fixed word finds was out (one query fewer)."""
    item = Item.objects.filter(status=ItemStatus.AVAILABLE).order_by("record_id").first()
    assert item is not None
    return max(re.findall(r"\w{4,}", item.record.title), key=len)


def _pages() -> dict[str, str]:
    branch = Branch.objects.order_by("pk").first()
    assert branch is not None
    return {
        "home": "/",
        "record": f"/catalog/records/{_authored_record().pk}/",
        "search": f"/search/?q={_shelved_title_word()}",
        "events": "/events/",
        "branch": f"/branches/{branch.code}/",
    }


def _queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _scans(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            lines = [str(row[-1]) for row in cursor.fetchall()]
            return [
                line
                for line in lines
                if line.startswith("SCAN ")
                and line.split()[1] in BIG_TABLES
                and not line.startswith(ORDERED_WALKS)
            ]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        lines = [str(row[0]) for row in cursor.fetchall()]
        return [line for line in lines if "Seq Scan on" in line and line.split()[-1] in BIG_TABLES]


def counted_queries(client, pages: dict[str, str]) -> dict[str, int]:
    """Each page's number of queries, once a first visit has filled the per-process caches."""
    for path in pages.values():
        client.get(path)
    return {name: len(_queries(client, path)) for name, path in pages.items()}


def scanning_queries(client, paths: Iterable[str]) -> dict[str, tuple[str, list[str]]]:
    """The pages' reading queries whose plan walks a big table, with the page and the walk."""
    found = {}
    for path in paths:
        for sql in _queries(client, path):
            if sql.lstrip().upper().startswith(("SELECT", "WITH")) and (scans := _scans(sql)):
                found[sql[:300]] = (path, scans)
    return found


def test_each_main_page_takes_its_pinned_number_of_queries(client, demo):
    pages = _pages()
    # The demo's search has fewer hits than the facet sample (search.backends.base._run).
    pinned = {**QUERIES, "search": QUERIES["search"] - get_backend().ranks_from_sample}
    assert counted_queries(client, pages) == pinned


def test_no_main_page_query_scans_a_big_table(client, demo):
    found = scanning_queries(client, _pages().values())
    assert not found, found


def test_other_editions_of_a_work_are_read_off_the_work_key_index(demo):
    from polka.catalog.selectors import records_other_editions

    record = _authored_record()
    assert record.work_key
    with CaptureQueriesContext(connection) as ctx:
        records_other_editions(record=record, limit=10)
    (sql,) = [q["sql"] for q in ctx.captured_queries]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = [str(row[-1]) for row in cursor.fetchall()]
            assert any(
                line.startswith("SEARCH catalog_record USING INDEX catalog_record_work")
                for line in plan
            ), plan
        else:
            # With no statistics on the tiny test table, PostgreSQL may walk the primary key
            # and filter; with them it picks the work-key index, as it would on a catalogue.
            cursor.execute("ANALYZE catalog_record")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            plan = [str(row[0]) for row in cursor.fetchall()]
            # "Index Scan using catalog_record_work" or "Bitmap Index Scan on catalog_record_work"
            assert any("Index Scan" in line and "catalog_record_work" in line for line in plan), (
                plan
            )
    assert not _scans(sql)


def test_a_page_kept_for_visitors_reads_nothing_by_a_scan(client, demo, settings):
    settings.POLKA_PAGE_CACHE_SECONDS = 60
    pages = _pages()
    for name in ("home", "record"):
        client.get(pages[name])  # drawn and kept
        kept = _queries(client, pages[name])  # served again: the versions only
        assert kept, name
        found = {sql[:300]: _scans(sql) for sql in kept if _scans(sql)}
        assert not found, found
