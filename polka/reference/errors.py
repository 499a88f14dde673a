"""Named errors of the reference service; messages are shown to people, so they are translated."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _

from polka.core.errors import PolkaError


class ReferenceServiceError(PolkaError):
    message: str = ""

    def __str__(self) -> str:
        return self.message


class TransitionNotAllowed(ReferenceServiceError):
    def __init__(self, *, action: str, state: str) -> None:
        self.action, self.state = action, state
        self.message = _("Это действие сейчас недоступно: вопрос в состоянии «%(state)s».") % {
            "state": state
        }


class QuestionInvalid(ReferenceServiceError):
    def __init__(self, message: str) -> None:
        self.message = message


class DailyCapReached(ReferenceServiceError):
    """The branch has taken as many questions today as it can answer."""

    def __init__(self, *, opens_on: dt.date) -> None:
        self.opens_on = opens_on
        self.message = _(
            "Сегодня библиотека уже приняла столько вопросов, сколько успеет ответить. "
            "Приём вопросов откроется %(date)s."
        ) % {"date": formats.date_format(opens_on, "j E")}


class NoAnsweringBranch(ReferenceServiceError):
    def __init__(self) -> None:
        self.message = _("Сейчас ни одна библиотека не принимает вопросы.")
