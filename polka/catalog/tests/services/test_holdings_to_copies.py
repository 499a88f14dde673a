"""Copies made from the holdings fields real records carry, through the real mappings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from polka.catalog import selectors, services
from polka.catalog.models import ItemEvent, ItemStatus, RevisionAction
from polka.interop.marc.record import Field, MarcRecord, Subfield

pytestmark = pytest.mark.django_db


def rusmarc_with_irbis_910(*copies: tuple[str, str, str, str]) -> MarcRecord:
    """RUSMARC record; copies are (status code, inventory number, branch code, barcode)."""
    fields = [
        Field(tag="001", data="RU\\NLR\\1"),
        Field(tag="200", indicators="1 ", subfields=[Subfield("a", "Евгений Онегин")]),
    ]
    for status, inventory, branch, barcode in copies:
        fields.append(
            Field(
                tag="910",
                subfields=[
                    Subfield("a", status),
                    Subfield("b", inventory),
                    Subfield("d", branch),
                    Subfield("h", barcode),
                    Subfield("e", "250.00"),
                ],
            )
        )
    return MarcRecord(leader="00000nam0 2200000   450 ", fields=fields)


def marc21_with_koha_952(branch: str, barcode: str) -> MarcRecord:
    return MarcRecord(
        leader="00000nam a2200000 a 4500",
        fields=[
            Field(tag="245", indicators="10", subfields=[Subfield("a", "Dune")]),
            Field(
                tag="952",
                subfields=[
                    Subfield("a", branch),
                    Subfield("p", barcode),
                    Subfield("o", "821.111 H53"),
                ],
            ),
        ],
    )


def test_irbis_910_copies_land_on_their_branches_with_status_and_price(at, central, branch2):
    record = services.record_create(
        marc=rusmarc_with_irbis_910(("0", "INV-1", "central", "B1"), ("6", "INV-2", "F2", "B2")),
        flavour="rusmarc",
        at=at,
    )
    copies = {i.barcode: i for i in record.items.select_related("branch")}
    assert (copies["B1"].branch, copies["B1"].status) == (central, ItemStatus.AVAILABLE)
    assert (copies["B2"].branch, copies["B2"].status) == (branch2, ItemStatus.WITHDRAWN)
    assert copies["B1"].inventory_number == "INV-1"
    assert copies["B1"].price == Decimal("250.00")


def test_koha_952_copy_lands_on_its_home_branch(at, central, branch2):
    record = services.record_create(marc=marc21_with_koha_952("f2", "K-1"), flavour="marc21", at=at)
    item = record.items.get()
    assert (item.branch, item.barcode, item.shelf_mark) == (branch2, "K-1", "821.111 H53")


def test_history_lists_record_revisions_and_copy_events_newest_first(at, central, branch2):
    record = services.record_create(
        marc=marc21_with_koha_952("central", "K-1"), flavour="marc21", at=at
    )
    services.record_update(
        record=record,
        marc=marc21_with_koha_952("central", "K-1"),
        by=None,
        at=at.replace(hour=11),
        summary="fix",
    )
    item = record.items.get()
    services.item_move(item=item, branch=branch2, by=None, at=at.replace(hour=12))
    services.item_withdraw(item=item, by=None, at=at.replace(hour=13), reason="lost")
    assert [r.action for r in selectors.record_history(record=record)] == [
        RevisionAction.UPDATED,
        RevisionAction.CREATED,
    ]
    assert [e.action for e in selectors.item_history(item=item)] == [
        ItemEvent.Action.WITHDRAWN,
        ItemEvent.Action.MOVED,
    ]
