"""The per-process cache of the rules matrix and the calendars: a change through the ORM shows
at the next lend of the same process."""

import datetime as dt

import pytest

from polka.circulation import cache, services
from polka.circulation.errors import BranchClosed
from polka.circulation.tests.conftest import AT, TODAY, make_item, make_record, rule
from polka.org import services as org

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.POLKA_CIRCULATION_CACHE_SECONDS = 60
    cache.circulation_cache_clear()
    yield
    cache.circulation_cache_clear()


def lend(reader, branch, desk):
    item = make_item(make_record(), branch)
    return services.loan_checkout(
        barcode=item.barcode, reader=reader, branch=branch, by=desk, at=AT
    )


def test_a_changed_matrix_row_applies_to_the_next_lend(reader, branch_a, desk_a):
    row = rule(loan_days=14)
    assert lend(reader, branch_a, desk_a).loan.due_on == TODAY + dt.timedelta(days=14)
    row.loan_days = 7
    row.save(update_fields=["loan_days"])
    assert lend(reader, branch_a, desk_a).loan.due_on == TODAY + dt.timedelta(days=7)
    row.delete()
    assert lend(reader, branch_a, desk_a).rule.pk is None  # the built-in defaults


def test_a_closure_added_to_the_calendar_applies_to_the_next_lend(reader, branch_a, desk_a):
    rule(loan_days=14)
    assert lend(reader, branch_a, desk_a).loan.due_on == TODAY + dt.timedelta(days=14)
    org.calendar_exception_add(
        branch=branch_a, on=TODAY, is_open=False, reason="санитарный день", by=None, at=AT
    )
    with pytest.raises(BranchClosed):
        lend(reader, branch_a, desk_a)


def test_entries_expire(reader, branch_a, desk_a, settings, monkeypatch):
    calls = []
    assert cache.cached("k", lambda: calls.append(1) or 1) == 1
    assert cache.cached("k", lambda: calls.append(1) or 2) == 1
    now = cache.time.monotonic()
    monkeypatch.setattr(cache.time, "monotonic", lambda: now + 61)
    assert cache.cached("k", lambda: calls.append(1) or 3) == 3
    assert len(calls) == 2
