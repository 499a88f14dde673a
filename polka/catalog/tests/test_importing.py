from __future__ import annotations

import gc
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.catalog import importing, marcio, services
from polka.catalog.importing import catalog_import
from polka.catalog.models import (
    ImportRun,
    ImportStatus,
    Item,
    Person,
    Record,
    RecordAuthor,
    RecordRevision,
    RevisionAction,
)
from polka.catalog.tests import standins
from polka.catalog.tests.standins import marc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def standin_reader(monkeypatch):
    """These tests write their own small files in the stand-in format (one record a line)."""
    monkeypatch.setattr(importing, "marc_read_file", standins.standin_read_file)
    monkeypatch.setattr(importing, "marc_serialise", standins.standin_serialise)
    monkeypatch.setattr(importing, "marc_map", standins.standin_map)


def write_file(path: Path, records: list, bad_lines: tuple[int, ...] = ()) -> Path:
    lines = [standins.standin_serialise(r) for r in records]
    for index in bad_lines:
        lines.insert(index, b"\x00garbage")
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def books(n: int, *, prefix: str = "Книга", holdings: bool = False) -> list:
    return [
        marc(
            f"{prefix} {i}",
            control=f"c{i}",
            isbn=f"9785{len(prefix):04d}{i:05d}",
            author=f"{prefix}, автор {i % 3}",
            holdings=[("central", f"{prefix}-{i}")] if holdings else [],
        )
        for i in range(n)
    ]


def table_sizes() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Record, Item, Person, RecordAuthor, RecordRevision)
    }


def test_every_record_is_imported_or_reported_and_the_counts_add_up(tmp_path, at, central):
    path = write_file(tmp_path / "a.txt", books(5, holdings=True), bad_lines=(2,))
    report = tmp_path / "report.jsonl"
    summary = catalog_import(paths=[path], at=at, report_path=report)
    assert (summary.read, summary.created, summary.skipped) == (6, 5, 1)
    assert summary.read == summary.created + summary.updated + summary.unchanged + summary.skipped
    (line,) = [json.loads(x) for x in report.read_text().splitlines()]
    assert (line["file"], line["record"], line["status"]) == (str(path), 3, "skipped")
    first_two = books(5, holdings=True)[:2]
    assert line["offset"] == sum(len(standins.standin_serialise(r)) + 1 for r in first_two)
    assert line["reason"]
    assert Item.objects.filter(branch=central).count() == 5


def test_importing_the_same_file_again_changes_nothing(tmp_path, at, central):
    path = write_file(tmp_path / "a.txt", books(7, holdings=True))
    catalog_import(paths=[path], at=at, batch_size=3)
    before = table_sizes()
    again = catalog_import(paths=[path], at=at, batch_size=3)
    assert (again.read, again.created, again.updated, again.unchanged) == (7, 0, 0, 7)
    assert table_sizes() == before


def test_an_import_killed_halfway_leaves_whole_records_and_can_be_run_again(
    tmp_path, at, central, monkeypatch
):
    path = write_file(tmp_path / "a.txt", books(7, holdings=True))
    real_store = services.records_store
    calls = []

    def dying_store(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the process is stopped in the middle of a batch
        return real_store(**kwargs)

    monkeypatch.setattr(importing, "records_store", dying_store)
    with pytest.raises(KeyboardInterrupt):
        catalog_import(paths=[path], at=at, batch_size=2)
    assert Record.objects.count() == 4
    for record in Record.objects.all():
        assert record.items.count() == 1
        assert record.authorships.count() == 1
    assert ImportRun.objects.get().status == ImportStatus.FAILED

    monkeypatch.setattr(importing, "records_store", real_store)
    rerun = catalog_import(paths=[path], at=at, batch_size=2)
    assert (rerun.created, rerun.unchanged) == (3, 4)
    assert Record.objects.count() == Item.objects.count() == 7


def test_match_isbn_updates_the_record_instead_of_adding_another(tmp_path, at):
    old = write_file(tmp_path / "old.txt", [marc("Old title", isbn="978-5-00-000001-5")])
    new = write_file(tmp_path / "new.txt", [marc("New title", isbn="9785000000015")])
    catalog_import(paths=[old], at=at)
    summary = catalog_import(paths=[new], at=at, match="isbn")
    assert (summary.created, summary.updated) == (0, 1)
    record = Record.objects.get()
    assert record.title == "New title"
    assert record.revisions.get().action == RevisionAction.IMPORTED


def test_match_control_number_updates_and_match_none_duplicates(tmp_path, at):
    old = write_file(tmp_path / "old.txt", [marc("Old", control="42")])
    new = write_file(tmp_path / "new.txt", [marc("New", control="42")])
    catalog_import(paths=[old], at=at)
    catalog_import(paths=[new], at=at, match="control-number")
    assert list(Record.objects.values_list("title", flat=True)) == ["New"]
    catalog_import(paths=[old], at=at)  # a different source, no matching: a second record
    assert Record.objects.count() == 2


def test_two_records_of_one_batch_with_one_isbn_become_one_record(tmp_path, at):
    path = write_file(
        tmp_path / "a.txt",
        [marc("First", isbn="9785000000015"), marc("Second", isbn="9785000000015")],
    )
    summary = catalog_import(paths=[path], at=at, match="isbn")
    assert (summary.created, summary.updated) == (1, 1)
    assert list(Record.objects.values_list("title", flat=True)) == ["Second"]


def test_a_dry_run_writes_nothing_but_counts_what_it_would_do(tmp_path, at, central):
    path = write_file(tmp_path / "a.txt", books(4, holdings=True))
    summary = catalog_import(paths=[path], at=at, dry_run=True)
    assert (summary.read, summary.created) == (4, 4)
    assert table_sizes() == dict.fromkeys(table_sizes(), 0)
    assert not ImportRun.objects.exists()


def test_copies_without_a_known_branch_go_to_the_branch_option_or_are_reported(
    tmp_path, at, central, branch2
):
    records = [marc("A", holdings=[("Ф2", "1"), ("elsewhere", "2")])]
    path = write_file(tmp_path / "a.txt", records)
    report = tmp_path / "r.jsonl"
    catalog_import(paths=[path], at=at, report_path=report)
    assert list(Item.objects.values_list("barcode", "branch__code")) == [("1", "f2")]
    (line,) = [json.loads(x) for x in report.read_text().splitlines()]
    assert line["status"] == "created"
    assert "elsewhere" in line["reason"]

    Record.objects.all().delete()
    catalog_import(paths=[path], at=at, branch="central")
    assert dict(Item.objects.values_list("barcode", "branch__code")) == {"1": "f2", "2": "central"}


def test_a_record_that_cannot_be_stored_is_skipped_and_its_batch_neighbours_kept(
    tmp_path, at, monkeypatch
):
    real_keys = services._isbn_keys

    def failing_keys(isbns):
        if any(isbn.endswith("00002") for isbn in isbns):  # Книга 2
            raise ValueError("boom")
        return real_keys(isbns)

    monkeypatch.setattr(services, "_isbn_keys", failing_keys)
    path = write_file(tmp_path / "a.txt", books(5))
    report = tmp_path / "r.jsonl"
    summary = catalog_import(paths=[path], at=at, report_path=report)
    assert (summary.created, summary.skipped) == (4, 1)
    assert not Record.objects.filter(title="Книга 2").exists()
    assert "boom" in json.loads(report.read_text())["reason"]


def test_queries_per_batch_do_not_grow_with_the_batch(tmp_path, at, central):
    def queries_for(n: int, prefix: str) -> int:
        path = write_file(tmp_path / f"{prefix}.txt", books(n, prefix=prefix, holdings=True))
        with CaptureQueriesContext(connection) as ctx:
            catalog_import(paths=[path], at=at, batch_size=n, match="isbn")
        return len(ctx)

    # (Batches large enough to pass the engine's bound-parameter limit are split by Django
    # into several INSERTs; below that, the count is the same.) A first import may also
    # create one-time rows (the search index generation after a flush): warm up first.
    queries_for(1, "warm-up")
    assert queries_for(5, "few") == queries_for(25, "many")


def test_each_batch_is_let_go_before_the_young_objects_are_collected(
    tmp_path, at, central, monkeypatch
):
    # The collector walks whatever young object is still alive: a batch still held then is
    # walked for nothing (28 ms a batch of 1,000 real records) and promoted to an older
    # generation on its way out.
    held: list[int] = []

    def collect() -> None:
        held.append(sum(isinstance(o, importing._Pending) for o in gc.get_objects()))

    monkeypatch.setattr(importing, "young_collected", collect)
    path = write_file(tmp_path / "a.txt", books(12, holdings=True))
    summary = catalog_import(paths=[path], at=at, batch_size=5)
    assert summary.created == 12
    assert held == [0, 0, 0]


def test_the_command_ends_with_the_summary_line(tmp_path, at):
    path = write_file(tmp_path / "a.txt", books(3), bad_lines=(0,))
    out = StringIO()
    call_command("import", str(path), stdout=out, stderr=StringIO(), verbosity=0)
    assert out.getvalue().splitlines()[-1] == (
        "read 4, created 3, updated 0, skipped 1, repaired 0"
    )


def test_the_command_refuses_a_missing_file_or_an_unknown_branch(tmp_path):
    path = write_file(tmp_path / "a.txt", books(1))
    with pytest.raises(CommandError, match="nope"):
        call_command("import", str(tmp_path / "nope.mrc"), stdout=StringIO())
    with pytest.raises(CommandError, match="zzz"):
        call_command("import", str(path), "--branch", "zzz", stdout=StringIO())
    assert not Record.objects.exists()


def test_marcio_is_the_only_way_into_the_codecs():
    # The stand-ins patch these names; if importing grew another route, they would be bypassed.
    assert {"marc_read_file", "marc_serialise", "marc_map"} <= set(vars(importing))
    assert marcio.marc_read_file.__module__ == "polka.catalog.marcio"


def test_each_run_is_recorded_with_its_counts_and_end(tmp_path, at):
    path = write_file(tmp_path / "a.txt", books(3), bad_lines=(1,))
    end = at.replace(hour=23)
    summary = catalog_import(paths=[path], at=at, match="isbn", clock=lambda: end)
    run = ImportRun.objects.get(pk=summary.run_id)
    assert (run.status, run.started_at, run.finished_at) == (ImportStatus.FINISHED, at, end)
    assert (run.read, run.created, run.skipped) == (4, 3, 1)
    assert run.options["match"] == "isbn"
    assert run.files == [str(path)]
    assert set(Record.objects.values_list("import_run", flat=True)) == {run.pk}


def test_an_update_by_match_keeps_existing_copies_and_adds_new_ones(tmp_path, at, central):
    old = write_file(tmp_path / "old.txt", [marc("T", control="7", holdings=[("central", "1")])])
    new = write_file(
        tmp_path / "new.txt",
        [marc("T2", control="7", holdings=[("central", "1"), ("central", "2")])],
    )
    catalog_import(paths=[old], at=at)
    report = tmp_path / "r.jsonl"
    summary = catalog_import(paths=[new], at=at, match="control-number", report_path=report)
    assert summary.updated == 1
    record = Record.objects.get()
    assert sorted(record.items.values_list("barcode", flat=True)) == ["1", "2"]
    assert not report.read_text()  # the copy already there is no problem worth a line
