"""The desk's work per scan is pinned: a change that adds a query to lending, returning or the
desk pages fails here (and must say why in the number). None grows with the reader's loans."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from polka.circulation import cache, services
from polka.circulation.tests.conftest import AT, make_item, make_record, rule

pytestmark = pytest.mark.django_db

# Lend: reader (locked; not on SQLite, whose IMMEDIATE transaction locks everything), copy
# with its record and "another copy on the shelf?" (locked), matrix row, calendar (2),
# standing, loan, copy status, event, fact, and the savepoint pair. SQLite reads the copy and
# the standing once more: before its writer's lock, to judge, and under it, to check.
LEND_QUERIES = 12 if connection.features.has_select_for_update else 13
# Return: copy with "another copy on the shelf?" (locked), open loan (locked), loan, event,
# fact, next hold, copy status, and the savepoint pair.
RETURN_QUERIES = 9
# Every desk request: session, user, roles, the desk's branch, the reader.
REQUEST_QUERIES = 5
# The reader's summary: open loans, matrix row, holds, consent.
SUMMARY_QUERIES = 4
# The whole desk page also names the network (a fragment answered to htmx does not).
DESK_PAGE_QUERIES = REQUEST_QUERIES + SUMMARY_QUERIES + 1
# With the matrix and the calendar cached (production; the test settings turn the cache off):
# no matrix row and no calendar read.
LEND_QUERIES_CACHED = LEND_QUERIES - 3
# A copy lent to a reader whose loans table is on the screen: its row is added in place.
DESK_LEND_QUERIES = REQUEST_QUERIES + LEND_QUERIES
# The first loan draws the table: the summary is read.
DESK_FIRST_LEND_QUERIES = REQUEST_QUERIES + SUMMARY_QUERIES + LEND_QUERIES
DESK_RETURN_QUERIES = REQUEST_QUERIES + SUMMARY_QUERIES + RETURN_QUERIES


@pytest.fixture(autouse=True)
def _open_today(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: AT)
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, timezone=None: dt.date(2026, 11, 18)
    )


def copies(branch, n):
    record = make_record()
    return [make_item(record, branch) for _ in range(n)]


@pytest.mark.parametrize("already_on_loan", [0, 4])
def test_lending_and_returning_take_a_fixed_number_of_queries(
    reader, branch_a, desk_a, django_assert_num_queries, already_on_loan
):
    rule(loan_days=14)
    items = copies(branch_a, already_on_loan + 3)
    # The first lend also reads the desk user's roles (kept on the user object, as in a request).
    for item in items[: already_on_loan + 1]:
        services.loan_checkout(
            barcode=item.barcode, reader=reader, branch=branch_a, by=desk_a, at=AT
        )
    with django_assert_num_queries(LEND_QUERIES):
        services.loan_checkout(
            barcode=items[-1].barcode, reader=reader, branch=branch_a, by=desk_a, at=AT
        )
    with django_assert_num_queries(RETURN_QUERIES):
        services.loan_checkin(barcode=items[-1].barcode, branch=branch_a, by=desk_a, at=AT)


def test_a_lend_reads_neither_matrix_nor_calendar_while_they_are_cached(
    reader, branch_a, desk_a, django_assert_num_queries, settings
):
    settings.POLKA_CIRCULATION_CACHE_SECONDS = 60
    cache.circulation_cache_clear()
    rule(loan_days=14)
    first, second, _on_the_shelf = copies(branch_a, 3)
    services.loan_checkout(barcode=first.barcode, reader=reader, branch=branch_a, by=desk_a, at=AT)
    with django_assert_num_queries(LEND_QUERIES_CACHED):
        services.loan_checkout(
            barcode=second.barcode, reader=reader, branch=branch_a, by=desk_a, at=AT
        )
    cache.circulation_cache_clear()


@pytest.mark.parametrize("already_on_loan", [0, 4])
def test_the_desk_pages_take_a_fixed_number_of_queries(
    client, reader, branch_a, desk_a, django_assert_num_queries, already_on_loan
):
    rule(loan_days=14)
    items = copies(branch_a, already_on_loan + 2)
    for item in items[:already_on_loan]:
        services.loan_checkout(
            barcode=item.barcode, reader=reader, branch=branch_a, by=desk_a, at=AT
        )
    client.force_login(desk_a)
    form = {"reader": reader.pk, "barcode": items[-1].barcode, "branch": branch_a.code}
    client.get("/circulation/desk/", {"branch": branch_a.code})  # the desk's branch chosen
    with django_assert_num_queries(DESK_PAGE_QUERIES):  # the card lookup is the reader query
        client.get("/circulation/desk/", {"card": reader.card_number})
    lend = DESK_LEND_QUERIES if already_on_loan else DESK_FIRST_LEND_QUERIES
    with django_assert_num_queries(lend):
        assert (
            client.post("/circulation/desk/checkout/", form, HTTP_HX_REQUEST="true").status_code
            == 200
        )
    with django_assert_num_queries(DESK_RETURN_QUERIES):
        assert (
            client.post("/circulation/desk/checkin/", form, HTTP_HX_REQUEST="true").status_code
            == 200
        )
