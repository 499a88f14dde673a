"""Damage in a MARC-in-JSON or MARCXML file costs only the record it is in: the records after
it are read, and the damaged one is reported with its position (issue 15, defect 5)."""

from __future__ import annotations

import json

import pytest

from polka.interop.marc import marcxml as marcxml_module
from polka.interop.marc import read_marcjson, read_marcxml, records_to_marcjson, records_to_marcxml
from polka.interop.marc.record import Field, MarcRecord, Subfield


def records(count: int) -> list[MarcRecord]:
    return [
        MarcRecord(
            "00000nam a2200000 a 4500",
            [Field("001", data=f"id{n}"), Field("245", "10", [Subfield("a", f"Заглавие {n}")])],
        )
        for n in range(1, count + 1)
    ]


def ids(parsed) -> list[str | None]:
    return [p.record.control("001") if p.record else None for p in parsed]


def test_a_flipped_byte_in_a_json_array_loses_only_its_record() -> None:
    data = records_to_marcjson(records(5))
    at = data.index(b'"245"', data.index(b'"id2"'))  # inside record 2: a quote lost
    damaged = data[:at] + data[at + 1 :]
    parsed = list(read_marcjson(damaged))
    assert ids(parsed) == ["id1", None, "id3", "id4", "id5"]
    (error,) = [p.error for p in parsed if p.error]
    assert "line 3" in error and "character" in error and "next record" in error


def test_a_broken_line_of_json_lines_loses_only_that_line() -> None:
    lines = [json.dumps(json.loads(records_to_marcjson([r]))[0]) for r in records(4)]
    lines[1] = lines[1].replace('"fields": [', '"fields": [[', 1)
    parsed = list(read_marcjson("\n".join(lines).encode()))
    assert ids(parsed) == ["id1", None, "id3", "id4"]
    assert "line 2" in (parsed[1].error or "")


def test_a_record_object_without_fields_is_reported_not_read_empty() -> None:
    (parsed,) = read_marcjson(b'{"leader": "00000nam a2200000 a 4500", "#ields": []}')
    assert parsed.record is None and parsed.error
    assert any("'#ields'" in r for r in parsed.repairs)


def test_damage_in_a_marcxml_record_loses_only_that_record() -> None:
    data = records_to_marcxml(records(5), "marc21")
    at = data.index(b"id2")
    damaged = data[:at] + data[at:].replace(b"<subfield", b"<sub field", 1)
    parsed = list(read_marcxml(damaged))
    assert ids(parsed) == ["id1", None, "id3", "id4", "id5"]
    assert parsed[1].offset == data.rindex(b"<record>", 0, at)
    assert f"record at byte {parsed[1].offset}" in (parsed[1].error or "")


def test_a_lost_end_tag_loses_only_its_record() -> None:
    data = records_to_marcxml(records(4), "marc21")
    at = data.index(b"id2")
    damaged = data[:at] + data[at:].replace(b"</record>", b"</recor", 1)
    assert ids(read_marcxml(damaged)) == ["id1", None, "id3", "id4"]


def test_a_cut_marcxml_file_keeps_the_records_before_and_reports_the_cut_one() -> None:
    data = records_to_marcxml(records(3), "marc21")
    parsed = list(read_marcxml(data[: data.index(b"id3") + 20]))
    assert ids(parsed) == ["id1", "id2", None]
    assert "cut short" in (parsed[2].error or "")


def test_prefixed_namespaces_declared_on_the_collection_are_kept() -> None:
    document = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">'
        b"<marc:record><marc:leader>00000nam a2200000 a 4500</marc:leader>"
        b'<marc:controlfield tag="001">a</marc:controlfield></marc:record>'
        b"<marc:record><marc:leader>00000nam a2200000 a 4500</marc:leader>"
        b'<marc:controlfield tag="001">b</marc:controlfield><marc:datafield></marc:record>'
        b"<marc:record><marc:leader>00000nam a2200000 a 4500</marc:leader>"
        b'<marc:controlfield tag="001">c</marc:controlfield></marc:record>'
        b"</marc:collection>"
    )
    assert ids(read_marcxml(document)) == ["a", None, "c"]


def test_records_are_cut_right_across_read_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(marcxml_module, "_SPLIT_CHUNK", 97)
    data = records_to_marcxml(records(40), "marc21")
    at = data.index(b"id20<")
    damaged = data[:at] + b"<" + data[at:]
    parsed = list(read_marcxml(damaged))
    assert ids(parsed) == [f"id{n}" if n != 20 else None for n in range(1, 41)]
    assert [p.number for p in parsed] == list(range(1, 41))
