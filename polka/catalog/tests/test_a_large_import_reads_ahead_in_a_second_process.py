"""A large import reads and maps its records in a second process while this one stores them
(catalog.importing._read_ahead): the catalogue, the MARCXML, the report and the counts are the
same as read in one process, on every kind of real file; a reader that fails or dies stops the
run with a clear error, keeps the batches stored before, and leaves no process behind."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from collections import defaultdict
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from polka.catalog import importing
from polka.catalog.errors import ImportReaderFailed
from polka.catalog.importing import catalog_import
from polka.catalog.models import (
    ImportRun,
    ImportStatus,
    Item,
    Person,
    Record,
    RecordAuthor,
    RecordIsbn,
)
from polka.protocols.models import MarcxmlCache
from polka.search.backends import get_backend
from polka.shared_data import marc_data_dir

pytestmark = pytest.mark.django_db

DATA = marc_data_dir()
# MARC-8, UTF-8 with and without the leader flag, CP1251 MARC21 and RUSMARC, MARCXML,
# MARC-in-JSON, records over ISO 2709's limits, and damaged files.
FILES = (
    "evergreen/jazz_1k.mrc",
    "pymarc/marc8.dat",
    "pymarc/utf8_with_leader_flag.dat",
    "pymarc/utf8_without_leader_flag.dat",
    "pymarc/1251.dat",
    "pymarc/testunimarc.dat",
    "pymarc/bad_records.mrc",
    "pymarc/batch.xml",
    "pymarc/batch.json",
    "managedirbis/TestData/TEST1.ISO",
    "evergreen/FSL.marc",
)


def files(tmp_path: Path) -> list[Path]:
    # A truncated copy: the last record is damaged (reported, the rest kept).
    cut = tmp_path / "cut.mrc"
    cut.write_bytes((DATA / "pymarc/marc8.dat").read_bytes()[:5_000])
    return [DATA / name for name in FILES] + [cut, tmp_path / "unreadable.mrc"]


@pytest.fixture
def unreadable(monkeypatch, tmp_path):
    """A file the disk fails to give past its third record (the real jazz records up to
    there): the reader's error ends that file and the run goes on to the next."""
    real = importing.marc_read_file
    (tmp_path / "unreadable.mrc").write_bytes(b"")

    def read(path, **options):
        if path.name != "unreadable.mrc":
            yield from real(path, **options)
            return
        records = real(DATA / "evergreen/jazz_1k.mrc", **options)
        for _ in range(3):
            yield next(records)
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(importing, "marc_read_file", read)


def given(text: str) -> str:
    """A barcode given to a copy without one names its record's id, which differs by run."""
    return re.sub(r"\bR\d+-", "R#-", text)


def catalogue() -> dict[str, tuple]:
    """What the import stored, by source fingerprint (ids differ between runs)."""
    fingerprints = dict(Record.objects.values_list("id", "fingerprint"))
    xml = {
        fingerprints[pk]: text for pk, text in MarcxmlCache.objects.values_list("record_id", "xml")
    }
    links: dict[str, list] = defaultdict(list)
    for row in RecordAuthor.objects.order_by("record_id", "position", "id").values_list(
        "record__fingerprint", "person__key", "role", "position"
    ):
        links[row[0]].append(row[1:])
    for row in RecordIsbn.objects.order_by("record_id", "id").values_list(
        "record__fingerprint", "isbn"
    ):
        links[row[0]].append(row[1:])
    for row in Item.objects.order_by("id").values_list(
        "record__fingerprint", "barcode", "branch__code"
    ):
        links[row[0]].append((given(row[1]), row[2]))
    for row in _search_rows():
        links[fingerprints[row[0]]].append(row[1:])
    fields = [f.attname for f in Record._meta.concrete_fields]
    fields = [name for name in fields if name not in ("id", "import_run_id")]
    return {
        values["fingerprint"]: (
            values,
            links[values["fingerprint"]],
            xml.get(values["fingerprint"]),
        )
        for values in Record.objects.values(*fields)
    }


def _search_rows() -> list[tuple]:
    text = (
        "SELECT record_id, tsv::text FROM search_document"
        if connection.vendor == "postgresql"
        else "SELECT rowid, title, authors, subjects, other, facets FROM search_fts"
    )
    with connection.cursor() as cursor:
        rows = []
        for sql in (
            "SELECT record_id, title_sort, year, available, facet_list FROM search_document",
            "SELECT record_id, field, value FROM search_facet ORDER BY id",
            text,
        ):
            cursor.execute(sql)
            rows += cursor.fetchall()
    return rows


def _vocabulary() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT term, stem, length, head, tail, freq FROM search_term ORDER BY id")
        return cursor.fetchall()


def run(tmp_path: Path, at, *, read_ahead: bool, name: str) -> tuple:
    report = tmp_path / f"{name}.jsonl"
    summary = catalog_import(
        paths=files(tmp_path),
        at=at,
        report_path=report,
        branch="central",
        batch_size=300,
        read_ahead=read_ahead,
    )
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        line["reason"] = given(line["reason"])
    counts = (summary.read, summary.created, summary.skipped, summary.repaired, summary.reported)
    return counts, lines, catalogue(), _vocabulary()


def test_reading_ahead_stores_what_one_process_stores(tmp_path, at, central, unreadable):
    alone = run(tmp_path, at, read_ahead=False, name="alone")
    Record.objects.all().delete()
    Person.objects.all().delete()
    MarcxmlCache.objects.all().delete()
    get_backend().clear()
    ahead = run(tmp_path, at, read_ahead=True, name="ahead")
    assert ahead[0] == alone[0]
    assert ahead[1] == alone[1]  # the report, line by line
    assert ahead[2] == alone[2]  # records, links, copies, XML and the search index
    assert ahead[3] == alone[3]  # the spelling vocabulary, in the order it was written
    _, created, skipped, repaired, _ = ahead[0]
    assert created > 1_000 and skipped and repaired
    assert any("rest of the file" in line["reason"] for line in ahead[1])
    assert all(xml for _, _, xml in ahead[2].values())  # written from the XML sent over
    assert Item.objects.exists()
    assert not multiprocessing.active_children()


def _reading(limit: int, then):
    """_arrivals that gives `limit` records, then calls `then` (in the reading process)."""
    real = importing._arrivals

    def arrivals(*args, **kwargs):
        for count, arrival in enumerate(real(*args, **kwargs), 1):
            yield arrival
            if count == limit:
                then()

    return arrivals


def _fails() -> None:
    raise RuntimeError("the disk went away")


@pytest.mark.parametrize(
    ("then", "said"),
    [(_fails, "the disk went away"), (lambda: os._exit(3), "exit code 3")],
    ids=["raises", "dies"],
)
def test_a_reader_that_fails_stops_the_run_and_keeps_the_batches_before(
    monkeypatch, tmp_path, at, then, said
):
    monkeypatch.setattr(importing, "_arrivals", _reading(450, then))
    jazz = DATA / "evergreen/jazz_1k.mrc"
    with pytest.raises(ImportReaderFailed) as failed:
        catalog_import(paths=[jazz], at=at, batch_size=200, read_ahead=True)
    assert said in failed.value.message
    # Whole batches only: the two before the failure; the third waited for records that
    # never came. A rerun would carry on from them.
    assert Record.objects.count() in (200, 400)
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED and said in run.error
    assert not multiprocessing.active_children()


def test_a_run_stopped_while_reading_ahead_stops_its_reader(tmp_path, at):
    def progress(count: int) -> None:
        if Record.objects.count() >= 100:
            raise KeyboardInterrupt

    jazz = DATA / "evergreen/jazz_1k.mrc"
    with pytest.raises(KeyboardInterrupt):
        catalog_import(paths=[jazz], at=at, batch_size=100, read_ahead=True, progress=progress)
    assert not multiprocessing.active_children()
    assert Record.objects.count() == 100


def test_only_large_runs_on_a_machine_with_two_cores_read_ahead(monkeypatch):
    small, large = DATA / "pymarc/marc8.dat", DATA / "evergreen/jazz_1k.mrc"
    monkeypatch.setattr(importing, "READ_AHEAD_FROM", large.stat().st_size)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert importing._reads_ahead([large], None)
    assert not importing._reads_ahead([small], None)
    assert importing._reads_ahead([small], True)
    assert not importing._reads_ahead([large], False)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not importing._reads_ahead([large], None)


@pytest.mark.parametrize(("flag", "expected"), [("--read-ahead", True), ("--no-read-ahead", False)])
def test_polka_import_reads_ahead_as_told(monkeypatch, flag, expected):
    told = []
    real = importing._reads_ahead

    def reads_ahead(paths, read_ahead):
        told.append(read_ahead)
        return real(paths, read_ahead)

    monkeypatch.setattr(importing, "_reads_ahead", reads_ahead)
    out = StringIO()
    marc8 = DATA / "pymarc/marc8.dat"
    call_command("import", str(marc8), flag, stdout=out, stderr=StringIO(), verbosity=0)
    assert told == [expected]
    assert out.getvalue().splitlines()[-1].startswith("read 1, created 1,")
    assert not multiprocessing.active_children()
