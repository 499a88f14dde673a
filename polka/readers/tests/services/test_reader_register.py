from __future__ import annotations

import datetime as dt

import pytest

from polka.consents.models import Channel, ConsentRecord
from polka.consents.texts import NOTIFICATIONS, PERSONAL_DATA, TEXTS
from polka.org.errors import NotPermitted
from polka.readers import policies
from polka.readers.errors import (
    BirthDateInFuture,
    CardNumberInvalid,
    CardNumberTaken,
    EmailTaken,
    PersonalDataConsentMissing,
    PossibleDuplicates,
    UnknownCategory,
)
from polka.readers.models import Reader, Registration
from polka.readers.tests.conftest import AT, register

pytestmark = pytest.mark.django_db


def test_registration_records_each_consent_through_polka_consents(branch_a, desk_a):
    reader = register(branch_a, consents=[PERSONAL_DATA, NOTIFICATIONS], by=desk_a, ip_address=None)
    records = {r.purpose: r for r in ConsentRecord.objects.filter(reader_link__reader=reader)}
    assert set(records) == {PERSONAL_DATA, NOTIFICATIONS}
    personal = records[PERSONAL_DATA]
    assert personal.text_version == TEXTS[PERSONAL_DATA].version
    assert personal.given_at == AT
    assert personal.channel == Channel.DESK
    assert personal.taken_by == desk_a
    assert personal.name == "Иванова Анна Петровна"
    assert reader.registered_at == AT
    assert reader.registered_by == desk_a


def test_an_online_consent_keeps_its_address(branch_a):
    reader = register(branch_a, channel=Channel.ONLINE, ip_address="192.0.2.1")
    record = ConsentRecord.objects.get(reader_link__reader=reader)
    assert (record.channel, record.ip_address) == (Channel.ONLINE, "192.0.2.1")


def test_a_reader_cannot_be_registered_without_consent_to_personal_data_processing(branch_a):
    with pytest.raises(PersonalDataConsentMissing):
        register(branch_a, consents=[NOTIFICATIONS])
    assert not Reader.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_a_card_number_is_given_to_one_reader_only(branch_a):
    register(branch_a, card_number="0001")
    with pytest.raises(CardNumberTaken):
        register(branch_a, card_number="0001", duplicates_confirmed=True)
    assert Reader.objects.count() == 1


def test_without_a_scanned_card_polka_generates_an_ean13_number_in_sequence(branch_a):
    first = register(branch_a)
    second = register(branch_a, last_name="Петров", first_name="Пётр", birth_date=None)
    assert len(first.card_number) == 13 and first.card_number.isdigit()
    assert first.card_number.startswith(policies.card_prefix())
    assert policies.card_number_valid(first.card_number)
    assert policies.card_number_sequence(second.card_number) == 2


def test_a_misread_ean13_card_is_refused(branch_a):
    good = policies.card_number_compose(41)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(CardNumberInvalid):
        register(branch_a, card_number=bad)
    assert register(branch_a, card_number=good).card_number == good


def test_a_birth_date_in_the_future_is_refused(branch_a):
    with pytest.raises(BirthDateInFuture):
        register(branch_a, birth_date=dt.date(2026, 11, 21))
    assert not Reader.objects.exists()


def test_an_email_already_used_by_another_reader_is_refused_whatever_its_case(branch_a):
    register(branch_a, email="anna@example.org")
    with pytest.raises(EmailTaken):
        register(branch_a, last_name="Петров", first_name="Пётр", email="ANNA@example.org")
    assert Reader.objects.count() == 1


def test_same_name_and_birth_date_is_shown_as_a_likely_duplicate_before_a_second_card(branch_a):
    first = register(branch_a)
    with pytest.raises(PossibleDuplicates) as refused:
        register(branch_a, last_name="иванова", first_name="АННА")
    assert refused.value.candidates == [first]
    second = register(branch_a, duplicates_confirmed=True)
    assert second.pk != first.pk


def test_same_phone_or_email_is_a_likely_duplicate(branch_a):
    first = register(branch_a, phone="+7 900 000-00-01")
    with pytest.raises(PossibleDuplicates) as refused:
        register(branch_a, last_name="Петров", first_name="Пётр", phone="+7 900 000-00-01")
    assert refused.value.candidates == [first]


def test_an_unknown_category_is_refused(branch_a):
    with pytest.raises(UnknownCategory):
        register(branch_a, category="martian")


def test_the_configured_categories_include_organisations_and_staff(branch_a):
    assert register(branch_a, category="organisation").category.name == "организация"


def test_registration_counts_in_the_years_statistics(branch_a):
    reader = register(branch_a)
    row = Registration.objects.get(reader=reader)
    assert (row.year, row.is_new, row.branch, row.category) == (2026, True, branch_a, "adult")


def test_branch_a_desk_cannot_register_a_reader_into_branch_b(branch_b, desk_a):
    with pytest.raises(NotPermitted):
        register(branch_b, by=desk_a)
    assert not Reader.objects.exists()


def test_registration_needs_an_aware_time(branch_a):
    with pytest.raises(ValueError):
        register(branch_a, at=dt.datetime(2026, 1, 1))  # noqa: DTZ001 (naive on purpose)
