"""Named errors of the readers app; messages are shown to people, so they are translated."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class ReaderError(Exception):
    message = _("Ошибка в данных читателя.")

    def __str__(self) -> str:
        return str(self.message)


class PersonalDataConsentMissing(ReaderError):
    """Personal data may be kept only under a recorded consent to its processing."""

    message = _("Без согласия на обработку персональных данных читателя зарегистрировать нельзя.")


class CardNumberTaken(ReaderError):
    message = _("Читательский билет с таким номером уже выдан.")

    def __init__(self, card_number: str) -> None:
        super().__init__(card_number)
        self.card_number = card_number
