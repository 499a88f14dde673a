"""Named errors of the readers app; messages are shown to people, so they are translated.

`field` names the form field an error belongs to, so a form can show it beside what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from polka.core.errors import PolkaError

if TYPE_CHECKING:
    from polka.readers.models import Reader


class ReaderError(PolkaError):
    message = _("Ошибка в данных читателя.")
    field: str | None = None

    def __str__(self) -> str:
        return str(self.message)


class PersonalDataConsentMissing(ReaderError):
    """Personal data may be kept only under a recorded consent to its processing."""

    message = _("Без согласия на обработку персональных данных читателя зарегистрировать нельзя.")


class CardNumberTaken(ReaderError):
    message = _("Читательский билет с таким номером уже выдан.")
    field = "card_number"

    def __init__(self, card_number: str) -> None:
        super().__init__()  # not in args: error reports must not carry personal data
        self.card_number = card_number


class CardNumberInvalid(ReaderError):
    message = _("Номер билета не подходит: проверьте, что он отсканирован целиком.")
    field = "card_number"


class EmailTaken(ReaderError):
    message = _("Этот адрес электронной почты уже указан у другого читателя.")
    field = "email"


class BirthDateInFuture(ReaderError):
    message = _("Дата рождения не может быть в будущем.")
    field = "birth_date"


class BirthDateRequired(ReaderError):
    message = _("Укажите дату рождения: от неё зависит, кто даёт согласие.")
    field = "birth_date"


class GuardianRequired(ReaderError):
    """A child under 14 is registered by a parent or legal representative."""

    message = _(
        "Читателя младше 14 лет записывает родитель или законный представитель: укажите его."
    )
    field = "guardian_name"


class GuardianInvalid(ReaderError):
    message = _("Законным представителем может быть только совершеннолетний.")
    field = "guardian_card"


class UnknownCategory(ReaderError):
    message = _("Такой категории читателей нет.")
    field = "category"


class PossibleDuplicates(ReaderError):
    """Readers that may be the same person; registration goes on only when the desk confirms."""

    message = _("Похоже, этот читатель уже записан. Проверьте список ниже.")

    def __init__(self, candidates: Sequence[Reader]) -> None:
        super().__init__()
        self.candidates = list(candidates)


class ReaderNotFound(ReaderError):
    message = _("Читатель не найден.")


class ErasureBlocked(ReaderError):
    """Something is still on loan or owed: erasure waits until it is settled."""

    message = _("Данные нельзя удалить, пока у читателя есть книги или задолженности.")

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__(*reasons)
        self.reasons = list(reasons)


class ConsentNotFound(ReaderError):
    message = _("Такого согласия нет.")


class PersonalDataConsentNeedsErasure(ReaderError):
    message = _(
        "Согласие на обработку персональных данных отзывается вместе с удалением данных: "
        "воспользуйтесь кнопкой «Удалить мои данные»."
    )


class IdentityNotChecked(ReaderError):
    message = _("Проверьте документ, удостоверяющий личность, и отметьте это.")
    field = "identity_checked"


class PreRegistrationExpired(ReaderError):
    message = _("Срок предварительной записи истёк: данные удалены, заполните анкету заново.")
