"""Named errors of projects, programmes and exhibitions (messages are shown to people)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from polka.core.errors import PolkaError


class ProgrammeError(PolkaError):
    message = _("Ошибка в данных программы.")

    def __str__(self) -> str:
        return str(self.message)


class ProgrammeClosed(ProgrammeError):
    message = _("Программа уже закончилась: записаться нельзя.")


class BookInvalid(ProgrammeError):
    message = _("Укажите книгу: выберите её в каталоге или напишите название.")
