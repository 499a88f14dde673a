from __future__ import annotations

import datetime as dt

import pytest

from polka.events.models import Event
from polka.events.services import event_create
from polka.org import services as org
from polka.org.models import Branch

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def branches(db: None) -> tuple[Branch, Branch]:
    network = org.network_create(name="ЦБС", at=NOW)
    return (
        org.branch_create(network=network, code="cgb", name="Центральная библиотека", at=NOW),
        org.branch_create(
            network=network, code="cdb", name="Детская библиотека", kind="children_central", at=NOW
        ),
    )


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
