"""The reader's app and staff tools in the JSON API: a token from a login, the reader's own
loans and holds, the desk operations through the same services and permissions."""

import datetime as dt

import pytest
from django.utils import timezone

from polka.api.models import ApiToken
from polka.circulation import services
from polka.circulation.models import Hold, Loan, LoanState
from polka.circulation.tests.conftest import AT, PASSWORD, make_item, make_record
from polka.readers.services import reader_password_set

pytestmark = pytest.mark.django_db
READER_PASSWORD = "reader-app-password-42"


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: AT)
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, timezone=None: dt.date(2026, 11, 18)
    )


def login(client, name, password):
    return client.post(
        "/api/v1/tokens", {"login": name, "password": password}, content_type="application/json"
    )


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def reader_token(client, reader):
    reader_password_set(reader=reader, password=READER_PASSWORD)
    response = login(client, reader.card_number, READER_PASSWORD)
    assert response.status_code == 201
    return response.json()["token"]


def test_a_reader_logs_in_by_card_and_sees_own_loans_and_holds(
    client, reader, reader_token, other_reader, branch_a, desk_a
):
    item = make_item(make_record("Отцы и дети"), branch_a)
    services.loan_checkout(barcode=item.barcode, reader=reader, branch=branch_a, by=desk_a, at=AT)
    services.loan_checkout(
        barcode=make_item(make_record("Чужая"), branch_a).barcode, reader=other_reader,
        branch=branch_a, by=desk_a, at=AT,
    )  # fmt: skip
    wanted = make_record("Обломов")
    make_item(wanted, branch_a, status="on_loan")
    services.hold_place(reader=reader, record=wanted, pickup_branch=branch_a, at=AT)
    loans = client.get("/api/v1/me/loans", **bearer(reader_token)).json()
    assert [(loan["title"], loan["barcode"]) for loan in loans] == [("Отцы и дети", item.barcode)]
    holds = client.get("/api/v1/me/holds", **bearer(reader_token)).json()
    assert [(h["title"], h["position"], h["pickup_branch"]) for h in holds] == [
        ("Обломов", 1, branch_a.code)
    ]
    renewed = client.post(f"/api/v1/me/loans/{loans[0]['id']}/renew", **bearer(reader_token))
    assert renewed.status_code == 200 and renewed.json()["renewals"] == 1
    # Another reader's loan is not theirs to renew.
    theirs = Loan.objects.exclude(reader=reader).get()
    assert (
        client.post(f"/api/v1/me/loans/{theirs.pk}/renew", **bearer(reader_token)).status_code
        == 404
    )


def test_only_a_hash_is_stored_and_a_revoked_or_wrong_token_is_refused(
    client, reader, reader_token
):
    assert not ApiToken.objects.filter(key_hash=reader_token).exists()
    assert ApiToken.objects.get().last_used_on is None
    assert client.get("/api/v1/me/loans", **bearer(reader_token)).status_code == 200
    assert ApiToken.objects.get().last_used_on == dt.date(2026, 11, 18)
    assert client.get("/api/v1/me/loans", **bearer(reader_token + "x")).status_code == 401
    assert client.get("/api/v1/me/loans").status_code == 401
    assert client.delete("/api/v1/tokens/current", **bearer(reader_token)).status_code == 204
    assert client.get("/api/v1/me/loans", **bearer(reader_token)).status_code == 401


def test_a_wrong_password_gets_no_token(client, reader):
    reader_password_set(reader=reader, password=READER_PASSWORD)
    assert login(client, reader.card_number, "not-the-password").status_code == 401
    assert not ApiToken.objects.exists()


def test_a_staff_tool_lends_returns_and_renews_with_the_desks_messages(
    client, reader, other_reader, branch_a, desk_a
):
    token = login(client, "desk-a", PASSWORD).json()["token"]
    record = make_record()
    item = make_item(record, branch_a)
    form = {"card": reader.card_number, "barcode": item.barcode, "branch": branch_a.code}
    lent = client.post("/api/v1/desk/checkout", form, content_type="application/json",
                       **bearer(token))  # fmt: skip
    assert lent.status_code == 200 and lent.json()["due_on"] == "2026-12-18"
    again = client.post(
        "/api/v1/desk/checkout", {**form, "card": other_reader.card_number},
        content_type="application/json", **bearer(token),
    )  # fmt: skip
    assert again.status_code == 409 and "выдан" in again.json()["detail"]
    unknown = client.post("/api/v1/desk/checkout", {**form, "barcode": "nope"},
                          content_type="application/json", **bearer(token))  # fmt: skip
    assert unknown.status_code == 404
    renewed = client.post(f"/api/v1/desk/loans/{lent.json()['loan']}/renew", {},
                          content_type="application/json", **bearer(token))  # fmt: skip
    assert renewed.status_code == 200 and renewed.json()["renewals"] == 1
    services.hold_place(reader=other_reader, record=record, pickup_branch=branch_a, at=AT)
    back = client.post("/api/v1/desk/checkin", {"barcode": item.barcode, "branch": branch_a.code},
                       content_type="application/json", **bearer(token))  # fmt: skip
    body = back.json()
    assert back.status_code == 200 and body["hold"] == Hold.objects.get().pk
    assert "полку брони" in body["instruction"]
    assert Loan.objects.get().state == LoanState.RETURNED


def test_a_readers_token_or_another_branchs_desk_cannot_lend(
    client, reader, reader_token, branch_a, branch_b, desk_b
):
    item = make_item(make_record(), branch_a)
    form = {"card": reader.card_number, "barcode": item.barcode, "branch": branch_a.code}
    as_reader = client.post("/api/v1/desk/checkout", form, content_type="application/json",
                            **bearer(reader_token))  # fmt: skip
    assert as_reader.status_code in (403, 404)
    token = login(client, "desk-b", PASSWORD).json()["token"]
    as_b = client.post("/api/v1/desk/checkout", form, content_type="application/json",
                       **bearer(token))  # fmt: skip
    assert as_b.status_code == 403
    assert not Loan.objects.exists()
