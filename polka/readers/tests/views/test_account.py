"""The reader's own account: login with card number or e-mail, contacts, consents, history,
the record-view log, the export and erasure; everything private."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.test import Client

from polka.consents.models import ConsentRecord
from polka.consents.texts import NOTIFICATIONS, PERSONAL_DATA
from polka.readers.models import Erasure, Reader
from polka.readers.services import reader_password_set, reader_record_open
from polka.readers.tests.conftest import AT, register

pytestmark = pytest.mark.django_db

READER_PASSWORD = "a-long-reader-password"


@pytest.fixture
def reader(branch_a):
    reader = register(branch_a, email="anna@example.org", consents=[PERSONAL_DATA, NOTIFICATIONS])
    reader_password_set(reader=reader, password=READER_PASSWORD)
    return reader


def login(client: Client, username: str, password: str = READER_PASSWORD):
    return client.post("/account/login/", {"username": username, "password": password})


def test_a_reader_logs_in_with_the_card_number(client, reader):
    response = login(client, reader.card_number)
    assert response["Location"] == "/account/"
    page = client.get("/account/")
    assert page.status_code == 200
    assert reader.card_number in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_a_reader_logs_in_with_the_email_in_any_case(client, reader):
    assert login(client, "ANNA@example.org")["Location"] == "/account/"


def test_a_wrong_password_does_not_log_in(client, reader):
    assert login(client, reader.card_number, "wrong-password").status_code == 200
    assert client.get("/account/")["Location"].startswith("/account/login/")


def test_the_account_needs_a_reader_login(client, desk_a):
    client.force_login(desk_a)
    assert client.get("/account/")["Location"].startswith("/account/login/")


def test_a_first_password_is_set_through_a_link_sent_by_email(client, branch_a):
    reader = register(branch_a, email="new@example.org")
    client.post("/account/password/", {"email": "new@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/account/password/\S+/)", mail.outbox[0].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    url = form.redirect_chain[-1][0] if form.redirect_chain else link.group(1)
    client.post(
        url, {"new_password1": "Another-long-pass-1", "new_password2": "Another-long-pass-1"}
    )
    assert login(client, reader.card_number, "Another-long-pass-1")["Location"] == "/account/"


def test_the_reader_edits_their_contacts_and_a_taken_email_is_refused(client, reader, branch_a):
    register(branch_a, last_name="Петров", first_name="Пётр", email="petr@example.org")
    login(client, reader.card_number)
    client.post(
        "/account/contacts/", {"email": "anna@example.org", "phone": "+7 1", "address": "Дом"}
    )
    reader.refresh_from_db()
    assert (reader.phone, reader.address) == ("+7 1", "Дом")
    refused = client.post("/account/contacts/", {"email": "petr@example.org", "phone": "+7 2"})
    assert refused.status_code == 400
    assert "уже указан у другого читателя" in refused.content.decode()
    reader.refresh_from_db()
    assert reader.email == "anna@example.org"


def test_the_reader_withdraws_a_consent(client, reader):
    login(client, reader.card_number)
    record = ConsentRecord.objects.get(purpose=NOTIFICATIONS)
    client.post(f"/account/consents/{record.pk}/withdraw/")
    record.refresh_from_db()
    assert record.withdrawn_at is not None


def test_the_reader_cannot_withdraw_someone_elses_consent(client, reader, branch_a):
    other = register(
        branch_a, last_name="Петров", first_name="Пётр", consents=[PERSONAL_DATA, NOTIFICATIONS]
    )
    theirs = ConsentRecord.objects.get(reader_link__reader=other, purpose=NOTIFICATIONS)
    login(client, reader.card_number)
    client.post(f"/account/consents/{theirs.pk}/withdraw/")
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None


def test_the_reader_chooses_to_keep_a_reading_history(client, reader):
    login(client, reader.card_number)
    client.post("/account/history/", {"keep_history": "on"})
    reader.refresh_from_db()
    assert reader.keep_history


def test_the_reader_sees_who_opened_their_record(client, reader, desk_a):
    reader_record_open(reader_id=reader.pk, by=desk_a, at=AT)
    login(client, reader.card_number)
    assert "desk-a" in client.get("/account/").content.decode()


def test_the_reader_downloads_everything_held_about_them(client, reader):
    login(client, reader.card_number)
    response = client.get("/account/data.json")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["sections"]["reader"][0]["email"] == "anna@example.org"
    assert {c["purpose"] for c in data["sections"]["consents"]} == {PERSONAL_DATA, NOTIFICATIONS}
    page = client.get("/account/data/")
    assert "anna@example.org" in page.content.decode()


def test_the_reader_erases_their_data(client, reader):
    login(client, reader.card_number)
    assert client.get("/account/erase/").status_code == 200
    response = client.post("/account/erase/")
    assert response["Location"] == "/"
    assert not Reader.objects.exists()
    assert Erasure.objects.get().on_request
    assert client.get("/account/")["Location"].startswith("/account/login/")


def test_no_personal_data_in_account_urls(reader):
    from django.urls import reverse

    urls = [
        reverse(n) for n in ("readers:account", "readers:account-data-json", "readers:account-data")
    ]
    assert not any(reader.card_number in u or "anna" in u for u in urls)
