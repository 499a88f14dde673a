"""MARC-in-JSON: pymarc's files read, and records round-trip through JSON unchanged."""

from __future__ import annotations

import json

import pymarc

from polka.interop.marc import read_iso2709, read_marcjson, records_to_marcjson
from polka.interop.tests.marc.files import data_file, read_bytes


def test_pymarc_json_files_read_the_same_as_pymarc() -> None:
    for name in ("pymarc/test.json", "pymarc/batch.json", "pymarc/one.json"):
        path = data_file(name)
        ours = [p.record for p in read_marcjson(path.read_bytes())]
        theirs = pymarc.parse_json_to_array(str(path))
        assert len(ours) == len(theirs)
        for mine, other in zip(ours, theirs, strict=True):
            assert mine is not None
            assert mine.leader == str(other.leader)
            assert [f.tag for f in mine.fields] == [f.tag for f in other.fields]


def test_records_round_trip_through_marc_in_json() -> None:
    records = [
        p.record
        for name in ("evergreen/FSL.marc", "managedirbis/TestData/TEST1.ISO", "pymarc/test.dat")
        for p in read_iso2709(read_bytes(data_file(name)))
        if p.record is not None
    ]
    document = records_to_marcjson(records)
    assert isinstance(json.loads(document), list)
    back = [p.record for p in read_marcjson(document)]
    assert back == records


def test_one_record_per_line_and_a_single_object_are_read() -> None:
    line = b'{"leader": "00000nam a2200000 i 4500", "fields": [{"001": "x"}]}'
    assert [p.record.control("001") for p in read_marcjson(line + b"\n" + line)] == ["x", "x"]  # type: ignore[union-attr]
    assert len(list(read_marcjson(line))) == 1


def test_a_large_array_is_read_across_buffer_boundaries() -> None:
    line = (
        '{"leader": "00000nam a2200000 i 4500", "fields": [{"245": '
        '{"ind1": "1", "ind2": "0", "subfields": [{"a": "Ёж %d"}]}}]}'
    )
    document = ("[" + ",\n".join(line % i for i in range(15_000)) + "]").encode()
    assert len(document) > 1 << 20
    parsed = list(read_marcjson(document))
    assert len(parsed) == 15_000
    assert parsed[-1].record.values("245", "a") == ["Ёж 14999"]  # type: ignore[union-attr]


def test_damaged_json_records_are_repaired_or_skipped_with_a_reason() -> None:
    document = json.dumps(
        [
            {"fields": [{"245": {"ind1": "10", "subfields": [{"a": "x"}, "junk"]}}]},
            "not a record",
        ]
    ).encode()
    first, second = read_marcjson(document)
    assert first.record is not None
    assert {r.split(":")[0] for r in first.repairs} == {"leader", "indicators", "subfield"}
    assert second.record is None and second.error
