from __future__ import annotations

from decimal import Decimal

import pytest

from polka.catalog import services
from polka.catalog.errors import BarcodeRequired, BarcodeTaken, ItemAlreadyWithdrawn, ItemOnLoan
from polka.catalog.models import Item, ItemEvent, ItemStatus
from polka.catalog.tests.standins import marc

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(at):
    return services.record_create(marc=marc("A"), flavour="marc21", at=at)


def test_an_added_copy_is_on_the_shelf_of_its_branch(record, central, at):
    item = services.item_add(
        record=record, branch=central, barcode=" 100 ", by=None, at=at, price=Decimal("150.5")
    )
    item.refresh_from_db()
    assert (item.barcode, item.branch, item.status) == ("100", central, ItemStatus.AVAILABLE)
    assert item.price == Decimal("150.50")
    assert item.events.get().action == ItemEvent.Action.ADDED


def test_a_barcode_cannot_be_given_twice(record, central, at):
    services.item_add(record=record, branch=central, barcode="100", by=None, at=at)
    with pytest.raises(BarcodeTaken):
        services.item_add(record=record, branch=central, barcode="100", by=None, at=at)


def test_a_copy_needs_a_barcode(record, central, at):
    with pytest.raises(BarcodeRequired):
        services.item_add(record=record, branch=central, barcode="  ", by=None, at=at)


def test_moving_a_copy_changes_its_branch_and_records_from_where(record, central, branch2, at):
    item = services.item_add(record=record, branch=central, barcode="100", by=None, at=at)
    services.item_move(item=item, branch=branch2, by=None, at=at)
    item.refresh_from_db()
    assert item.branch == branch2
    moved = item.events.get(action=ItemEvent.Action.MOVED)
    assert (moved.from_branch, moved.to_branch) == (central, branch2)


def test_a_withdrawn_copy_keeps_its_reason_and_cannot_be_withdrawn_again(record, central, at):
    item = services.item_add(record=record, branch=central, barcode="100", by=None, at=at)
    services.item_withdraw(item=item, by=None, at=at, reason="ветхость")
    item.refresh_from_db()
    assert (item.status, item.withdrawal_reason, item.withdrawn_at) == (
        ItemStatus.WITHDRAWN,
        "ветхость",
        at,
    )
    with pytest.raises(ItemAlreadyWithdrawn):
        services.item_withdraw(item=item, by=None, at=at)
    with pytest.raises(ItemAlreadyWithdrawn):
        services.item_move(item=item, branch=central, by=None, at=at)


def test_a_copy_on_loan_cannot_be_withdrawn(record, central, at):
    item = services.item_add(record=record, branch=central, barcode="100", by=None, at=at)
    Item.objects.filter(pk=item.pk).update(status=ItemStatus.ON_LOAN)
    with pytest.raises(ItemOnLoan):
        services.item_withdraw(item=item, by=None, at=at)


def test_a_desk_librarian_cannot_withdraw_but_a_cataloguer_of_the_branch_can(
    record, central, branch2, at
):
    from polka.org import services as org_services
    from polka.org.errors import NotPermitted

    item = services.item_add(record=record, branch=central, barcode="100", by=None, at=at)
    desk, _ = org_services.staff_user_create(
        username="desk", roles={"desk": [central]}, password="x-Long-pass-123", at=at
    )
    elsewhere, _ = org_services.staff_user_create(
        username="cat2", roles={"cataloguer": [branch2]}, password="x-Long-pass-123", at=at
    )
    here, _ = org_services.staff_user_create(
        username="cat1", roles={"cataloguer": [central]}, password="x-Long-pass-123", at=at
    )
    for user in (desk, elsewhere):
        with pytest.raises(NotPermitted):
            services.item_withdraw(item=item, by=user, at=at)
    services.item_withdraw(item=item, by=here, at=at)
    assert item.events.get(action=ItemEvent.Action.WITHDRAWN).user == here
