"""Online pre-registration: a temporary number, completed at a desk with an identity check;
unconfirmed ones expire and their data is erased."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from polka.consents.models import Channel, ConsentRecord
from polka.readers import policies
from polka.readers.errors import GuardianRequired, IdentityNotChecked, PreRegistrationExpired
from polka.readers.models import PreRegistration, Reader
from polka.readers.selectors import preregistration_by_number
from polka.readers.services import (
    preregistration_complete,
    preregistration_create,
    preregistrations_purge,
)
from polka.readers.tests.conftest import AT

pytestmark = pytest.mark.django_db

LATER = AT + dt.timedelta(days=3)
EXPIRED = AT + dt.timedelta(days=policies.PREREGISTRATION_DAYS)


def apply(branch, **kwargs):
    values = {
        "last_name": "Орлова",
        "first_name": "Нина",
        "birth_date": dt.date(1979, 8, 30),
        "email": "nina@example.org",
        "home_branch": branch,
        "at": AT,
        "ip_address": "198.51.100.7",
    }
    values.update(kwargs)
    return preregistration_create(**values)


def test_an_online_form_gets_a_temporary_number_under_an_online_consent(branch_a):
    pre = apply(branch_a)
    assert pre.number.startswith("P")
    assert (pre.consent.channel, pre.consent.ip_address) == (Channel.ONLINE, "198.51.100.7")
    assert preregistration_by_number(number=pre.number.lower(), at=LATER) == pre


def test_a_child_applies_online_only_with_a_parents_name(branch_a):
    with pytest.raises(GuardianRequired):
        apply(branch_a, birth_date=dt.date(2016, 1, 1))
    assert not ConsentRecord.objects.exists()
    pre = apply(branch_a, birth_date=dt.date(2016, 1, 1), guardian_name="Орлова Анна")
    assert pre.consent.name == "Орлова Анна"


def test_the_desk_completes_it_with_an_identity_check_and_the_consent_becomes_the_readers(
    branch_a, desk_a
):
    pre = apply(branch_a)
    with pytest.raises(IdentityNotChecked):
        preregistration_complete(preregistration=pre, at=LATER, by=desk_a, identity_checked=False)
    reader = preregistration_complete(
        preregistration=pre, at=LATER, by=desk_a, identity_checked=True, phone="+7 1"
    )
    assert (reader.last_name, reader.email, reader.phone) == ("Орлова", "nina@example.org", "+7 1")
    assert ConsentRecord.objects.get(reader_link__reader=reader) == pre.consent
    assert not PreRegistration.objects.exists()


def test_an_expired_preregistration_cannot_be_completed_and_is_erased(branch_a, desk_a):
    pre = apply(branch_a)
    with pytest.raises(PreRegistrationExpired):
        preregistration_complete(preregistration=pre, at=EXPIRED, by=desk_a, identity_checked=True)
    assert preregistrations_purge(at=EXPIRED - dt.timedelta(seconds=1)) == 0
    assert preregistrations_purge(at=EXPIRED) == 1
    assert not PreRegistration.objects.exists()
    assert not ConsentRecord.objects.exists()
    assert not Reader.objects.exists()


def test_the_purge_command_reports_what_it_erased(branch_a):
    apply(branch_a, at=AT - dt.timedelta(days=400))
    out = StringIO()
    call_command("readers-purge", stdout=out)
    assert out.getvalue().strip() == "pre-registrations erased 1, readers erased 0"
