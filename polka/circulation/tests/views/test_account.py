import pytest
from django.utils import timezone

from polka.circulation import services
from polka.circulation.models import Hold, HoldState, Loan
from polka.circulation.tests.conftest import AT, make_item, make_record
from polka.readers.services import reader_account_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: AT)


@pytest.fixture
def logged_in(client, reader):
    client.force_login(reader_account_ensure(reader=reader))
    return client


def test_the_record_page_reserve_button_is_live(client, record):
    page = client.get(f"/catalog/records/{record.pk}/").content.decode()
    assert f"/circulation/reserve/?record={record.pk}" in page


def test_reserving_asks_an_anonymous_visitor_to_log_in_and_comes_back(client, record):
    response = client.get(f"/circulation/reserve/?record={record.pk}")
    assert (
        response.status_code == 302
        and "next=%2Fcirculation%2Freserve%2F%3Frecord%3D" in (response["Location"])
    )


def test_a_reader_reserves_and_sees_their_place_in_the_queue(logged_in, reader, item, branch_a):
    response = logged_in.post(
        "/circulation/reserve/", {"record": item.record.pk, "pickup": branch_a.code}
    )
    assert response.status_code == 302
    hold = Hold.objects.get(reader=reader)
    page = logged_in.get("/account/loans/").content.decode()
    assert "Война и мир" in page and "вы 1-й в очереди" in page
    logged_in.post(f"/account/holds/{hold.pk}/", {"action": "suspend", "until": "2026-12-01"})
    assert str(Hold.objects.get().suspended_until) == "2026-12-01"
    logged_in.post(f"/account/holds/{hold.pk}/", {"action": "cancel"})
    assert Hold.objects.get().state == HoldState.CANCELLED


def test_a_refused_hold_explains_why(logged_in, branch_a):
    record = make_record("Без экземпляров")
    response = logged_in.post(
        "/circulation/reserve/", {"record": record.pk, "pickup": branch_a.code}
    )
    assert response.status_code == 400
    assert "Экземпляров этого издания в библиотеках сети нет" in response.content.decode()


def test_a_reader_renews_from_the_account(logged_in, reader, item, branch_a, desk_a):
    lent = services.loan_checkout(
        barcode=item.barcode, reader=reader, branch=branch_a, by=desk_a, at=AT
    )
    logged_in.post(f"/account/loans/{lent.loan.pk}/renew/")
    assert Loan.objects.get().renewals == 1


def test_another_readers_hold_is_not_reachable(logged_in, other_reader, branch_a):
    record = make_record()
    make_item(record, branch_a)
    hold = services.hold_place(reader=other_reader, record=record, pickup_branch=branch_a, at=AT)
    assert logged_in.post(f"/account/holds/{hold.pk}/", {"action": "cancel"}).status_code == 404


def test_a_reader_reserves_one_named_copy_and_only_it_is_trapped(
    logged_in, reader, branch_a, desk_a, other_reader
):
    record = make_record("Собрание сочинений")
    volume_1, volume_2 = make_item(record, branch_a), make_item(record, branch_a)
    for copy in (volume_1, volume_2):
        services.loan_checkout(
            barcode=copy.barcode, reader=other_reader, branch=branch_a, by=desk_a, at=AT
        )
    page = logged_in.get(f"/circulation/reserve/?record={record.pk}").content.decode()
    assert f'value="{volume_2.pk}"' in page and "любой" in page
    response = logged_in.post(
        "/circulation/reserve/",
        {"record": record.pk, "pickup": branch_a.code, "item": volume_2.pk},
    )
    assert response.status_code == 302
    hold = Hold.objects.get(reader=reader)
    assert hold.specific and hold.item == volume_2
    services.loan_checkin(barcode=volume_1.barcode, branch=branch_a, by=desk_a, at=AT)
    assert Hold.objects.get(pk=hold.pk).state == HoldState.WAITING
    services.loan_checkin(barcode=volume_2.barcode, branch=branch_a, by=desk_a, at=AT)
    assert Hold.objects.get(pk=hold.pk).state == HoldState.READY


def test_a_copy_not_of_this_record_cannot_be_reserved(logged_in, reader, item, branch_a):
    stranger = make_item(make_record("Другое"), branch_a)
    response = logged_in.post(
        "/circulation/reserve/",
        {"record": item.record.pk, "pickup": branch_a.code, "item": stranger.pk},
    )
    assert response.status_code == 400 and not Hold.objects.exists()
