"""A guest signs up for a full event's last seat, receives the confirmation by email (file
backend), cancels from its link, and the first on the waiting list is promoted."""

from __future__ import annotations

import email
import email.policy
import re

import pytest
from django.utils import timezone

from polka.events import services
from polka.events.models import Registration, RegistrationState
from polka.events.tests.conftest import make_event

pytestmark = pytest.mark.browser


def _mails(folder, to):
    """(subject, body) of the messages the file backend wrote for `to`."""
    found = []
    for path in sorted(folder.iterdir()):
        for chunk in path.read_text(encoding="utf-8").split("-" * 79):
            if not chunk.strip():
                continue
            message = email.message_from_string(chunk.strip(), policy=email.policy.default)
            if message["To"] == to:
                found.append((str(message["Subject"]).strip(), message.get_content()))
    return found


def test_a_guest_signs_up_cancels_and_the_waiting_list_moves_up(
    transactional_db, branches, page, settings, tmp_path, axe
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    now = timezone.now()
    event = make_event(branches[0], days=3, title="Встреча с писателем", capacity=1, now=now)

    page.goto(f"/events/{event.pk}/")
    axe(page)
    page.get_by_label("Имя и фамилия").fill("Анна Гостева")
    page.get_by_label("Электронная почта").fill("anna@example.org")
    page.get_by_label("Согласие на обработку данных для записи на мероприятие").check()
    page.get_by_role("button", name="Записаться").click()
    page.wait_for_url(f"**/events/{event.pk}/")
    assert "Вы записаны" in page.locator(".messages").inner_text()

    waiting = services.registration_create(
        event=event, name="Борис Ждущий", email="boris@example.org", at=timezone.now()
    )
    assert waiting.state == RegistrationState.WAITLISTED

    ((subject, body),) = _mails(tmp_path, "anna@example.org")
    assert subject == "Вы записаны: Встреча с писателем"
    link = re.search(r"https?://\S+/events/registrations/(\S+)/", body)
    assert link is not None
    page.goto(f"/events/registrations/{link.group(1)}/")
    page.get_by_role("button", name="Отменить запись").click()
    page.wait_for_load_state()
    assert "запись отменена" in page.locator(".registration-state").inner_text()

    waiting.refresh_from_db()
    assert waiting.state == RegistrationState.REGISTERED
    assert Registration.objects.get(email="anna@example.org").state == "cancelled"
    subjects = [subject for subject, _body in _mails(tmp_path, "boris@example.org")]
    # File names order the messages only to the second: compare them sorted.
    assert sorted(subjects) == [
        "Лист ожидания: Встреча с писателем",
        "Место освободилось: Встреча с писателем",
    ]
