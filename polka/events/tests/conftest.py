from __future__ import annotations

import datetime as dt

import pytest

from polka.events.models import Event
from polka.events.services import event_create
from polka.org import services as org
from polka.org.models import Branch

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
EVERY_DAY = {weekday: (dt.time(0, 0), dt.time(23, 59)) for weekday in range(7)}


@pytest.fixture
def branches(db: None) -> tuple[Branch, Branch]:
    network = org.network_create(name="ЦБС", at=NOW)
    branches = (
        org.branch_create(network=network, code="cgb", name="Центральная библиотека", at=NOW),
        org.branch_create(
            network=network, code="cdb", name="Детская библиотека", kind="children_central", at=NOW
        ),
    )
    # Open every day: events may be planned any day in these tests.
    for branch in branches:
        org.opening_hours_set(branch=branch, week=EVERY_DAY, by=None, at=NOW)
    return branches


def make_event(
    branch: Branch,
    *,
    days: float,
    title: str = "Встреча",
    audience: str = "adults",
    hours: float = 1.5,
    now: dt.datetime = NOW,
    **kwargs: object,
) -> Event:
    starts = now + dt.timedelta(days=days)
    return event_create(
        title=title,
        branch=branch,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=hours),
        audience=audience,
        age_mark=str(kwargs.pop("age_mark", "12+")),
        at=NOW,
        **kwargs,
    )  # type: ignore[arg-type]
