"""Named errors of the statistics: a period or an entry the library cannot count."""

from __future__ import annotations

from django.utils.translation import gettext as _


class StatisticsError(Exception):
    """Base of the statistics' errors."""


class EntryInvalid(StatisticsError):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(_("Запись дневника не принята: %(reason)s") % {"reason": reason})


class CellUnknown(StatisticsError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(_("В форме нет строки %(code)s.") % {"code": code})
