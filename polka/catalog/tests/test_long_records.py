"""Records ISO 2709 cannot hold (a field over 9,999 bytes, the record over 99,999) are kept:
stored as MARC-in-JSON, exported as MARCXML and JSON, reported by an ISO 2709 export
(issue 15, defect 4)."""

from __future__ import annotations

import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from lxml import etree

from polka.catalog.exporting import catalog_export
from polka.catalog.importing import catalog_import
from polka.catalog.models import Record
from polka.interop.marc import read_iso2709, read_marcjson
from polka.shared_data import schemas_dir

pytestmark = pytest.mark.django_db

LONG_NOTE = "Примечание. " * 1000  # about 22,000 bytes in UTF-8: one field over 9,999


def _record(title: str, *extra: dict) -> dict:
    return {
        "leader": "00000nam a2200000 i 4500",
        "fields": [
            {"001": title},
            {"245": {"ind1": "1", "ind2": "0", "subfields": [{"a": title}]}},
            *extra,
        ],
    }


def _note(text: str) -> dict:
    return {"520": {"ind1": " ", "ind2": " ", "subfields": [{"a": text}]}}


@pytest.fixture
def imported(tmp_path, at):
    many_fields = [_note(f"{n:03d} " + "x" * 900) for n in range(120)]  # about 110,000 bytes
    records = [
        _record("short"),
        _record("long-field", _note(LONG_NOTE)),
        _record("long-record", *many_fields),
    ]
    path = tmp_path / "long.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    summary = catalog_import(paths=[path], at=at)
    return summary


def test_records_too_long_for_iso2709_are_imported_not_skipped(imported):
    assert (imported.created, imported.skipped) == (3, 0)
    sources = {bytes(r.source)[:1] for r in Record.objects.all()}
    assert sources == {b"0", b"{"}  # ISO 2709 for the short one, MARC-in-JSON for the others


def test_they_export_whole_as_marcxml_and_json(imported):
    xml = io.BytesIO()
    assert catalog_export(out=xml, format="marcxml") == 3
    xsd = etree.XMLSchema(etree.parse(str(schemas_dir() / "MARC21slim.xsd")))
    document = etree.fromstring(xml.getvalue())
    assert xsd.validate(document), xsd.error_log.last_error
    assert LONG_NOTE.strip() in xml.getvalue().decode()

    as_json = io.BytesIO()
    assert catalog_export(out=as_json, format="json") == 3
    back = [p.record for p in read_marcjson(as_json.getvalue())]
    assert [len(list(r.get_fields("520"))) for r in back if r] == [0, 1, 120]


def test_an_iso2709_export_writes_the_rest_and_reports_them(imported, tmp_path):
    left_out = []
    out = io.BytesIO()
    written = catalog_export(
        out=out, format="iso2709", skipped=lambda record, why: left_out.append(why)
    )
    assert written == 1 and len(left_out) == 2
    assert all("MARCXML" in why for why in left_out)
    assert [p.record.control("001") for p in read_iso2709(out.getvalue())] == ["short"]

    err = StringIO()
    call_command("export", "--output", str(tmp_path / "out.mrc"), stderr=err, verbosity=0)
    assert "exported 1, not exported 2" in err.getvalue()
    assert err.getvalue().count("not exported: record") == 2


def test_an_iso2709_record_over_99999_bytes_is_kept(tmp_path, at):
    # Many small fields: a directory so large that the record passes 99,999 bytes while every
    # offset still fits its five digits.
    fields = [("001", b"huge")] + [("650", b" 4\x1fa" + b"%09d" % n) for n in range(4000)]
    directory, data, position = b"", b"", 0
    for tag, body in fields:
        chunk = body + b"\x1e"
        directory += f"{tag}{len(chunk):04d}{position:05d}".encode()
        data += chunk
        position += len(chunk)
    base = 24 + len(directory) + 1
    length = base + len(data) + 1
    assert length > 99_999
    # The length digits cannot say it: writers put 99999 (or wrap) there.
    leader = f"99999nam a22{base:05d} a 4500".encode()
    path = tmp_path / "huge.mrc"
    path.write_bytes(leader + directory + b"\x1e" + data + b"\x1d")
    summary = catalog_import(paths=[path], at=at)
    assert (summary.created, summary.skipped) == (1, 0)
    record = Record.objects.get()
    assert bytes(record.source)[:1] == b"{"
    out = io.BytesIO()
    catalog_export(out=out, format="json")
    (back,) = read_marcjson(out.getvalue())
    assert back.record is not None and len(list(back.record.get_fields("650"))) == 4000
