"""Facts summed ahead (FactTotal) and facts since are counted together: a figure is the same
before, during and after a roll-up, and each fact counts once."""

from __future__ import annotations

import datetime as dt

import pytest

from polka.circulation.services import visit_record
from polka.statistics import selectors
from polka.statistics.rollup import facts_roll_up

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday


def visits(branch, by, n, start):
    for minute in range(n):
        visit_record(reader=None, branch=branch, by=by, at=start + dt.timedelta(minutes=minute))


def test_a_figure_is_the_same_before_during_and_after_a_roll_up(branch_a, branch_b, everything):
    def figure():
        return selectors.form_6nk(year=2026, branch=None).value("404.3")

    visits(branch_a, everything, 3, AT)
    assert figure() == 3
    assert facts_roll_up(now=AT) == 0  # the ids seen now are summed only once settled
    visits(branch_b, everything, 2, AT + dt.timedelta(hours=1))
    assert facts_roll_up(now=AT + dt.timedelta(minutes=5)) == 3
    assert figure() == 5
    visits(branch_a, everything, 4, AT + dt.timedelta(hours=2))
    assert facts_roll_up(now=AT + dt.timedelta(minutes=10)) == 2
    assert figure() == 9
    assert selectors.form_6nk(year=2026, branch=branch_a).value("404.3") == 7
    assert facts_roll_up(now=AT + dt.timedelta(minutes=15)) == 4
    assert figure() == 9
    assert facts_roll_up(now=AT + dt.timedelta(minutes=20)) == 0
    assert figure() == 9
    drill = selectors.cell_drill(year=2026, branch=branch_b, code="404.3")
    assert drill.total == 2
