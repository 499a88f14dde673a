"""Sign-up over HTTP, week and month views, and iCalendar files in the branch's time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.utils import timezone

from polka.events.models import Registration
from polka.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
FORM = {"name": "Анна Гостева", "email": "anna@example.org", "consent": "on"}


@pytest.fixture
def now():
    return timezone.now()


def test_a_guest_signs_up_and_a_form_error_keeps_what_was_typed(client, branches, now):
    event = make_event(branches[0], days=2, capacity=5, now=now)
    response = client.post(f"/events/{event.pk}/register/", {**FORM, "consent": ""})
    html = response.content.decode()
    assert response.status_code == 400 and "Анна Гостева" in html and "anna@example.org" in html
    assert not Registration.objects.exists()
    response = client.post(f"/events/{event.pk}/register/", FORM, follow=True)
    assert "Вы записаны" in response.content.decode()
    assert Registration.objects.get().state == "registered"


def test_the_page_says_a_confirmation_was_sent_only_when_one_will_be(client, branches, now):
    event = make_event(branches[0], days=2, capacity=5, now=now)
    sent = client.post(f"/events/{event.pk}/register/", FORM, follow=True).content.decode()
    assert "Подтверждение отправлено на почту" in sent
    reserved = {**FORM, "email": "anna@mail.example"}
    page = client.post(f"/events/{event.pk}/register/", reserved, follow=True).content.decode()
    assert "Вы записаны" in page and "Подтверждение отправлено" not in page
    assert "не отправляется" in page


@pytest.mark.parametrize(
    ("configured", "expected"),
    [("", "http://biblio.local:8001"), ("https://lib.example.ru", "https://lib.example.ru")],
)
def test_links_in_the_confirmation_use_the_configured_address_or_the_one_the_reader_came_on(
    client,
    branches,
    now,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
    configured,
    expected,
):
    settings.POLKA_SITE_URL = configured
    event = make_event(branches[0], days=2, capacity=5, now=now)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/{event.pk}/register/", FORM, HTTP_HOST="biblio.local:8001")
    token = Registration.objects.get().token
    assert f"{expected}/events/registrations/{token}/" in mailoutbox[0].body


def test_a_bot_filling_the_honeypot_signs_nobody_up(client, branches, now):
    event = make_event(branches[0], days=2, capacity=5, now=now)
    client.post(f"/events/{event.pk}/register/", {**FORM, "website": "spam"})
    assert not Registration.objects.exists()


def test_the_cancel_link_cancels_the_sign_up(client, branches, now):
    event = make_event(branches[0], days=2, capacity=5, now=now)
    client.post(f"/events/{event.pk}/register/", FORM)
    registration = Registration.objects.get()
    page = client.get(f"/events/registrations/{registration.token}/")
    assert "Отменить запись" in page.content.decode()
    client.post(f"/events/registrations/{registration.token}/")
    registration.refresh_from_db()
    assert registration.state == "cancelled"
    assert client.get("/events/registrations/wrong-token/").status_code == 404


def test_week_and_month_views_place_events_on_their_days(client, branches, now):
    event = make_event(branches[0], days=1, title="Клуб рукоделия", now=now)
    day = timezone.localdate(event.starts_at)
    week = client.get("/events/", {"view": "week", "date": day.isoformat()}).content.decode()
    assert "Клуб рукоделия" in week
    month = client.get("/events/", {"view": "month", "date": day.isoformat()}).content.decode()
    assert "Клуб рукоделия" in month and 'class="month-calendar"' in month
    other = (day + dt.timedelta(days=40)).isoformat()
    assert (
        "Клуб рукоделия"
        not in client.get("/events/", {"view": "month", "date": other}).content.decode()
    )


def test_event_and_feed_files_parse_and_carry_local_times(client, branches, now):
    # A month ahead of whatever day the suite runs: feeds list upcoming events only.
    day = timezone.localdate(now, MOSCOW) + dt.timedelta(days=30)
    starts = dt.datetime.combine(day, dt.time(18, 30), tzinfo=MOSCOW)
    event = make_event(branches[0], days=(starts - now).total_seconds() / 86400, now=now)
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert 'type="text/calendar"' in page and f"/events/{event.pk}/event.ics" in page
    for url in (
        f"/events/{event.pk}/event.ics",
        "/events/feeds/events.ics",
        f"/events/feeds/branch/{branches[0].code}.ics",
    ):
        response = client.get(url)
        assert response["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.content)
        vevent = next(c for c in calendar.walk("VEVENT"))
        start = vevent["DTSTART"]
        assert start.params["TZID"] == "Europe/Moscow"
        assert start.dt.replace(tzinfo=None) == dt.datetime.combine(day, dt.time(18, 30))
        assert any(c.name == "VTIMEZONE" for c in calendar.walk())


def test_a_programme_feed_lists_only_its_events(client, branches, now):
    from polka.programmes.models import Programme

    programme = Programme.objects.create(
        slug="leto",
        title="Лето с книгой",
        starts_on=dt.date(2027, 6, 1),
        ends_on=dt.date(2027, 8, 31),
    )
    make_event(branches[0], days=2, title="Встреча программы", programme=programme, now=now)
    make_event(branches[0], days=2, title="Другая встреча", now=now)
    calendar = icalendar.Calendar.from_ical(client.get("/events/feeds/programme/leto.ics").content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Встреча программы (12+)"]
