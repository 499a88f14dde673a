"""Every record read from a damaged file, repaired, can be written by every exporter: MARCXML
valid against its schema, ISO 2709 that reads back with no repair (ours and strict pymarc),
MARC-in-JSON that reads back with no repair (issue 15, defect 3)."""

from __future__ import annotations

import io
import json
from functools import cache

import pymarc
import pytest
from lxml import etree

from polka.interop.marc import (
    read_any,
    read_iso2709,
    read_marcjson,
    read_marcxml,
    records_to_marcjson,
    records_to_marcxml,
    write_iso2709,
)
from polka.interop.marc.normalise import LOCAL_TAG
from polka.interop.marc.record import Field, MarcRecord, ParsedRecord, Subfield
from polka.interop.tests.marc.files import data_dir, data_file
from polka.interop.tests.marc.fuzz import damaged_corpus

SCHEMAS = data_dir().parent.parent / "schemas"


@cache
def schema(flavour: str) -> etree.XMLSchema:
    name = "MARC21slim.xsd" if flavour == "marc21" else "UNISlim.xsd"
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def assert_exports_valid(parsed: ParsedRecord) -> None:
    record = parsed.record
    assert record is not None
    xsd = schema(parsed.flavour)
    document = records_to_marcxml([record], parsed.flavour)
    assert xsd.validate(etree.fromstring(document)), xsd.error_log.last_error
    (again,) = read_marcxml(document, flavour=parsed.flavour)
    assert again.repairs == []
    iso = write_iso2709(record, flavour=parsed.flavour)
    (back,) = read_iso2709(iso, flavour=parsed.flavour, encoding="utf-8")
    assert back.repairs == []
    (strict,) = pymarc.MARCReader(iso, to_unicode=True, force_utf8=True)
    assert strict is not None and len(strict.fields) == len(record.fields)
    (as_json,) = read_marcjson(records_to_marcjson([record]), flavour=parsed.flavour)
    assert as_json.repairs == []


@pytest.mark.parametrize("damaged", damaged_corpus(), ids=lambda d: d.name)
def test_every_record_of_a_damaged_file_exports_valid_in_all_three_formats(damaged) -> None:
    parsed = list(read_any(io.BytesIO(damaged.data)))
    assert parsed, "a damaged file reads as at least one record or one reported error"
    for one in parsed:
        assert (one.record is None) == bool(one.error)
        if one.record is not None:
            assert_exports_valid(one)


def test_an_unrecoverable_tag_goes_to_the_local_field_with_the_tag_kept_and_reported() -> None:
    (parsed,) = read_any(data_file("pymarc/bad_indicator.dat"))
    assert parsed.record is not None
    (local,) = parsed.record.get_fields(LOCAL_TAG)
    assert local.subfields[0] == Subfield("9", "0 2")
    assert any("'0 2'" in r and LOCAL_TAG in r for r in parsed.repairs)
    assert_exports_valid(parsed)


def test_a_zeroed_directory_keeps_the_fields_under_the_local_tag() -> None:
    data = bytearray(data_file("pymarc/one.dat").read_bytes())
    base = int(data[12:17])
    data[24 : base - 1] = b"\x00" * (base - 25)
    (parsed,) = read_any(io.BytesIO(bytes(data)))
    assert parsed.record is not None
    assert {f.tag for f in parsed.record.fields} == {LOCAL_TAG}
    assert parsed.record.fields[0].first("9") == "\\x00\\x00\\x00"
    assert_exports_valid(parsed)


def test_a_sound_record_is_left_as_it_came() -> None:
    record = MarcRecord(
        "00000nam a2200000 a 4500",
        [Field("001", data="x1"), Field("245", "1#", [Subfield("a", "Война и мир")])],
    )
    (parsed,) = read_iso2709(write_iso2709(record), encoding="utf-8")
    assert parsed.repairs == []
    assert [f.tag for f in parsed.record.fields] == ["001", "245"]  # type: ignore[union-attr]


def test_control_fields_with_data_tags_and_control_characters_are_made_writable() -> None:
    document = json.dumps(
        {
            "leader": "00000nam a2200000 a 4500",
            "fields": [
                {"001": "x\u0002y"},
                {"245": "not a control tag"},
                {"005": {"ind1": " ", "ind2": " ", "subfields": [{"a": "x"}]}},
                {"500": {"ind1": "\u00e9", "ind2": " ", "subfields": [{"a": "a\u0001b\u001ec"}]}},
            ],
        }
    ).encode()
    (parsed,) = read_marcjson(document)
    assert parsed.record is not None
    assert [f.tag for f in parsed.record.fields] == ["001", LOCAL_TAG, LOCAL_TAG, "500"]
    assert parsed.record.control("001") == "xy"
    assert parsed.record.values("500", "a") == ["abc"]
    assert parsed.record.fields[3].indicators == "  "
    assert_exports_valid(parsed)
