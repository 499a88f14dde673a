"""«Пушкинская карта»: an event marked for the card carries its ticket link and PRO.Культура
number, the calendar filters such events, young people see them first, and the mark travels
into the iCalendar file."""

from __future__ import annotations

import icalendar
import pytest
from django.utils import timezone

from polka.events.errors import PushkinCardInvalid
from polka.events.models import Event
from polka.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db
TICKETS = "https://tickets.example/polka/42"


@pytest.fixture
def now():
    return timezone.now()


def test_a_card_event_needs_a_ticket_link_and_a_numeric_pro_culture_id(branches, now):
    with pytest.raises(PushkinCardInvalid):
        make_event(branches[0], days=2, now=now, pushkin_card=True)
    with pytest.raises(PushkinCardInvalid):
        make_event(branches[0], days=2, now=now, pushkin_card=True, ticket_url=TICKETS,
                   pro_culture_id="12a")  # fmt: skip
    assert not Event.objects.exists()
    event = make_event(branches[0], days=2, now=now, pushkin_card=True, ticket_url=TICKETS,
                       pro_culture_id="1234567")  # fmt: skip
    assert event.pushkin_card and event.pro_culture_id == "1234567"


def test_the_calendar_filters_card_events_and_teenagers_see_them_first(client, branches, now):
    plain = make_event(branches[0], days=1, title="Квиз", audience="teens", now=now)
    card = make_event(branches[0], days=5, title="Спектакль", audience="teens", now=now,
                      pushkin_card=True, ticket_url=TICKETS)  # fmt: skip
    only = client.get("/events/", {"pushkin": "on"}).content.decode()
    assert "Спектакль" in only and "Квиз" not in only and "«Пушкинская карта»" in only
    teens = client.get("/events/", {"audience": "teens"}).content.decode()
    assert teens.index(card.title) < teens.index(plain.title)
    everyone = client.get("/events/").content.decode()
    assert everyone.index(plain.title) < everyone.index(card.title)  # otherwise by date


def test_the_event_page_and_its_calendar_file_carry_the_ticket_link(client, branches, now):
    event = make_event(branches[0], days=3, title="Спектакль", now=now, pushkin_card=True,
                       ticket_url=TICKETS)  # fmt: skip
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert f'href="{TICKETS}"' in page
    [vevent] = icalendar.Calendar.from_ical(
        client.get(f"/events/{event.pk}/event.ics").content
    ).walk("VEVENT")
    assert TICKETS in str(vevent["description"]) and "Пушкинская карта" in str(
        vevent["description"]
    )


def test_staff_mark_an_event_for_the_card_and_a_missing_ticket_link_keeps_the_form(
    client, branches, now
):
    from polka.org.models import Role
    from polka.org.services import staff_user_create

    methodist, _ = staff_user_create(username="m", roles={Role.METHODIST: "all"}, at=now)
    client.force_login(methodist)
    start = timezone.localtime(now + timezone.timedelta(days=10)).replace(hour=15, minute=0)
    form = {
        "branch": branches[0].pk, "title": "Спектакль", "event_type": "other",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "audience": "teens", "age_mark": "12+",
        "ends_at": (start + timezone.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "is_published": "on", "pushkin_card": "on", "pro_culture_id": "987",
    }  # fmt: skip
    refused = client.post("/events/staff/new/", form)
    assert refused.status_code == 400 and "987" in refused.content.decode()
    assert not Event.objects.exists()
    client.post("/events/staff/new/", {**form, "ticket_url": TICKETS})
    event = Event.objects.get()
    assert (event.pushkin_card, event.ticket_url, event.pro_culture_id) == (True, TICKETS, "987")
