"""The demo's year of activity (polka/cli/demo/statistics.py) fills form 6-НК, the diary and the
dashboard; each cell checked here equals a count taken in this test from the rows themselves
(facts, events, questions, e-loans, registrations, diary entries, copies), not through the
statistics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from polka.catalog.models import Item
from polka.circulation.models import Fact
from polka.cli.demo.generator import demo_load
from polka.elibrary.models import Eloan
from polka.events.models import Event
from polka.org.models import Branch
from polka.readers.models import Registration
from polka.reference.models import Question
from polka.statistics import selectors
from polka.statistics.models import DiaryEntry

pytestmark = pytest.mark.django_db

AT = dt.datetime(2027, 3, 10, 9, 0, tzinfo=dt.UTC)


def counted(year: int) -> dict[str, int]:
    """What the network's cells must say, counted row by row in Python."""
    facts = [f for f in Fact.objects.values("kind", "remote", "on", "age") if f["on"].year == year]
    child = [f for f in facts if f["age"] is not None and f["age"] <= 14]
    hand: dict[str, int] = {}
    for e in DiaryEntry.objects.filter(on__year=year).values("indicator", "count"):
        hand[e["indicator"]] = hand.get(e["indicator"], 0) + e["count"]
    zone = timezone.get_current_timezone()
    held = [
        e
        for e in Event.objects.filter(attendance_recorded_at__isnull=False)
        if e.starts_at.astimezone(zone).year == year
    ]
    answered = [
        q for q in Question.objects.exclude(answered_at=None)
        if q.answered_at.astimezone(zone).year == year and q.state in ("answered", "closed")
    ]  # fmt: skip

    def n(rows: list[dict[str, object]], kind: str, remote: bool | None = None) -> int:
        return sum(1 for f in rows if f["kind"] == kind and remote in (None, f["remote"]))

    items = list(Item.objects.values("acquired_on", "withdrawn_at"))
    return {
        "201.3": sum(1 for i in items if i["acquired_on"] and i["acquired_on"].year == year),
        "202.3": sum(
            1
            for i in items
            if i["withdrawn_at"] and i["withdrawn_at"].astimezone(zone).year == year
        ),
        "401.3": sum(1 for r in Registration.objects.all() if r.at.astimezone(zone).year == year),
        "404.3": n(facts, "visit", False) + hand.get("offsite_visits", 0),
        "404.4": n(child, "visit", False),
        "405.3": sum(e.walk_in_children + e.walk_in_youth + e.walk_in_adults for e in held),
        "405.4": sum(e.walk_in_children for e in held),
        "406.3": n(facts, "visit", True),
        "502.3": n(facts, "loan") + n(facts, "use") + hand.get("offsite_loans", 0),
        "502.4": n(child, "loan") + n(child, "use"),
        "503.3": Eloan.objects.filter(loaned_on__year=year).count(),
        "505.3": len(answered) + hand.get("answers", 0),
        "506.3": len(held),
    }


def test_the_demo_fills_last_years_and_this_years_form_with_what_it_did(db):
    demo_load(seed=1, records=40, at=AT)
    for year in (2026, 2027):
        form = selectors.form_6nk(year=year)
        want = counted(year)
        for code, value in want.items():
            assert form.value(code) == value, (year, code)
            assert value > 0, (year, code)  # a newcomer sees every one of these filled
    # A branch's diary of last December and the dashboard are filled too.
    branch = Branch.objects.get(code="cgb")
    diary = selectors.diary_month(branch=branch, month=dt.date(2026, 12, 1))
    assert sum(diary.totals) > 0
    _last_on, charts = selectors.dashboard(on=dt.date(2027, 3, 9), branches=Branch.objects.all())
    for chart in charts:
        assert sum(now for _name, now, _then in chart.rows) > 0, chart.label
        assert sum(then for _name, _now, then in chart.rows) > 0, chart.label
