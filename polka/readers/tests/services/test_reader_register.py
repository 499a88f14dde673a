from __future__ import annotations

import datetime as dt

import pytest

from polka.org import services as org
from polka.readers.errors import CardNumberTaken, PersonalDataConsentMissing
from polka.readers.models import Consent, Reader
from polka.readers.services import (
    CONSENT_NOTIFICATIONS,
    CONSENT_PERSONAL_DATA,
    ConsentGiven,
    reader_register,
)

AT = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
PERSONAL_DATA = ConsentGiven(CONSENT_PERSONAL_DATA, "2024-1", "192.0.2.1")


@pytest.fixture
def branch(db: None):
    network = org.network_create(name="ЦБС", at=AT)
    return org.branch_create(network=network, code="a", name="Библиотека", at=AT)


def register(branch, consents, card="0001"):
    return reader_register(
        card_number=card,
        last_name="Иванова",
        first_name="Анна",
        home_branch=branch,
        consents=consents,
        at=AT,
    )


def test_registration_records_each_consent_with_its_text_version_and_time(branch):
    reader = register(branch, [PERSONAL_DATA, ConsentGiven(CONSENT_NOTIFICATIONS, "2024-1")])
    rows = {c.purpose: c for c in Consent.objects.filter(reader=reader)}
    assert set(rows) == {CONSENT_PERSONAL_DATA, CONSENT_NOTIFICATIONS}
    assert rows[CONSENT_PERSONAL_DATA].text_version == "2024-1"
    assert rows[CONSENT_PERSONAL_DATA].given_at == AT
    assert rows[CONSENT_PERSONAL_DATA].ip_address == "192.0.2.1"
    assert reader.registered_at == AT


def test_a_reader_cannot_be_registered_without_consent_to_personal_data_processing(branch):
    with pytest.raises(PersonalDataConsentMissing):
        register(branch, [ConsentGiven(CONSENT_NOTIFICATIONS, "2024-1")])
    assert not Reader.objects.exists()


def test_a_card_number_is_given_to_one_reader_only(branch):
    register(branch, [PERSONAL_DATA])
    with pytest.raises(CardNumberTaken):
        register(branch, [PERSONAL_DATA])
    assert Reader.objects.count() == 1


def test_registration_needs_an_aware_time(branch):
    with pytest.raises(ValueError):
        reader_register(
            card_number="1",
            last_name="И",
            first_name="А",
            home_branch=branch,
            consents=[PERSONAL_DATA],
            at=dt.datetime(2026, 1, 1),
        )
