"""`polka import` reads ИРБИС64 and ИРБИС32 master files (.MST + .XRF) straight from a database
folder: records mapped like RUSMARC, copies from field 910, a rerun changes nothing."""

from __future__ import annotations

import json
import shutil
import struct

import pytest

from polka.catalog.importing import catalog_import
from polka.catalog.models import Item, Record
from polka.interop.irbis_master import read_master
from polka.shared_data import marc_data_dir

pytestmark = pytest.mark.django_db

TEST_DATA = marc_data_dir() / "managedirbis" / "TestData"
IRBIS64 = TEST_DATA / "Irbis64" / "Datai" / "ISTU" / "istu.mst"
IRBIS32 = TEST_DATA / "Irbis32" / "ibis.mst"


@pytest.mark.parametrize("path", [IRBIS64, TEST_DATA / "KZD.MST", IRBIS32], ids=lambda p: p.name)
def test_every_record_of_a_master_file_is_imported_or_reported(path, at, central, tmp_path):
    report = tmp_path / "report.jsonl"
    summary = catalog_import(paths=[path], at=at, report_path=report, branch="central")
    active = [m for m in read_master(path) if m.record is not None and not m.deleted]
    assert summary.read == len(list(read_master(path)))
    assert summary.created + summary.updated == len(active) - summary.skipped
    assert summary.created > 0.9 * len(active)
    again = catalog_import(paths=[path], at=at, branch="central")
    assert again.created == 0 and again.unchanged == summary.created + summary.unchanged


def test_titles_authors_and_copies_come_from_the_irbis_fields(at, central):
    catalog_import(paths=[IRBIS32], at=at, branch="central")
    record = Record.objects.get(title__startswith="Куда пойти учиться")
    assert Item.objects.filter(record=record).count() >= 2
    assert set(Item.objects.filter(record=record).values_list("inventory_number", flat=True)) >= {
        "32",
        "33",
    }


def test_deleted_and_locked_records_are_reported(at, central, tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    mst, xrf = folder / "kzd.mst", folder / "kzd.xrf"
    shutil.copy(TEST_DATA / "KZD.MST", mst)
    data = bytearray((TEST_DATA / "KZD.XRF").read_bytes())
    struct.pack_into(">I", data, 8, 1)  # MFN 1: logically deleted
    struct.pack_into(">I", data, 12 + 8, 64)  # MFN 2: locked
    xrf.write_bytes(bytes(data))
    report = tmp_path / "report.jsonl"
    summary = catalog_import(paths=[mst], at=at, report_path=report, branch="central")
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    reasons = " ".join(str(line) for line in lines)
    assert "deleted in ИРБИС (MFN 1)" in reasons
    assert "locked in ИРБИС (MFN 2)" in reasons
    assert summary.skipped == 1
