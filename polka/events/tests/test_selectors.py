from __future__ import annotations

from polka.events.selectors import event_public, events_upcoming
from polka.events.tests.conftest import NOW, make_event


def test_upcoming_events_are_those_not_yet_over_soonest_first(branches):
    central = branches[0]
    make_event(central, days=-2, title="Прошло")
    running = make_event(central, days=-0.01, title="Идёт сейчас")
    later = make_event(central, days=5, title="Позже")
    sooner = make_event(central, days=1, title="Скоро")
    assert list(events_upcoming(on=NOW)) == [running, sooner, later]


def test_upcoming_events_can_be_limited_and_filtered_by_branch_and_audience(branches):
    central, children = branches
    make_event(central, days=1, title="Для взрослых")
    kids = make_event(children, days=2, title="Для детей", audience="children")
    make_event(children, days=3, title="Для взрослых в детской", audience="adults")
    assert list(events_upcoming(on=NOW, branch=children, audience="children")) == [kids]
    assert len(events_upcoming(on=NOW, limit=2)) == 2


def test_unpublished_events_are_not_shown(branches):
    hidden = make_event(branches[0], days=1, is_published=False)
    assert not events_upcoming(on=NOW).exists()
    assert event_public(event_id=hidden.pk) is None
