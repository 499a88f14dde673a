"""Named errors of courses; messages are shown to people."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from polka.core.errors import PolkaError


class CourseError(PolkaError):
    message = _("Ошибка в данных курса.")

    def __str__(self) -> str:
        return str(self.message)


class ApplicationsClosed(CourseError):
    message = _("Приём заявок на этот курс закрыт.")


class AlreadyApplied(CourseError):
    message = _("Заявка с этим адресом уже подана.")


class NotCompleted(CourseError):
    message = _("Сертификат выдаётся тем, кто посетил достаточно занятий.")


class SessionInvalid(CourseError):
    message = _(
        "Занятие не может закончиться раньше, чем началось, или пройти в день, "
        "когда библиотека закрыта."
    )


class SessionNotHeld(CourseError):
    message = _("Посещение отмечают только у занятия, которое уже началось.")


class CourseNotFinished(CourseError):
    message = _("Сертификат выдаётся после последнего занятия курса.")
