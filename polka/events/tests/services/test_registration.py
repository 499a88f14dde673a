"""Sign-up: seats while they last, then the waiting list; a cancellation promotes the first."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection

from polka.consents.models import ConsentRecord
from polka.events import services
from polka.events.errors import (
    AlreadyRegistered,
    EventOnClosedDay,
    RegistrationAlreadyCancelled,
    RegistrationClosed,
)
from polka.events.models import Registration, RegistrationState
from polka.events.tests.conftest import NOW, make_event
from polka.notices.services import notices_run
from polka.org import services as org

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_up(event, n, **kwargs):
    return services.registration_create(
        event=event, name=f"Гость {n}", email=f"guest{n}@example.org", at=NOW, **kwargs
    )


def test_seats_go_first_then_the_waiting_list_with_the_consent_recorded(branches):
    event = make_event(branches[0], days=3, capacity=2)
    states = [_sign_up(event, n, ip_address="192.0.2.7").state for n in range(3)]
    assert states == ["registered", "registered", "waitlisted"]
    assert ConsentRecord.objects.filter(purpose="event_signup", ip_address="192.0.2.7").count() == 3
    subjects = [m.subject for m in mail.outbox]
    assert subjects[:2] == ["Вы записаны: Встреча"] * 2 and subjects[2].startswith("Лист ожидания")
    assert all("/events/registrations/" in m.body for m in mail.outbox)


def test_a_cancellation_moves_the_first_in_the_waiting_list_up_and_tells_them(branches):
    event = make_event(branches[0], days=3, capacity=1)
    first = _sign_up(event, 1)
    waiting = [_sign_up(event, n) for n in (2, 3)]
    promoted = services.registration_cancel(registration=first, at=NOW)
    assert promoted is not None and promoted.pk == waiting[0].pk
    assert Registration.objects.get(pk=waiting[1].pk).state == RegistrationState.WAITLISTED
    assert mail.outbox[-1].to == ["guest2@example.org"]
    assert mail.outbox[-1].subject.startswith("Место освободилось")
    with pytest.raises(RegistrationAlreadyCancelled):
        services.registration_cancel(registration=first, at=NOW)


def test_leaving_the_waiting_list_promotes_nobody(branches):
    event = make_event(branches[0], days=3, capacity=1)
    _sign_up(event, 1)
    waiting = _sign_up(event, 2)
    assert services.registration_cancel(registration=waiting, at=NOW) is None


def test_the_same_email_signs_up_once_and_past_events_take_nobody(branches):
    event = make_event(branches[0], days=3, capacity=5)
    _sign_up(event, 1)
    with pytest.raises(AlreadyRegistered):
        _sign_up(event, 1)
    past = make_event(branches[0], days=-1, capacity=5)
    with pytest.raises(RegistrationClosed):
        _sign_up(past, 2)


def test_an_event_on_a_closed_day_is_refused(branches):
    org.opening_hours_set(branch=branches[0], week={}, by=None, at=NOW)  # closed every day
    with pytest.raises(EventOnClosedDay):
        make_event(branches[0], days=3)


def test_reminders_go_the_day_before_to_those_with_a_seat_only_once(branches):
    event = make_event(branches[0], days=1, capacity=1)
    _sign_up(event, 1)
    _sign_up(event, 2)  # waiting list: no reminder
    sent_before = len(mail.outbox)
    report = notices_run(now=NOW)
    assert report.queued == 1
    reminders = mail.outbox[sent_before:]
    assert [m.to for m in reminders] == [["guest1@example.org"]]
    assert reminders[0].subject == "Завтра: Встреча"
    assert notices_run(now=NOW).queued == 0


@pytest.mark.parametrize("attempt", range(2))
def test_concurrent_sign_ups_never_overbook(branches, attempt):
    event = make_event(branches[0], days=3, capacity=3)
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def sign_up(n: int) -> None:
        try:
            barrier.wait()
            _sign_up(event, n)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    states = list(Registration.objects.filter(event=event).values_list("state", flat=True))
    assert states.count("registered") == 3 and states.count("waitlisted") == 5
