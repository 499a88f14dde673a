"""A child under 14 is registered by a guardian; at 14 the reader confirms their own consent."""

from __future__ import annotations

import datetime as dt

import pytest

from polka.consents.models import ConsentRecord
from polka.consents.texts import PERSONAL_DATA
from polka.readers import policies
from polka.readers.errors import GuardianInvalid, GuardianRequired
from polka.readers.models import Guardian, Reader
from polka.readers.selectors import reader_needs_own_consent
from polka.readers.services import GuardianData, reader_consent_give
from polka.readers.tests.conftest import AT, register, register_child

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)  # AT's date
FOURTEEN_TODAY = dt.date(2012, 11, 20)
FOURTEEN_TOMORROW = dt.date(2012, 11, 21)


def test_age_counts_the_birthday_itself():
    assert policies.age_on(birth_date=FOURTEEN_TODAY, on=TODAY) == 14
    assert policies.age_on(birth_date=FOURTEEN_TOMORROW, on=TODAY) == 13


def test_born_on_29_february_one_turns_a_year_older_on_1_march_of_a_common_year():
    born = dt.date(2012, 2, 29)
    assert policies.age_on(birth_date=born, on=dt.date(2026, 2, 28)) == 13
    assert policies.age_on(birth_date=born, on=dt.date(2026, 3, 1)) == 14


def test_a_child_who_turns_14_tomorrow_cannot_be_registered_without_a_guardian(branch_a):
    with pytest.raises(GuardianRequired):
        register(branch_a, first_name="Маша", birth_date=FOURTEEN_TOMORROW, category="teen")
    assert not Reader.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_a_reader_who_turns_14_today_gives_their_own_consent(branch_a):
    reader = register(branch_a, first_name="Маша", birth_date=FOURTEEN_TODAY, category="teen")
    assert not reader.guardians.exists()
    record = ConsentRecord.objects.get(reader_link__reader=reader)
    assert record.name == reader.full_name


def test_a_guardians_consent_is_recorded_as_given_by_the_guardian(branch_a):
    child = register_child(branch_a)
    guardian = Guardian.objects.get(child=child)
    record = ConsentRecord.objects.get(reader_link__reader=child)
    assert record.purpose == PERSONAL_DATA
    assert record.name == "Иванова Анна Петровна"
    assert record.reader_link.guardian == guardian


def test_a_guardian_may_be_a_reader(branch_a):
    mother = register(branch_a)
    child = register_child(branch_a, guardians=[GuardianData(reader=mother, relation="мать")])
    assert [w.child for w in mother.wards.all()] == [child]
    assert ConsentRecord.objects.get(reader_link__reader=child).name == mother.full_name


def test_a_child_cannot_be_anothers_guardian(branch_a):
    sister = register_child(branch_a, first_name="Оля", birth_date=dt.date(2014, 1, 1))
    with pytest.raises(GuardianInvalid):
        register_child(branch_a, guardians=[GuardianData(reader=sister)])
    assert Reader.objects.count() == 1


def test_a_guardian_needs_a_name(branch_a):
    with pytest.raises(GuardianRequired):
        register_child(branch_a, guardians=[GuardianData(full_name="  ")])
    assert not Reader.objects.exists()


def test_the_desk_is_reminded_from_the_14th_birthday_until_the_reader_consents(branch_a):
    child = register_child(branch_a, birth_date=dt.date(2013, 1, 10))
    assert not reader_needs_own_consent(reader=child, on=dt.date(2027, 1, 9))
    assert reader_needs_own_consent(reader=child, on=dt.date(2027, 1, 10))
    reader_consent_give(reader=child, purpose=PERSONAL_DATA, at=AT)
    assert not reader_needs_own_consent(reader=child, on=dt.date(2027, 1, 10))
