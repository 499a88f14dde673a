"""The fuzz corpus of damaged MARC files (polka/interop/tests/marc/fuzz.py, fixed seed)
imports with every record reported, and every stored record exports valid in all three
formats (issue 15, defect 3)."""

from __future__ import annotations

import io
import json

import pymarc
import pytest
from lxml import etree

from polka.catalog.exporting import catalog_export
from polka.catalog.importing import catalog_import
from polka.catalog.models import Record
from polka.interop.marc import read_iso2709, read_marcjson
from polka.interop.tests.marc.fuzz import damaged_corpus
from polka.shared_data import schemas_dir

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path, at):
    paths = []
    for n, damaged in enumerate(damaged_corpus()):
        path = tmp_path / f"{n:02d}-{damaged.name.replace('/', '_')}"
        path.write_bytes(damaged.data)
        paths.append(path)
    report = tmp_path / "report.jsonl"
    summary = catalog_import(paths=paths, at=at, report_path=report)
    return summary, [json.loads(line) for line in report.read_text().splitlines()]


def test_every_record_of_the_damaged_files_is_imported_or_reported(imported):
    summary, lines = imported
    assert summary.read == summary.created + summary.updated + summary.unchanged + summary.skipped
    assert summary.created > 200  # many damaged copies hold the same records: "unchanged"
    skipped = [line for line in lines if line["status"] == "skipped"]
    assert len(skipped) == summary.skipped
    assert all(line["reason"] and line["record"] >= 1 for line in skipped)
    assert sum(line["repaired"] for line in lines) == summary.repaired
    moved = [line for line in lines if "moved to 989" in line["reason"]]
    assert moved, "a field with an unrecoverable tag is reported"


@pytest.mark.parametrize("flavour", ["marc21", "rusmarc"])
def test_every_stored_record_exports_valid_in_all_three_formats(imported, flavour):
    count = Record.objects.filter(format=flavour).count()
    assert count

    xml = io.BytesIO()
    assert catalog_export(out=xml, format="marcxml", flavour=flavour) == count
    name = "MARC21slim.xsd" if flavour == "marc21" else "UNISlim.xsd"
    xsd = etree.XMLSchema(etree.parse(str(schemas_dir() / name)))
    assert xsd.validate(etree.fromstring(xml.getvalue())), xsd.error_log.last_error

    iso = io.BytesIO()
    catalog_export(out=iso, format="iso2709", flavour=flavour)
    records = Record.objects.filter(format=flavour).order_by("pk")
    for record, parsed in zip(records, read_iso2709(iso.getvalue(), flavour=flavour), strict=True):
        # Sound records keep their bytes and encoding; repaired ones were rewritten in UTF-8.
        (again,) = read_iso2709(
            bytes(record.source), flavour=flavour, encoding=record.source_encoding
        )
        assert again.repairs == [], (record.pk, again.repairs)
        assert parsed.record is not None
    strict = list(pymarc.MARCReader(iso.getvalue(), to_unicode=True, permissive=False))
    assert len(strict) == count and all(r is not None for r in strict)

    as_json = io.BytesIO()
    catalog_export(out=as_json, format="json", flavour=flavour)
    back = list(read_marcjson(as_json.getvalue(), flavour=flavour))
    assert len(back) == count and all(p.record is not None and not p.repairs for p in back)
