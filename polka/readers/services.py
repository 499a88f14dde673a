"""Changes to readers: registration under a recorded consent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from polka.org.models import Branch
from polka.readers.errors import CardNumberTaken, PersonalDataConsentMissing
from polka.readers.models import Consent, Reader

# The purpose every reader record needs: 152-FZ allows keeping personal data only with it.
CONSENT_PERSONAL_DATA = "personal_data"
CONSENT_NOTIFICATIONS = "notifications"


@dataclass(frozen=True, slots=True)
class ConsentGiven:
    """A consent as the reader (or a child's guardian) gave it: purpose and text version."""

    purpose: str
    text_version: str
    ip_address: str | None = None


def _require_aware(at: dt.datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("`at` must be an aware datetime")


@transaction.atomic
def reader_register(
    *,
    card_number: str,
    last_name: str,
    first_name: str,
    home_branch: Branch,
    consents: Sequence[ConsentGiven],
    at: dt.datetime,
    middle_name: str = "",
    birth_year: int | None = None,
    email: str = "",
    phone: str = "",
    category: str = "adult",
) -> Reader:
    """Register a reader and record the consents they gave, all at `at`.

    Raises PersonalDataConsentMissing unless one consent is for processing personal data.
    """
    _require_aware(at)
    if not any(c.purpose == CONSENT_PERSONAL_DATA for c in consents):
        raise PersonalDataConsentMissing()
    if Reader.objects.filter(card_number=card_number).exists():
        raise CardNumberTaken(card_number)
    reader = Reader.objects.create(
        card_number=card_number,
        last_name=last_name,
        first_name=first_name,
        middle_name=middle_name,
        birth_year=birth_year,
        email=email,
        phone=phone,
        category=category,
        home_branch=home_branch,
        registered_at=at,
    )
    Consent.objects.bulk_create(
        Consent(
            reader=reader,
            purpose=c.purpose,
            text_version=c.text_version,
            given_at=at,
            ip_address=c.ip_address,
        )
        for c in consents
    )
    return reader
