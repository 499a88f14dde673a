"""Named errors of the org domain; their messages are shown to people, so they are translated."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from polka.core.errors import PermissionRefused, PolkaError


class OrgError(PolkaError):
    """Base of every org error; `message` is the translated text for people."""

    message: str = ""

    def __str__(self) -> str:
        return self.message


class NotPermitted(OrgError, PermissionRefused):
    """The user may not perform the action (in that branch)."""

    def __init__(self, *, action: str, branch_code: str | None = None) -> None:
        self.action = action
        self.branch_code = branch_code
        if branch_code:
            self.message = _(
                "Недостаточно прав для действия «%(action)s» в библиотеке %(branch)s."
            ) % {"action": action, "branch": branch_code}
        else:
            self.message = _("Недостаточно прав для действия «%(action)s».") % {"action": action}
        super().__init__(self.message)


class BranchNeverOpen(OrgError):
    """No open day was found in the bounded search window: the calendar has no open days."""

    def __init__(self, *, branch_code: str, after: date, days: int) -> None:
        self.branch_code = branch_code
        self.after = after
        self.days = days
        self.message = _(
            "Библиотека %(branch)s не работает ни одного дня в течение %(days)d дней после "
            "%(after)s: проверьте часы работы и особые дни."
        ) % {"branch": branch_code, "days": days, "after": after.isoformat()}
        super().__init__(self.message)


class InvalidOpeningHours(OrgError):
    """Weekly hours or a calendar exception that cannot be right (closing before opening...)."""

    def __init__(self, *, detail: str) -> None:
        self.detail = detail
        self.message = _("Неверные часы работы: %(detail)s") % {"detail": detail}
        super().__init__(self.message)


class InvalidStaffAccount(OrgError):
    """A staff account that cannot be created: taken username, weak password, no roles."""

    def __init__(self, *, detail: str) -> None:
        self.detail = detail
        self.message = _("Нельзя создать учётную запись сотрудника: %(detail)s") % {
            "detail": detail
        }
        super().__init__(self.message)
