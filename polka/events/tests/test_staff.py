"""Methodists plan, copy and repeat events, mark attendance, add photos and export the plan."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from polka.events import services
from polka.events.models import Event
from polka.events.selectors import event_totals
from polka.events.tests.conftest import NOW, make_event
from polka.org import services as org
from polka.org.errors import NotPermitted
from polka.org.models import ExceptionKind, Role

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def methodist(branches):
    user, _ = org.staff_user_create(
        username="metodist", roles={Role.METHODIST: [branches[0]]}, password="Metod-2026-ok", at=NOW
    )
    return user


def test_a_weekly_club_skips_the_days_the_library_is_closed(branches, methodist):
    org.calendar_exception_add(
        branch=branches[0], on=dt.date(2026, 12, 8), kind=ExceptionKind.SANITARY, by=None, at=NOW
    )
    plan = services.series_create(
        by=methodist,
        branch=branches[0],
        title="Клуб «Вязание»",
        weekday=1,  # Tuesday
        start_time=dt.time(17, 0),
        minutes=90,
        first_day=dt.date(2026, 12, 1),
        last_day=dt.date(2026, 12, 31),
        at=NOW,
        audience="seniors",
        age_mark="0+",
    )
    days = [e.starts_at.astimezone(dt.timezone(dt.timedelta(hours=3))).date() for e in plan.events]
    assert days == [
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 15),
        dt.date(2026, 12, 22),
        dt.date(2026, 12, 29),
    ]
    assert plan.skipped == [dt.date(2026, 12, 8)]
    assert plan.series.skipped == ["2026-12-08"]
    assert all(e.series_id == plan.series.pk for e in plan.events)


def test_only_methodists_of_the_branch_plan_there(branches, methodist):
    with pytest.raises(NotPermitted):
        services.event_plan(
            by=methodist,
            branch=branches[1],
            title="Чужая",
            starts_at=NOW + dt.timedelta(days=2),
            ends_at=NOW + dt.timedelta(days=2, hours=1),
            audience="adults",
            age_mark="0+",
            at=NOW,
        )


def test_a_copy_keeps_everything_but_the_day_and_the_sign_ups(branches, methodist):
    event = make_event(branches[0], days=2, capacity=10, title="Лекция", place="Зал")
    services.registration_create(event=event, name="Гость", email="g@example.org", at=NOW)
    copy = services.event_copy(
        event=event, starts_at=event.starts_at + dt.timedelta(days=7), by=methodist, at=NOW
    )
    assert (copy.title, copy.place, copy.capacity) == ("Лекция", "Зал", 10)
    assert copy.ends_at - copy.starts_at == event.ends_at - event.starts_at
    assert copy.registrations.count() == 0


def test_attendance_and_walk_ins_make_the_totals(branches, methodist):
    event = make_event(branches[0], days=1, capacity=5)
    came = services.registration_create(event=event, name="A", email="a@example.org", at=NOW)
    services.registration_create(event=event, name="B", email="b@example.org", at=NOW)
    make_event(branches[0], days=2)  # no attendance recorded: not counted as held
    services.attendance_record(
        event=event,
        came=[came.pk],
        walk_in_children=3,
        walk_in_youth=2,
        walk_in_adults=1,
        by=methodist,
        at=NOW,
    )
    totals = event_totals(events=Event.objects.all())
    assert (totals.held, totals.participants, totals.children, totals.registered_came) == (
        1,
        7,
        3,
        1,
    )


def test_staff_pages_plan_edit_attend_and_export(client, branches, methodist):
    client.force_login(methodist)
    start = (NOW + dt.timedelta(days=400)).replace(hour=15, minute=0)
    form = {
        "branch": branches[0].pk,
        "title": "Встреча с краеведом",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "event_type": "meeting",
        "audience": "adults",
        "age_mark": "12+",
        "is_published": "on",
    }
    bad = client.post(
        reverse("events:staff-new"), {**form, "ends_at": form["starts_at"][:10] + "T01:00"}
    )
    assert bad.status_code == 400 and "Встреча с краеведом" in bad.content.decode()
    response = client.post(reverse("events:staff-new"), form)
    event = Event.objects.get(title="Встреча с краеведом")
    assert response.status_code == 302
    page = client.get(reverse("events:staff-attendance", args=[event.pk]))
    assert page.status_code == 200
    client.post(
        reverse("events:staff-attendance", args=[event.pk]),
        {"walk_in_children": "4", "walk_in_youth": "0", "walk_in_adults": "2"},
    )
    event.refresh_from_db()
    assert event.walk_in_children == 4 and event.attendance_recorded_at is not None
    photo = SimpleUploadedFile("p.png", _png(), content_type="image/png")
    client.post(
        reverse("events:staff-attendance", args=[event.pk]),
        {"image": photo, "alt": "Гости слушают краеведа"},
    )
    assert event.photos.get().alt == "Гости слушают краеведа"
    query = f"?period=quarter&date={start.date().isoformat()}"
    xlsx = client.get(reverse("events:staff-export") + query)
    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]][2] == "Встреча с краеведом"
    printed = client.get(reverse("events:staff-print") + query).content.decode()
    assert "Встреча с краеведом" in printed


def test_staff_pages_refuse_readers(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="reader"))
    assert client.get(reverse("events:staff-list")).status_code == 403
