import datetime as dt
from decimal import Decimal

from polka.catalog.mapping import MappedItem, map_record
from polka.catalog.tests.mapping.builders import data_field, record


def test_koha_952_gives_a_complete_copy():
    marc = record(
        data_field("245", "a", "Title"),
        data_field(
            "952",
            "a", "CENTRAL", "b", "BRANCH2", "c", "ADULT", "o", "84(2Рос=Рус)6 Т53",
            "p", "000123", "i", "INV-77", "y", "BOOK", "g", "350.50", "d", "2023-04-05",
            "7", "0",
        ),
    )  # fmt: skip
    (item,) = map_record(marc, "marc21").items
    assert item == MappedItem(
        barcode="000123",
        inventory_number="INV-77",
        branch_code="CENTRAL",
        location="ADULT",
        shelf_mark="84(2Рос=Рус)6 Т53",
        item_type="BOOK",
        status="",
        price=Decimal("350.50"),
        acquired_on=dt.date(2023, 4, 5),
    )


def test_koha_statuses_map_to_polka_statuses():
    def status(*pairs):
        marc = record(data_field("952", "a", "C", "p", "1", *pairs))
        return map_record(marc, "marc21").items[0].status

    assert status("0", "1") == "withdrawn"
    assert status("1", "2") == "lost"
    assert status("7", "1") == "reference"
    assert status("7", "-1") == "processing"
    assert status("q", "2024-01-31") == "on_loan"
    assert status("4", "1") == "damaged"
    assert status("4", "1", "7", "1") == "damaged"
    assert status("4", "1", "q", "2024-01-31") == "on_loan"
    assert status("7", "0", "1", "0", "0", "0") == ""


def test_marc21_852_location_and_call_number_parts():
    marc = record(data_field("852", "a", "RU-MoRGB", "b", "FB", "h", "Ш5(2)", "i", "Т53", "p", "7"))
    (item,) = map_record(marc, "marc21").items
    assert (item.branch_code, item.shelf_mark, item.barcode) == ("FB", "Ш5(2) Т53", "7")


def test_rusmarc_899_with_shelf_mark_barcode_and_inventory_number():
    marc = record(
        data_field("200", "a", "Заглавие"),
        data_field("899", "a", "ЦБ", "b", "АБ", "j", "84(2)6 П27", "p", "0001234", "x", "45871"),
    )
    (item,) = map_record(marc, "rusmarc").items
    assert (item.branch_code, item.location, item.shelf_mark) == ("ЦБ", "АБ", "84(2)6 П27")
    assert (item.barcode, item.inventory_number, item.note) == ("0001234", "45871", "")


def test_rusmarc_899_non_public_note_that_is_no_number_stays_a_note():
    marc = record(data_field("899", "a", "ЦБ", "x", "Дар автора, с автографом"))
    (item,) = map_record(marc, "rusmarc").items
    assert (item.inventory_number, item.note) == ("", "Дар автора, с автографом")


def test_irbis_910_copies_with_status_price_and_date():
    marc = record(
        data_field("200", "a", "Заглавие"),
        data_field("903", "a", "84(2Рос=Рус)6/Т53"),
        data_field("910", "a", "0", "b", "12345", "c", "20190315", "d", "АБ", "e", "250,00",
                   "h", "4600000000017"),
        data_field("910", "a", "1", "b", "12346", "d", "ЧЗ", "r", "Т53-2"),
        data_field("910", "a", "6", "b", "12347", "c", "2019031"),
    )  # fmt: skip
    first, second, third = map_record(marc, "rusmarc").items
    assert first == MappedItem(
        barcode="4600000000017",
        inventory_number="12345",
        branch_code="АБ",
        shelf_mark="84(2Рос=Рус)6/Т53",
        status="available",
        price=Decimal("250.00"),
        acquired_on=dt.date(2019, 3, 15),
    )
    assert (second.status, second.branch_code, second.shelf_mark) == ("on_loan", "ЧЗ", "Т53-2")
    assert (third.status, third.acquired_on) == ("withdrawn", None)


def test_holdings_field_naming_no_copy_gives_no_item():
    marc = record(data_field("899", "1", "AL0073", "2", "TO0 Q9"), data_field("952", "7", "0"))
    assert map_record(marc, "rusmarc").items == []
    assert map_record(marc, "marc21").items == []
