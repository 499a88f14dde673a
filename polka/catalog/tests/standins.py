"""Small stand-ins for the MARC codecs and mappings, used only while those are not on main.

They are installed over polka.catalog.marcio by the `marc_codecs` fixture when the real modules
cannot be imported; once the codecs land, the fixture installs nothing and tests use them.
"""

from __future__ import annotations

import json
from decimal import Decimal

from polka.catalog.mapping import MappedAuthor, MappedItem, MappedRecord
from polka.interop.marc.record import Field, MarcRecord, ParsedRecord, Subfield


def standin_serialise(record: MarcRecord, *, encoding: str = "utf-8") -> bytes:
    fields = [
        [f.tag, f.indicators, f.data, [[s.code, s.value] for s in f.subfields]]
        for f in record.fields
    ]
    return json.dumps([record.leader, fields], ensure_ascii=False).encode("utf-8")


def standin_parse(source: bytes, **_: object) -> MarcRecord:
    leader, fields = json.loads(source.decode("utf-8"))
    return MarcRecord(
        leader=leader,
        fields=[
            Field(tag=t, indicators=i, data=d, subfields=[Subfield(c, v) for c, v in s])
            for t, i, d, s in fields
        ],
    )


def standin_read_file(path, **_: object):  # type: ignore[no-untyped-def]
    """Stand-in files hold one serialised record per line."""
    offset = 0
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, start=1):
            raw = line.rstrip(b"\n")
            try:
                record = standin_parse(raw)
                yield ParsedRecord(number, offset, raw, "marc21", "utf-8", record=record)
            except ValueError as exc:
                yield ParsedRecord(number, offset, raw, "marc21", "utf-8", error=str(exc))
            offset += len(line)


def standin_map(record: MarcRecord, flavour: str) -> MappedRecord:
    items = [
        MappedItem(
            barcode=f.first("p") or "",
            branch_code=f.first("b") or "",
            shelf_mark=f.first("h") or "",
            price=Decimal(f.first("9")) if f.first("9") else None,
        )
        for f in record.get_fields("852")
    ]
    return MappedRecord(
        control_number=record.control("001") or "",
        title=(record.values("245", "a") or [""])[0],
        isbns=record.values("020", "a"),
        authors=[MappedAuthor(name=n, role="aut") for n in record.values("100", "a")],
        items=items,
    )


def marc(
    title: str,
    *,
    control: str = "",
    isbn: str = "",
    author: str = "",
    holdings: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> MarcRecord:
    """A small MARC21 record built by hand: holdings are (branch code, barcode) pairs."""
    fields = []
    if control:
        fields.append(Field(tag="001", data=control))
    if isbn:
        fields.append(Field(tag="020", subfields=[Subfield("a", isbn)]))
    if author:
        fields.append(Field(tag="100", indicators="1 ", subfields=[Subfield("a", author)]))
    fields.append(Field(tag="245", indicators="10", subfields=[Subfield("a", title)]))
    for branch, barcode in holdings:
        fields.append(Field(tag="852", subfields=[Subfield("b", branch), Subfield("p", barcode)]))
    return MarcRecord(leader="00000nam a2200000 a 4500", fields=fields)
