from __future__ import annotations

import datetime as dt

import pytest

from polka.events.errors import EventEndsBeforeStart
from polka.events.models import Event
from polka.events.services import event_create
from polka.events.tests.conftest import NOW, make_event


def test_an_event_is_planned_at_a_branch_for_an_audience(branches):
    event = make_event(branches[0], days=3, title="Лекция", place="Читальный зал", capacity=20)
    assert Event.objects.get() == event
    assert (event.place, event.capacity, event.is_published) == ("Читальный зал", 20, True)


def test_an_event_cannot_end_before_it_starts(branches):
    with pytest.raises(EventEndsBeforeStart):
        event_create(
            title="Назад во времени",
            branch=branches[0],
            starts_at=NOW,
            ends_at=NOW - dt.timedelta(minutes=1),
            audience="adults",
            age_mark="0+",
            at=NOW,
        )
    assert not Event.objects.exists()


def test_event_times_must_be_aware(branches):
    with pytest.raises(ValueError):
        event_create(
            title="Без часового пояса",
            branch=branches[0],
            starts_at=dt.datetime(2026, 12, 1, 10),  # noqa: DTZ001 (naive on purpose)
            ends_at=dt.datetime(2026, 12, 1, 11),  # noqa: DTZ001
            audience="adults",
            age_mark="0+",
            at=NOW,
        )
