"""Erasure (refused while something is on loan) and the export of everything held."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import models

from polka.accounts.models import User
from polka.consents.models import ConsentRecord
from polka.consents.texts import NOTIFICATIONS, PERSONAL_DATA
from polka.readers.errors import ErasureBlocked, PersonalDataConsentNeedsErasure
from polka.readers.models import Erasure, Guardian, Reader, RecordView, Registration
from polka.readers.registry import (
    erasure_blocker_register,
    erasure_blocker_unregister,
    export_sections,
)
from polka.readers.selectors import reader_export
from polka.readers.services import (
    GuardianData,
    reader_consent_withdraw,
    reader_erase,
    reader_erasure_request,
    reader_password_set,
    reader_record_open,
    readers_erase_pending,
)
from polka.readers.tests.conftest import AT, register, register_child

pytestmark = pytest.mark.django_db


def on_loan(reader: Reader) -> str | None:
    return "1 книга на руках" if reader.last_name == "Иванова" else None


@pytest.fixture
def loans():
    erasure_blocker_register(on_loan)
    yield
    erasure_blocker_unregister(on_loan)


def test_erasure_removes_the_reader_their_consents_and_login_keeping_anonymous_facts(
    branch_a, desk_a
):
    reader = register(branch_a, email="a@example.org", consents=[PERSONAL_DATA, NOTIFICATIONS])
    reader_password_set(reader=reader, password="a-long-reader-password")
    reader_record_open(reader_id=reader.pk, by=desk_a, at=AT)
    erasure = reader_erase(reader=reader, at=AT, by=desk_a)
    assert not Reader.objects.exists()
    assert not ConsentRecord.objects.exists()
    assert not RecordView.objects.exists()
    assert not User.objects.filter(username__startswith="reader-").exists()
    fact = Registration.objects.get()
    assert fact.reader is None and fact.year == 2026
    assert (erasure.by, erasure.at, erasure.reader_id_erased) == (desk_a, AT, reader.pk)
    assert erasure.removed["consents.ConsentRecord"] == 2


def test_the_erasure_audit_says_what_was_erased_never_the_data(branch_a):
    reader = register(branch_a, email="anna@example.org", phone="+7 900 000-00-00")
    erasure = reader_erase(reader=reader, at=AT, by=None)
    stored = json.dumps(erasure.removed, ensure_ascii=False)
    for value in ("Иванова", "anna@example.org", "900", reader.card_number):
        assert value not in stored
    assert Erasure.objects.count() == 1


def test_erasure_is_refused_while_something_is_on_loan(branch_a, loans):
    reader = register(branch_a)
    with pytest.raises(ErasureBlocked) as refused:
        reader_erase(reader=reader, at=AT, by=None)
    assert refused.value.reasons == ["1 книга на руках"]
    assert Reader.objects.count() == 1
    assert not Erasure.objects.exists()


def test_a_requested_erasure_waits_for_the_loans_and_is_then_carried_out(branch_a, loans):
    reader = register(branch_a)
    assert reader_erasure_request(reader=reader, at=AT) is None
    reader.refresh_from_db()
    assert reader.erasure_requested_at == AT
    assert readers_erase_pending(at=AT) == 0
    erasure_blocker_unregister(on_loan)
    assert readers_erase_pending(at=AT) == 1
    assert not Reader.objects.exists()
    assert Erasure.objects.get().on_request


def test_erasing_a_guardian_keeps_the_childs_record_without_the_guardians_name(branch_a):
    mother = register(branch_a, last_name="Смирнова")
    child = register_child(branch_a, last_name="Смирнова", guardians=[GuardianData(reader=mother)])
    reader_erase(reader=mother, at=AT, by=None)
    assert Reader.objects.get() == child
    assert not Guardian.objects.filter(child=child).exists()
    assert ConsentRecord.objects.get(reader_link__reader=child).name == ""


def test_withdrawing_a_consent_keeps_its_record_with_the_time(branch_a):
    reader = register(branch_a, consents=[PERSONAL_DATA, NOTIFICATIONS])
    notifications = ConsentRecord.objects.get(purpose=NOTIFICATIONS)
    reader_consent_withdraw(reader=reader, record_id=notifications.pk, at=AT)
    notifications.refresh_from_db()
    assert notifications.withdrawn_at == AT


def test_the_personal_data_consent_is_withdrawn_by_erasure_not_alone(branch_a):
    reader = register(branch_a)
    record = ConsentRecord.objects.get()
    with pytest.raises(PersonalDataConsentNeedsErasure):
        reader_consent_withdraw(reader=reader, record_id=record.pk, at=AT)


def test_the_export_holds_the_record_guardians_consents_registrations_views_and_login(
    branch_a, desk_a
):
    reader = register_child(branch_a, email="masha@example.org")
    reader_password_set(reader=reader, password="a-long-reader-password")
    reader_record_open(reader_id=reader.pk, by=desk_a, at=AT)
    export = reader_export(reader=reader, at=AT)
    sections = export["sections"]
    assert sections["reader"][0]["birth_date"] == "2018-03-01"
    assert sections["guardians"][0]["name"] == "Иванова Анна Петровна"
    assert sections["consents"][0]["purpose"] == PERSONAL_DATA
    assert sections["registrations"][0]["year"] == 2026
    assert sections["record_views"][0]["by"] == "desk-a"
    assert sections["account"][0]["email"] == "masha@example.org"
    json.dumps(export)  # machine-readable as it is


def _reader_relations() -> set[str]:
    """Every model holding a foreign key or one-to-one link to Reader, and Reader's own links
    to personal data elsewhere (its login)."""
    labels = {Reader._meta.label}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, (models.ForeignKey, models.OneToOneField)) and (
                field.related_model is Reader
            ):
                labels.add(model._meta.label)
    labels.add(User._meta.label)
    labels.add(ConsentRecord._meta.label)
    return labels


def test_every_table_that_holds_reader_data_appears_in_the_export():
    covered = {label for section in export_sections() for label in section.covers}
    missing = _reader_relations() - covered
    assert not missing, f"add an export section (polka.readers.registry) for {sorted(missing)}"
