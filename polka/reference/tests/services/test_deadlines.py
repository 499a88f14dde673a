"""Deadlines count the answering branch's working days: weekends and holidays do not count."""

from __future__ import annotations

import datetime as dt

import pytest

from polka.org.models import ExceptionKind
from polka.org.services import calendar_exception_add
from polka.reference.models import DeadlineRule
from polka.reference.services import question_due_on

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_three_working_days_from_friday_end_on_wednesday(branch_a):
    friday = dt.date(2026, 3, 6)
    assert question_due_on(branch=branch_a, question_type="factual", asked_on=friday) == dt.date(
        2026, 3, 11
    )


def test_a_holiday_pushes_the_deadline(branch_a):
    calendar_exception_add(
        branch=branch_a,
        on=dt.date(2026, 3, 9),
        kind=ExceptionKind.HOLIDAY,
        reason="Праздник",
        by=None,
        at=AT,
    )
    friday = dt.date(2026, 3, 6)
    assert question_due_on(branch=branch_a, question_type="factual", asked_on=friday) == dt.date(
        2026, 3, 12
    )


def test_a_question_asked_on_a_weekend_counts_from_monday(branch_a):
    saturday = dt.date(2026, 3, 7)
    assert question_due_on(branch=branch_a, question_type="location", asked_on=saturday) == (
        dt.date(2026, 3, 10)
    )


def test_the_number_of_days_is_configurable_per_question_type(branch_a):
    DeadlineRule.objects.create(question_type="literature", working_days=1)
    monday = dt.date(2026, 3, 2)
    assert question_due_on(branch=branch_a, question_type="literature", asked_on=monday) == (
        dt.date(2026, 3, 3)
    )
