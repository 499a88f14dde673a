from __future__ import annotations

import datetime as dt

import pytest
from django.utils import dateformat, timezone

from polka.events.tests.conftest import make_event


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()


def test_events_page_lists_upcoming_events_with_age_mark_place_and_time(client, branches, now):
    make_event(branches[0], days=2, title="Вечер поэзии", place="Гостиная", age_mark="16+", now=now)
    make_event(branches[0], days=-3, title="Давно прошло", now=now)
    html = client.get("/events/").content.decode()
    assert "Вечер поэзии" in html and "Гостиная" in html and "16+" in html
    assert "<time datetime=" in html
    assert "Давно прошло" not in html


def test_events_page_filters_by_branch_and_audience(client, branches, now):
    central, children = branches
    make_event(central, days=1, title="Лекция для взрослых", now=now)
    make_event(children, days=1, title="Сказки для малышей", audience="children", now=now)
    make_event(children, days=2, title="Встреча родителей", now=now)
    html = client.get("/events/", {"branch": "cdb", "audience": "children"}).content.decode()
    assert "Сказки для малышей" in html
    assert "Лекция для взрослых" not in html and "Встреча родителей" not in html
    assert '<label for="id_branch">' in html and '<label for="id_audience">' in html


def test_an_unknown_filter_value_shows_every_event(client, branches, now):
    make_event(branches[0], days=1, title="Лекция", now=now)
    assert "Лекция" in client.get("/events/", {"branch": "nope"}).content.decode()


def test_event_page_shows_the_event_and_its_library(client, branches, now):
    event = make_event(
        branches[1],
        days=4,
        title="Кукольный театр",
        audience="children",
        description="Сказка «Двенадцать месяцев».",
        now=now,
    )
    response = client.get(f"/events/{event.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Кукольный театр" in html and "Детская библиотека" in html and "дети" in html
    weekday = dateformat.format(timezone.localtime(event.starts_at), "l")
    assert f", {weekday.lower()}, " in html  # mid-phrase, as Russian writes weekdays


def test_an_unpublished_or_missing_event_is_not_found(client, branches, now):
    hidden = make_event(branches[0], days=1, is_published=False, now=now)
    assert client.get(f"/events/{hidden.pk}/").status_code == 404
    assert client.get("/events/999999/").status_code == 404


def test_events_page_takes_a_fixed_number_of_queries(
    client, branches, now, django_assert_num_queries
):
    for day in range(1, 30):
        make_event(branches[day % 2], days=day, title=f"Встреча {day}", now=now)
    # network (page header), branches for the filter, count for the pager, the page of events
    with django_assert_num_queries(4):
        client.get("/events/", {"audience": "adults"})
