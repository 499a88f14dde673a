"""Library rules about readers: ages (who gives consent), card numbers, re-registration.

Card numbers follow settings.POLKA_READER_CARD_FORMAT: "ean13" (13 digits with an EAN check digit,
like Moscow's single reader card; generated numbers start with POLKA_READER_CARD_PREFIX) or
"free" (any letters and digits a printed card carries).
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.utils import timezone

# From 14 a reader gives their own consent (152-FZ, art. 9; Civil Code, art. 26); younger
# children are registered by a parent or legal representative.
OWN_CONSENT_AGE = 14
# A guardian who is a reader must be of age.
GUARDIAN_MIN_AGE = 18

# The categories an installation starts with (migration 0002 stores the same list); libraries
# add their own in the admin.
DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("adult", "взрослый"),
    ("child", "ребёнок"),
    ("teen", "подросток"),
    ("student", "учащийся"),
    ("senior", "пенсионер"),
    ("staff", "сотрудник"),
    ("organisation", "организация"),
)

# An online pre-registration waits this long for the visit to a desk, then is erased.
PREREGISTRATION_DAYS = 30

_FREE_CARD = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{0,29}$")


def age_on(*, birth_date: dt.date, on: dt.date) -> int:
    """Full years on `on`: the birthday itself counts. Born on 29 February, one is a year older
    on 1 March of a common year."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def needs_guardian(*, birth_date: dt.date, on: dt.date) -> bool:
    return age_on(birth_date=birth_date, on=on) < OWN_CONSENT_AGE


def card_format() -> str:
    return str(getattr(settings, "POLKA_READER_CARD_FORMAT", "ean13"))


def card_prefix() -> str:
    return str(getattr(settings, "POLKA_READER_CARD_PREFIX", "2990"))


def ean13_check_digit(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def card_number_normalise(value: str) -> str:
    """What a scanner or a keyboard gave, without surrounding spaces."""
    return value.strip()


def card_number_valid(value: str) -> bool:
    """Does `value` fit the configured format? An EAN-13 card must have its check digit right
    (a misread scan must not become a card)."""
    if card_format() == "ean13" and value.isdigit() and len(value) == 13:
        return ean13_check_digit(value[:12]) == value[12]
    if card_format() == "ean13" and value.isdigit() and len(value) > 13:
        return False
    return bool(_FREE_CARD.match(value))


def card_number_compose(sequence: int) -> str:
    """The `sequence`-th generated card number of the configured format."""
    prefix = card_prefix()
    if card_format() == "ean13":
        body = f"{prefix}{sequence:0{12 - len(prefix)}d}"
        if len(body) != 12:
            raise ValueError(f"card sequence {sequence} does not fit after prefix {prefix!r}")
        return body + ean13_check_digit(body)
    return f"{prefix}{sequence:07d}"


def card_number_sequence(value: str) -> int | None:
    """The sequence a generated number was composed from, or None for any other number."""
    prefix = card_prefix()
    if not value.startswith(prefix):
        return None
    digits = value[len(prefix) : -1] if card_format() == "ean13" else value[len(prefix) :]
    if not digits.isdigit() or card_number_compose(int(digits)) != value:
        return None
    return int(digits)


def registration_year(*, at: dt.datetime) -> int:
    """The statistics year a (re-)registration at `at` counts in (local time)."""
    return timezone.localtime(at).year
