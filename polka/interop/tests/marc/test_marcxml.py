"""MARCXML: reading the real files (plain, gzipped, rootless) and writing schema-valid XML."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from polka.interop.marc import read_any, read_iso2709, read_marcxml, records_to_marcxml
from polka.interop.marc.marcxml import _NOT_XML as NOT_XML
from polka.interop.marc.record import Field, MarcRecord, Subfield
from polka.interop.tests.marc.files import (
    data_dir,
    data_file,
    file_id,
    marc_files,
    parsed_file,
    read_bytes,
)

SCHEMAS = data_dir().parent.parent / "schemas"


@cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def assert_valid(document: bytes, name: str) -> None:
    xsd = schema(name)
    assert xsd.validate(etree.fromstring(document)), xsd.error_log.last_error


def test_a_rootless_sequence_of_records_is_read_whole() -> None:
    parsed = list(read_any(data_file("evergreen/serials_marc21.xml")))
    assert len(parsed) == 7
    assert all(p.record is not None for p in parsed)
    assert parsed[0].record.control("001") == "21061"  # type: ignore[union-attr]


def test_gzipped_marcxml_is_read() -> None:
    parsed = list(read_any(data_file("qa-catalogue/translation/thomas-mann.xml.gz")))
    assert len(parsed) == 352
    assert [p.number for p in parsed] == list(range(1, 353))


def test_damaged_marcxml_is_repaired_and_reported() -> None:
    (parsed,) = read_any(data_file("pymarc/bad_tag.xml"))
    assert parsed.record is not None
    assert len(parsed.record.leader) == 24
    assert {r.split(":")[0] for r in parsed.repairs} == {"leader", "tag"}
    assert parsed.record.values("042", "a") == ["dc"]


def test_unimarc_slim_and_marcxchange_are_read_as_rusmarc() -> None:
    florence = (
        '<collection xmlns="http://www.bncf.firenze.sbn.it/unimarc/slim"><rec>'
        "<lab>00000nam0 2200000   450 </lab><cf t='001'>x1</cf>"
        '<df t="200" i1="1" i2=" "><sf c="a">Война и мир</sf></df></rec></collection>'
    ).encode()
    xchange = (
        '<collection xmlns="info:lc/xmlns/marcxchange-v1"><record format="RUSMARC">'
        "<leader>00000nam0 2200000   450 </leader>"
        '<datafield tag="200" ind1="1" ind2=" "><subfield code="a">Анна</subfield></datafield>'
        "</record></collection>"
    ).encode()
    (first,) = read_marcxml(florence)
    (second,) = read_marcxml(xchange)
    assert (first.flavour, second.flavour) == ("rusmarc", "rusmarc")
    assert first.record.values("200", "a") == ["Война и мир"]  # type: ignore[union-attr]
    assert first.record.control("001") == "x1"  # type: ignore[union-attr]
    assert second.record.values("200", "a") == ["Анна"]  # type: ignore[union-attr]


def test_a_cut_xml_file_ends_with_a_skipped_record_and_a_reason() -> None:
    document = (
        b'<collection xmlns="http://www.loc.gov/MARC21/slim"><record>'
        b"<leader>00000nam a2200000 i 4500</leader></record><record><leader>"
    )
    parsed = list(read_marcxml(document))
    assert [p.record is None for p in parsed] == [False, True]
    assert parsed[1].error and "cut short" in parsed[1].error


def clean_records(path: Path) -> dict[str, list[MarcRecord]]:
    by_flavour: dict[str, list[MarcRecord]] = {"marc21": [], "rusmarc": []}
    for parsed in parsed_file(path):
        # A tag that is not letters and digits cannot be written valid; it is reported on read.
        if parsed.record is not None and not any(r.startswith("tag:") for r in parsed.repairs):
            by_flavour[parsed.flavour].append(parsed.record)
    return by_flavour


@pytest.mark.parametrize("path", marc_files(), ids=file_id)
def test_marcxml_written_from_every_real_file_validates_and_reads_back(path: Path) -> None:
    for flavour, records in clean_records(path).items():
        if not records:
            continue
        document = records_to_marcxml(records, flavour)  # type: ignore[arg-type]
        assert_valid(document, "MARC21slim.xsd" if flavour == "marc21" else "UNISlim.xsd")
        back = [p.record for p in read_marcxml(document)]
        assert len(back) == len(records)
        for original, again in zip(records, back, strict=True):
            assert again is not None
            assert summary(again) == summary(original)


def summary(record: MarcRecord) -> list[tuple[str, str | None, list[str]]]:
    """What MARCXML must carry: control fields first (both schemas say so), data fields with
    their subfield values; text with characters XML cannot hold dropped."""
    controls = [f for f in record.fields if f.data is not None]
    data = [f for f in record.fields if f.data is None and f.subfields]
    return [
        (
            f.tag,
            NOT_XML.sub("", f.data) if f.data is not None else None,
            [NOT_XML.sub("", sf.value) for sf in f.subfields],
        )
        for f in controls + data
    ]


def test_written_marcxml_escapes_text_and_drops_what_xml_cannot_hold() -> None:
    record = MarcRecord(
        leader="00000nam a2200000 i 4500",
        fields=[
            Field(tag="001", data="a<b>&\x1b"),
            Field(tag="245", indicators="Z*", subfields=[Subfield("a", 'Tom & "Jerry" <1>')]),
            Field(tag="500", indicators="  ", subfields=[]),
        ],
    )
    document = records_to_marcxml([record], "marc21")
    assert_valid(document, "MARC21slim.xsd")
    (back,) = read_marcxml(document)
    assert back.record is not None
    assert back.record.control("001") == "a<b>&"
    assert back.record.values("245", "a") == ['Tom & "Jerry" <1>']
    assert back.record.first_field("245").indicators == "z "  # type: ignore[union-attr]


def test_rusmarc_is_written_as_unimarc_slim() -> None:
    records = [
        p.record
        for p in read_iso2709(read_bytes(data_file("managedirbis/TestData/TEST1.ISO")))
        if p.record is not None
    ]
    document = records_to_marcxml(records, "rusmarc")
    assert_valid(document, "UNISlim.xsd")
    assert "Задачи и этюды".encode() in document
