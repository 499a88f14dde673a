"""Named errors of the events app; messages are shown to people, so they are translated."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from polka.core.errors import PolkaError


class EventError(PolkaError):
    message: Any = _("Ошибка в данных мероприятия.")

    def __str__(self) -> str:
        return str(self.message)


class EventEndsBeforeStart(EventError):
    message = _("Мероприятие не может закончиться раньше, чем началось.")


class EventOnClosedDay(EventError):
    def __init__(self, *, branch: str, day: str) -> None:
        self.message = _(
            "В этот день (%(day)s) библиотека «%(branch)s» закрыта: выберите другой день."
        ) % {"day": day, "branch": branch}


class RegistrationClosed(EventError):
    message = _("Запись на это мероприятие закрыта.")


class AlreadyRegistered(EventError):
    message = _("Вы уже записаны на это мероприятие: письмо с подтверждением у вас в почте.")


class RegistrationAlreadyCancelled(EventError):
    message = _("Эта запись уже отменена.")


class PushkinCardInvalid(EventError):
    message = _(
        "Для «Пушкинской карты» нужна ссылка на продажу билетов, а номер PRO.Культура.РФ "
        "состоит только из цифр."
    )
