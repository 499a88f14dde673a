import datetime as dt

import pytest

from polka.catalog.models import ItemStatus
from polka.circulation import services
from polka.circulation.tests.conftest import AT, make_item, make_reader, make_record

pytestmark = pytest.mark.django_db


def test_availability_per_branch_without_login(client, branch_a, branch_b, desk_a):
    record = make_record()
    lent = make_item(record, branch_a)
    make_item(record, branch_a)
    make_item(record, branch_b, status=ItemStatus.WITHDRAWN)
    make_item(record, branch_b, status=ItemStatus.PROCESSING)
    reader = make_reader(branch_a)
    services.loan_checkout(barcode=lent.barcode, reader=reader, branch=branch_a, by=desk_a, at=AT)
    services.hold_place(reader=make_reader(branch_a), record=record, pickup_branch=branch_b, at=AT)
    response = client.get(f"/api/v1/records/{record.pk}/availability")
    assert response.status_code == 200
    body = response.json()
    assert body["available"] is True and body["holds_waiting"] == 1
    by_code = {b["branch"]: b for b in body["branches"]}
    assert by_code["a"]["on_shelf"] == 1 and by_code["a"]["on_loan"] == 1
    assert by_code["a"]["next_due"] == (AT.date() + dt.timedelta(days=30)).isoformat()
    assert by_code["b"] == {
        "branch": "b", "name": "Библиотека-филиал № 2", "on_shelf": 0, "on_loan": 0,
        "next_due": None, "elsewhere": 1,
    }  # fmt: skip


def test_an_unknown_record_is_404(client, db):
    assert client.get("/api/v1/records/999999/availability").status_code == 404
    assert (
        "/api/v1/records/{record_id}/availability"
        in client.get("/api/openapi.json").json()["paths"]
    )
