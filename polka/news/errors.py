"""Named errors of news and comments (messages are shown to people)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from polka.core.errors import PolkaError


class NewsError(PolkaError):
    message: Any = _("Ошибка в новости.")

    def __str__(self) -> str:
        return str(self.message)


class CommentsClosed(NewsError):
    message = _("Комментарии к этой новости закрыты.")


class CommentInvalid(NewsError):
    def __init__(self, message: Any) -> None:
        self.message = message


class NameConsentMissing(NewsError):
    message = _(
        "Чтобы опубликовать комментарий гостя с именем, нужно согласие на публикацию имени."
    )
