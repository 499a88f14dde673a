"""Partners: organisations linked to events, projects and courses, shown on a public page, with
their joint events counted for reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from polka.events.services import attendance_record, event_create
from polka.org.selectors import branch_is_open
from polka.programmes.services import project_save
from polka.promotion.models import Partner
from polka.promotion.selectors import partners_joint_events
from polka.promotion.services import partner_save

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def event_on(branch, day, title):
    while not branch_is_open(branch=branch, on=day):
        day += dt.timedelta(days=1)
    starts = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    return event_create(
        title=title, branch=branch, starts_at=starts, ends_at=starts + dt.timedelta(hours=1),
        audience="newcomers", age_mark="6+", at=AT,
    )  # fmt: skip


def test_a_partner_is_shown_with_its_joint_project_and_events(client, manager, branch_a):
    project = project_save(
        project=None, by=manager, slug="rodnoe-slovo", title="Родное слово", summary="x"
    )
    event = event_on(branch_a, dt.date(2026, 3, 10), "Вечер таджикской поэзии")
    partner_save(
        partner=None, by=manager, at=AT, name="Таджикский культурный центр", kind="diaspora",
        url="https://tcc.example.ru", together="Вечера поэзии и курсы русского языка.",
        events=[event], projects=[project],
    )  # fmt: skip
    page = client.get(reverse("partners:list")).content.decode()
    assert "Таджикский культурный центр" in page
    assert "Вечера поэзии и курсы русского языка." in page
    assert reverse("programmes:project", args=["rodnoe-slovo"]) in page
    assert reverse("events:detail", args=[event.pk]) in page
    for linked in (
        reverse("events:detail", args=[event.pk]),
        reverse("programmes:project", args=["rodnoe-slovo"]),
    ):
        assert "Таджикский культурный центр" in client.get(linked).content.decode()
    # Readers find the page from every public page's footer.
    assert f'href="{reverse("partners:list")}"' in client.get(reverse("web:home")).content.decode()


def test_joint_events_and_their_visitors_are_counted_for_a_year(manager, branch_a):
    held = event_on(branch_a, dt.date(2026, 3, 10), "Встреча 1")
    second = event_on(branch_a, dt.date(2026, 4, 14), "Встреча 2")
    last_year = event_on(branch_a, dt.date(2025, 5, 13), "Прошлогодняя")
    attendance_record(
        event=held, came=[], walk_in_children=3, walk_in_youth=4, walk_in_adults=5, by=manager,
        at=AT + dt.timedelta(days=9),
    )  # fmt: skip
    partner = partner_save(
        partner=None, by=manager, at=AT, name="Школа № 5", kind="school",
        events=[held, second, last_year],
    )  # fmt: skip
    partner_save(partner=None, by=manager, at=AT, name="Музей", kind="museum")
    rows = partners_joint_events(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert [(r.partner, r.events, r.attended) for r in rows] == [
        (partner, 2, 12),
        (Partner.objects.get(name="Музей"), 0, 0),
    ]


def test_an_events_manager_adds_a_partner_on_the_staff_page(client, manager, branch_a):
    event = event_on(branch_a, dt.date(2026, 3, 10), "Встреча")
    client.force_login(manager)
    form = {
        "name": "НКО «Открытые двери»", "kind": "ngo", "url": "https://doors.example.ru",
        "together": "Волонтёры", "is_public": "on", "events": f"{event.pk}, 999999",
    }  # fmt: skip
    answer = client.post(reverse("promotion:staff-partner-new"), form)
    assert answer.status_code == 302
    partner = Partner.objects.get()
    assert list(partner.events.all()) == [event]
    page = client.get(reverse("promotion:staff-partners"), {"year": "2026"}).content.decode()
    assert "НКО «Открытые двери»" in page
