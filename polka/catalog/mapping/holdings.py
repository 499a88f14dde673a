"""Copies (items) from the holdings fields in common use: MARC21 852, Koha 952, RUSMARC 899,
IRBIS 910 (and Koha-UNIMARC 995).

Each field becomes one MappedItem; parts a field does not carry stay blank and the catalogue
services fill them from the import options (e.g. the default branch).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from polka.catalog.mapping._common import FieldIndex, first_of, first_value
from polka.catalog.mapping.result import MappedItem
from polka.interop.marc.record import Field

_PRICE = re.compile(r"\d+(?:[.,]\d{1,2})?")
_ISO_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_INVENTORY = re.compile(r"^[\w./\\-]{1,30}$")

# IRBIS 910^a exemplar status codes → polka.catalog.models.ItemStatus values.
IRBIS_STATUS = {
    "0": "available",
    "1": "on_loan",
    "2": "processing",  # not yet received
    "3": "processing",  # at the bindery
    "4": "lost",
    "5": "reference",  # temporarily not lent
    "6": "withdrawn",
    "8": "in_transit",
    "9": "on_hold",  # on the reserve shelf
}


def parse_price(text: str) -> Decimal | None:
    match = _PRICE.search(text.replace(" ", ""))
    if match is None:
        return None
    try:
        return Decimal(match.group().replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only admits numbers
        return None


def parse_date(text: str) -> dt.date | None:
    """A date written as YYYY-MM-DD (Koha) or YYYYMMDD (IRBIS); None when it is not one."""
    match = _ISO_DATE.search(text)
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _shelf_mark(fld: Field) -> str:
    """852/899: the whole call number ($j) or its parts (prefix, classification, item, suffix)."""
    whole = first_value(fld, "j")
    if whole:
        return whole.strip()
    parts = [sf.value.strip() for sf in fld.subfields if sf.code in "khim" and sf.value.strip()]
    return " ".join(parts)


def _notes(fld: Field, codes: str) -> str:
    return "; ".join(sf.value.strip() for sf in fld.subfields if sf.code in codes and sf.value)


def item_from_852(fld: Field) -> MappedItem:
    sublocation = first_value(fld, "b").strip()
    return MappedItem(
        barcode=first_value(fld, "p").strip(),
        branch_code=sublocation or first_value(fld, "a").strip(),
        location=first_value(fld, "c").strip(),
        shelf_mark=_shelf_mark(fld),
        note=_notes(fld, "xz"),
    )


def _koha_status(fld: Field) -> str:
    def flagged(code: str) -> bool:
        value = first_value(fld, code).strip()
        return bool(value) and value != "0"

    if flagged("0"):
        return "withdrawn"
    if flagged("1"):
        return "lost"
    if first_value(fld, "q").strip():  # date due: the copy is out (its loan comes back first)
        return "on_loan"
    if flagged("4"):  # damaged: out of circulation until repaired
        return "damaged"
    not_for_loan = first_value(fld, "7").strip()
    if not_for_loan.startswith("-"):  # Koha: negative values are "ordered"/"in processing"
        return "processing"
    if not_for_loan and not_for_loan != "0":
        return "reference"
    return ""


def item_from_952(fld: Field) -> MappedItem:
    """Koha MARC21 items: $a home branch, $b holding branch, $c location, $o call number,
    $p barcode, $i inventory number, $y item type, $g price ($v replacement), $d accessioned;
    status from $0 withdrawn, $1 lost, $q due date, $4 damaged, $7 not for loan."""
    price = first_value(fld, "g") or first_value(fld, "v")
    return MappedItem(
        barcode=first_value(fld, "p").strip(),
        inventory_number=first_value(fld, "i").strip(),
        branch_code=(first_value(fld, "a") or first_value(fld, "b")).strip(),
        location=first_value(fld, "c").strip(),
        shelf_mark=first_value(fld, "o").strip(),
        item_type=first_value(fld, "y").strip(),
        status=_koha_status(fld),
        price=parse_price(price) if price else None,
        acquired_on=parse_date(first_value(fld, "d")),
        note=_notes(fld, "xz"),
    )


def item_from_995(fld: Field) -> MappedItem:
    """Koha UNIMARC items: $b home branch, $c holding branch, $f barcode, $k call number,
    $r item type, $e location, $p price, $5 accessioned."""
    price = first_value(fld, "p")
    return MappedItem(
        barcode=first_value(fld, "f").strip(),
        branch_code=(first_value(fld, "b") or first_value(fld, "c")).strip(),
        location=first_value(fld, "e").strip(),
        shelf_mark=first_value(fld, "k").strip(),
        item_type=first_value(fld, "r").strip(),
        price=parse_price(price) if price else None,
        acquired_on=parse_date(first_value(fld, "5")),
        note=_notes(fld, "u"),
    )


def item_from_899(fld: Field) -> MappedItem:
    """RUSMARC 899: $a location, $b collection, $c shelving, $j (or $k $h $i $m) shelf mark,
    $p unit designation (barcode), $x non-public note — which IRBIS exports use for the
    inventory number when it looks like one."""
    nonpublic = first_value(fld, "x").strip()
    is_inventory = bool(nonpublic) and _INVENTORY.match(nonpublic) is not None
    is_inventory = is_inventory and any(ch.isdigit() for ch in nonpublic)
    location = " ".join(
        sf.value.strip() for sf in fld.subfields if sf.code in "bc" and sf.value.strip()
    )
    notes = [first_value(fld, "z").strip()]
    if nonpublic and not is_inventory:
        notes.append(nonpublic)
    return MappedItem(
        barcode=first_value(fld, "p").strip(),
        inventory_number=nonpublic if is_inventory else "",
        branch_code=first_value(fld, "a").strip(),
        location=location,
        shelf_mark=_shelf_mark(fld),
        note="; ".join(n for n in notes if n),
    )


def item_from_910(fld: Field, record_shelf_mark: str = "") -> MappedItem:
    """IRBIS 910: $a status, $b inventory number, $c date received, $d location, $e price,
    $h barcode, $q collection, $r shelving index (the record's 903 call number otherwise)."""
    price = first_value(fld, "e")
    return MappedItem(
        barcode=first_value(fld, "h").strip(),
        inventory_number=first_value(fld, "b").strip(),
        branch_code=first_value(fld, "d").strip(),
        location=first_value(fld, "q").strip(),
        shelf_mark=first_value(fld, "r").strip() or record_shelf_mark,
        status=IRBIS_STATUS.get(first_value(fld, "a").strip(), ""),
        price=parse_price(price) if price else None,
        acquired_on=parse_date(first_value(fld, "c")),
    )


def _identifiable(item: MappedItem) -> bool:
    """A holdings field that names neither a copy nor a place (e.g. SBN's 899 $1/$2 codes)
    is no copy this library can shelve."""
    return bool(item.barcode or item.inventory_number or item.branch_code or item.shelf_mark)


def marc21_items(index: FieldIndex) -> list[MappedItem]:
    items = [item_from_852(f) for f in index.get("852", ())]
    items.extend(item_from_952(f) for f in index.get("952", ()))
    return [item for item in items if _identifiable(item)]


def rusmarc_items(index: FieldIndex) -> list[MappedItem]:
    items = [item_from_899(f) for f in index.get("899", ())]
    fields_910 = index.get("910", ())
    if fields_910:
        call_number = first_value(first_of(index, "903"), "a").strip()
        items.extend(item_from_910(f, call_number) for f in fields_910)
    items.extend(item_from_995(f) for f in index.get("995", ()))
    return [item for item in items if _identifiable(item)]
