"""Damaged copies: out of circulation until repaired; a hold they were set aside for waits
again; search shows them away at once."""

import pytest

from polka.catalog.models import Item, ItemStatus
from polka.circulation import services
from polka.circulation.errors import ItemDamaged, ItemNotLendable
from polka.circulation.models import Event, Fact, Hold, HoldState, Loan, LoanState
from polka.circulation.tests.conftest import AT, make_item

pytestmark = pytest.mark.django_db


def lend(item, reader, branch, by):
    return services.loan_checkout(barcode=item.barcode, reader=reader, branch=branch, by=by, at=AT)


def damage(item, branch, by, **kwargs):
    return services.item_damage(barcode=item.barcode, branch=branch, by=by, at=AT, **kwargs)


def test_a_copy_returned_damaged_closes_its_loan_and_cannot_be_lent(
    item, reader, other_reader, branch_a, desk_a
):
    lent = lend(item, reader, branch_a, desk_a)
    done = damage(item, branch_a, desk_a, note="залит водой")
    assert done.loan == lent.loan
    assert Loan.objects.get(pk=lent.loan.pk).state == LoanState.RETURNED
    assert Item.objects.get(pk=item.pk).status == ItemStatus.DAMAGED
    assert Fact.objects.filter(kind="return").count() == 1
    assert Event.objects.get(action="damage").note == "залит водой"
    with pytest.raises(ItemNotLendable):
        lend(item, other_reader, branch_a, desk_a)
    with pytest.raises(ItemDamaged):
        services.loan_checkin(barcode=item.barcode, branch=branch_a, by=desk_a, at=AT)
    assert Item.objects.get(pk=item.pk).status == ItemStatus.DAMAGED


def test_a_damaged_copy_set_aside_for_a_hold_sends_the_hold_back_to_the_queue(
    item, reader, other_reader, branch_a, desk_a
):
    lend(item, reader, branch_a, desk_a)
    hold = services.hold_place(
        reader=other_reader, record=item.record, pickup_branch=branch_a, at=AT
    )
    services.loan_checkin(barcode=item.barcode, branch=branch_a, by=desk_a, at=AT)
    assert Hold.objects.get(pk=hold.pk).state == HoldState.READY
    done = damage(item, branch_a, desk_a)
    waiting = Hold.objects.get(pk=hold.pk)
    assert done.hold == waiting and waiting.state == HoldState.WAITING and waiting.item is None
    back = services.item_repair(barcode=item.barcode, branch=branch_a, by=desk_a, at=AT)
    assert back.hold == waiting and Hold.objects.get(pk=hold.pk).state == HoldState.READY


def test_a_repaired_copy_goes_back_on_the_shelf_and_search_sees_it(
    item, branch_a, desk_a, monkeypatch
):
    reindexed: list[list[int]] = []
    monkeypatch.setattr(services, "index_records", lambda ids: reindexed.append(list(ids)))
    damage(item, branch_a, desk_a)
    assert reindexed == [[item.record_id]]  # its only copy left the shelf
    services.item_repair(barcode=item.barcode, branch=branch_a, by=desk_a, at=AT)
    assert Item.objects.get(pk=item.pk).status == ItemStatus.AVAILABLE
    assert reindexed == [[item.record_id], [item.record_id]]


def test_a_withdrawn_copy_cannot_be_marked_damaged(record, branch_a, desk_a):
    gone = make_item(record, branch_a, status=ItemStatus.WITHDRAWN)
    with pytest.raises(ItemNotLendable):
        damage(gone, branch_a, desk_a)
    assert not Event.objects.filter(action="damage").exists()
