"""Named errors of the e-library (messages are shown to people)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from polka.core.errors import PolkaError


class ElibraryError(PolkaError):
    message: Any = _("Ошибка электронной библиотеки.")

    def __str__(self) -> str:
        return str(self.message)


class AlreadyRequested(ElibraryError):
    message = _("Доступ к этой платформе уже запрошен или выдан.")


class ReaderNotFound(ElibraryError):
    message = _("Читатель с таким номером билета и фамилией не найден.")


class FileUnreadable(ElibraryError):
    def __init__(self, reason: str) -> None:
        self.message = _("Файл не удалось прочитать: %(reason)s") % {"reason": reason}
