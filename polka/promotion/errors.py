"""Named errors of promotion (posting to Telegram and VK); messages are shown to people."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from polka.core.errors import PolkaError


class PromotionError(PolkaError):
    message: Any = _("Ошибка публикации в соцсетях.")

    def __str__(self) -> str:
        return str(self.message)


class SecretUnreadable(PromotionError):
    message = _("Сохранённый токен не читается (сменился ключ шифрования): введите его заново.")


class TokenMissing(PromotionError):
    message = _("Укажите токен или имя переменной окружения, в которой он хранится.")


class ChannelDuplicate(PromotionError):
    message = _("Этот канал уже подключён.")
