from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command

from polka.catalog import services
from polka.catalog.exporting import catalog_export
from polka.catalog.tests.standins import marc

pytestmark = pytest.mark.django_db

SOURCES = [b"00026nam  22000241  4500\x1e\x1d", b"00030nam  2200024   4500\x1eabc\x1d"]


def stored(at, title, source=None, author="", holdings=()):
    return services.record_create(
        marc=marc(title, author=author, holdings=list(holdings)),
        flavour="marc21",
        source=source,
        at=at,
    )


def test_iso2709_export_gives_back_unedited_sources_byte_for_byte(at):
    for n, source in enumerate(SOURCES):
        stored(at, f"T{n}", source=source)
    out = io.BytesIO()
    assert catalog_export(out=out, format="iso2709") == 2
    assert out.getvalue() == b"".join(SOURCES)


def test_an_edited_record_is_exported_as_edited(at):
    record = stored(at, "Old", source=SOURCES[0])
    services.record_update(record=record, marc=marc("New"), by=None, at=at)
    record.refresh_from_db()
    out = io.BytesIO()
    catalog_export(out=out)
    assert out.getvalue() == bytes(record.source) != SOURCES[0]


def test_export_by_branch_and_by_query(at, central, branch2):
    stored(
        at,
        "Мастер и Маргарита",
        source=SOURCES[0],
        author="Булгаков, М. А.",
        holdings=[("central", "1")],
    )
    stored(at, "Белая гвардия", source=SOURCES[1], author="Булгаков, М. А.", holdings=[("f2", "2")])

    def exported(**filters):
        out = io.BytesIO()
        catalog_export(out=out, **filters)
        return out.getvalue()

    assert exported(branch=central) == SOURCES[0]
    assert exported(query="гвард") == SOURCES[1]
    assert exported(query="булгаков") == b"".join(SOURCES)
    assert exported(query="Толстой") == b""


def test_the_command_writes_the_file(at, tmp_path):
    stored(at, "T", source=SOURCES[0])
    target = tmp_path / "out.mrc"
    err = StringIO()
    call_command("export", "--output", str(target), stderr=err, verbosity=0)
    assert target.read_bytes() == SOURCES[0]
    assert "exported 1" in err.getvalue()


def test_the_command_refuses_an_unknown_branch(at):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="nowhere"):
        call_command("export", "--branch", "nowhere", stderr=StringIO(), verbosity=0)


def test_a_refused_export_leaves_no_file_and_keeps_an_older_one(at, tmp_path):
    """Issue 15, defect 6: mixed flavours without --flavour used to leave a 0-byte file."""
    from django.core.management import CommandError

    stored(at, "T", source=SOURCES[0])
    services.record_create(marc=marc("R"), flavour="rusmarc", source=SOURCES[1], at=at)
    target = tmp_path / "out.xml"
    with pytest.raises(CommandError):
        call_command("export", "--format", "marcxml", "--output", str(target), stderr=StringIO())
    assert not target.exists()
    target.write_bytes(b"yesterday's export")
    with pytest.raises(CommandError):
        call_command("export", "--format", "marcxml", "--output", str(target), stderr=StringIO())
    assert target.read_bytes() == b"yesterday's export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xml"]  # no temporary file left


def test_an_import_report_is_written_whole(at, tmp_path):
    from polka.catalog.importing import catalog_import
    from polka.shared_data import marc_data_dir

    report = tmp_path / "report.jsonl"
    catalog_import(paths=[marc_data_dir() / "pymarc/bad_records.mrc"], at=at, report_path=report)
    assert report.read_text().count("\n") >= 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.jsonl"]
