"""An open page (polka.core.paging) reads one row more than it shows and never counts the list;
bad page numbers give the first page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.core import paging
from polka.org.models import Network


@pytest.fixture
def networks(db: None) -> list[int]:
    return [Network.objects.create(name=f"Сеть {n:02d}").pk for n in range(7)]


def _page(number: str | None, size: int = 3) -> tuple[paging.OpenPage, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        page = paging.open_page(Network.objects.order_by("pk"), number, size)
    return page, [q["sql"] for q in ctx.captured_queries]


def test_pages_follow_one_another_without_a_count(networks):
    first, sql = _page(None)
    assert [n.pk for n in first] == networks[:3]
    assert (first.number, first.has_previous(), first.has_next()) == (1, False, True)
    assert len(sql) == 1 and "COUNT" not in sql[0].upper()
    assert sql[0].rstrip().endswith("LIMIT 4")  # one row more than shown
    second, _ = _page("2")
    assert [n.pk for n in second] == networks[3:6]
    assert (second.start_index(), second.previous_page_number(), second.next_page_number()) == (
        4,
        1,
        3,
    )
    last, _ = _page("3")
    assert [n.pk for n in last] == networks[6:]
    assert (last.has_next(), last.has_other_pages()) == (False, True)


@pytest.mark.parametrize("number", ["0", "-2", "abc", "99", "1e3", str(paging.MOST_PAGES + 1)])
def test_a_page_number_out_of_range_or_not_a_number_gives_the_first_page(networks, number):
    page, _ = _page(number)
    assert page.number == 1
    assert [n.pk for n in page] == networks[:3]


def test_no_next_page_past_the_last_served(networks, monkeypatch):
    monkeypatch.setattr(paging, "MOST_PAGES", 2)
    page, _ = _page("2")
    assert [n.pk for n in page] == networks[3:6] and not page.has_next()


def test_an_empty_list_is_one_empty_page(db):
    page, _ = _page("5")
    assert (page.number, len(page), page.start_index(), page.has_other_pages()) == (1, 0, 0, False)
