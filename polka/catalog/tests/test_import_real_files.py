"""The importer over the real MARC files in ../shared/data/marc (see its README.md)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from polka.catalog.exporting import catalog_export
from polka.catalog.importing import catalog_import
from polka.catalog.models import Item, Person, Record, RecordAuthor
from polka.shared_data import marc_data_dir, schemas_dir

pytestmark = pytest.mark.django_db

DATA = marc_data_dir()


def marc_files() -> list[Path]:
    """Every file COUNTS.txt lists (the MARC files; the folder also holds non-MARC data)."""
    lines = (DATA / "COUNTS.txt").read_text().splitlines()
    return [DATA / line.split()[-1].removeprefix("./") for line in lines if "./" in line]


def test_every_real_record_is_imported_or_reported_and_a_second_import_changes_nothing(
    tmp_path, at, central
):
    files = marc_files()
    report = tmp_path / "report.jsonl"
    summary = catalog_import(paths=files, at=at, report_path=report, branch="central")
    assert summary.read == summary.created + summary.updated + summary.unchanged + summary.skipped
    assert summary.created > 3000
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    skipped = [line for line in lines if line["status"] == "skipped"]
    assert len(skipped) == summary.skipped
    assert all(line["reason"] and line["file"] and line["record"] >= 1 for line in skipped)
    assert sum(line["repaired"] for line in lines) == summary.repaired
    assert Record.objects.count() == summary.created

    sizes = [m.objects.count() for m in (Record, Item, Person, RecordAuthor)]
    again = catalog_import(paths=files, at=at, branch="central")
    assert (again.created, again.updated, again.skipped) == (0, 0, summary.skipped)
    assert again.unchanged == summary.created + summary.unchanged
    assert [m.objects.count() for m in (Record, Item, Person, RecordAuthor)] == sizes


@pytest.mark.parametrize(
    "name",
    [
        "managedirbis/TestData/TEST1.ISO",  # RUSMARC, CP1251
        "pymarc/marc.dat",  # MARC21, MARC-8
        "pymarc/1251.dat",  # MARC21 in CP1251 with leader/09 blank (a charset "repair")
        "evergreen/FSL.marc",  # Cyrillic UTF-8 with leader/09 blank
    ],
)
def test_unedited_records_export_byte_for_byte_as_imported(name, at):
    path = DATA / name
    summary = catalog_import(paths=[path], at=at)
    assert summary.skipped == summary.unchanged == 0
    out = io.BytesIO()
    catalog_export(out=out)
    assert out.getvalue() == path.read_bytes().rstrip(b"\r\n")


SCHEMAS = schemas_dir()


@pytest.mark.parametrize(
    ("name", "flavour", "schema"),
    [
        ("pymarc/marc.dat", "marc21", "MARC21slim.xsd"),
        ("managedirbis/TestData/TEST1.ISO", "rusmarc", "UNISlim.xsd"),
    ],
)
def test_marcxml_export_validates_against_its_schema(name, flavour, schema, at):
    from lxml import etree

    summary = catalog_import(paths=[DATA / name], at=at)
    out = io.BytesIO()
    assert catalog_export(out=out, format="marcxml") == summary.created
    document = etree.fromstring(out.getvalue())
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / schema)))
    assert xsd.validate(document), xsd.error_log
    assert Record.objects.filter(format=flavour).count() == summary.created


def test_a_marcxml_export_of_both_flavours_asks_which_one(at):
    from polka.catalog.errors import ExportMixedFlavours

    catalog_import(
        paths=[DATA / "pymarc/marc.dat", DATA / "managedirbis/TestData/TEST1.ISO"], at=at
    )
    with pytest.raises(ExportMixedFlavours):
        catalog_export(out=io.BytesIO(), format="marcxml")
    out = io.BytesIO()
    assert catalog_export(out=out, format="marcxml", flavour="rusmarc") == 81


def test_json_export_reads_back_as_the_same_records(at):
    from polka.interop.marc import read_any

    catalog_import(paths=[DATA / "pymarc/marc.dat"], at=at)
    out = io.BytesIO()
    catalog_export(out=out, format="json")
    back = [p.record for p in read_any(io.BytesIO(out.getvalue()), format="json")]
    original = [p.record for p in read_any(DATA / "pymarc/marc.dat")]
    assert [r.fields for r in back] == [r.fields for r in original]
