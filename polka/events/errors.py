"""Named errors of the events app; messages are shown to people, so they are translated."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class EventError(Exception):
    message = _("Ошибка в данных мероприятия.")

    def __str__(self) -> str:
        return str(self.message)


class EventEndsBeforeStart(EventError):
    message = _("Мероприятие не может закончиться раньше, чем началось.")
