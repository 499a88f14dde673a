"""A consent is recorded per purpose with its text version, time and address."""

from __future__ import annotations

import pytest
from django.utils import timezone

from polka.consents.forms import ConsentField
from polka.consents.services import consent_record, consent_withdraw
from polka.consents.texts import PUBLISH_NAME, TEXTS

pytestmark = pytest.mark.django_db


def test_a_consent_keeps_the_version_of_the_text_that_was_agreed_to():
    record = consent_record(
        purpose=PUBLISH_NAME, at=timezone.now(), ip_address="127.0.0.1", name="Ира", email="i@x.ru"
    )
    assert record.text_version == TEXTS[PUBLISH_NAME].version
    assert record.ip_address == "127.0.0.1"
    consent_withdraw(record=record, at=timezone.now())
    assert record.withdrawn_at is not None


def test_an_unknown_purpose_is_refused():
    with pytest.raises(ValueError, match="unknown consent purpose"):
        consent_record(purpose="marketing", at=timezone.now())


def test_each_consent_text_has_a_public_page(client):
    for purpose, text in TEXTS.items():
        response = client.get(f"/consents/{purpose}/")
        assert response.status_code == 200
        assert str(text.title) in response.content.decode()
    assert client.get("/consents/nothing/").status_code == 404


def test_the_consent_checkbox_is_required_and_links_to_its_text():
    field = ConsentField(PUBLISH_NAME)
    assert field.required
    assert f"/consents/{PUBLISH_NAME}/" in str(field.help_text)
