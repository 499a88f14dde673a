"""`polka backup` then `polka restore` gives back exactly the rows that were backed up."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from polka.cli.backup import BackupError, backup_create, backup_restore, pg_tool
from polka.core.pagecache import content_generation
from polka.org.models import Branch, BranchKind, Network

# pg_restore runs in its own connection and the SQLite backup API refuses an open transaction:
# both need committed data, so these tests use a real (transactional) database.
pytestmark = pytest.mark.django_db(transaction=True)


def table_contents() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order; not the search index and public content
    generations, which a restore replaces on purpose (polka.search.cache, polka.core.pagecache:
    nothing cached before it may be served after)."""
    contents = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in ("search_index_state", "core_contentstate"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            contents[table] = sorted(cursor.fetchall(), key=repr)
    return contents


def make_network() -> Network:
    network = Network.objects.create(name="ЦБС города Энска", city="Энск")
    for code, name in [("central", "Центральная библиотека"), ("north", "Филиал № 2")]:
        Branch.objects.create(network=network, code=code, name=name, kind=BranchKind.BRANCH)
    return network


def test_restore_gives_back_exactly_the_rows_that_were_backed_up(tmp_path):
    network = make_network()
    before = table_contents()

    call_command("backup", output=tmp_path)
    (backup,) = tmp_path.iterdir()
    assert backup.name.startswith(f"polka-{connection.vendor}-")
    backed_up = content_generation()

    Branch.objects.filter(code="north").delete()
    Branch.objects.filter(code="central").update(name="Переименована")
    Branch.objects.create(network=network, code="south", name="Новая", kind=BranchKind.CHILDREN)
    assert table_contents() != before

    call_command("restore", backup, interactive=False)

    assert table_contents() == before
    assert sorted(Branch.objects.values_list("code", flat=True)) == ["central", "north"]
    assert content_generation() != backed_up  # pages kept before the backup are not served


def test_backup_goes_to_var_backups_by_default_and_never_overwrites(settings, tmp_path):
    settings.POLKA_VAR_DIR = tmp_path
    first = backup_create(output=None, at=_at())
    second = backup_create(output=None, at=_at())

    assert first.path.parent == tmp_path / "backups"
    assert first.path.name == f"polka-{connection.vendor}-20261123-200000Z.{first.path.suffix[1:]}"
    assert second.path != first.path
    assert not list(first.path.parent.glob("*.part"))
    with pytest.raises(BackupError, match="уже существует"):
        backup_create(output=first.path, at=_at())


def test_restore_of_a_missing_file_names_the_file(tmp_path):
    with pytest.raises(CommandError, match=r"nothing-here\.sqlite3"):
        call_command("restore", tmp_path / "nothing-here.sqlite3", interactive=False)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("не резервная копия")
    with pytest.raises(BackupError, match="не резервная копия"):
        backup_restore(source=junk)


def test_restore_refuses_a_backup_from_the_other_engine_and_changes_nothing(tmp_path):
    make_network()
    before = table_contents()
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
        expected = "PostgreSQL"
    else:
        other.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84)
        expected = "SQLite"
    with pytest.raises(BackupError, match=f"копия базы {expected}"):
        backup_restore(source=other)
    assert table_contents() == before


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_damaged_sqlite_backup_is_refused_before_anything_changes(tmp_path):
    make_network()
    good = backup_create(output=tmp_path / "good.sqlite3", at=_at()).path
    before = table_contents()
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # keep the header, destroy every page after it
    damaged.write_bytes(bytes(data))

    with pytest.raises(BackupError, match="повреждён"):
        backup_restore(source=damaged)
    assert table_contents() == before


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_pg_tools_are_chosen_to_match_the_server_version():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    tool = pg_tool("pg_dump", server_major=major)
    assert tool.name == "pg_dump"
    with pytest.raises(BackupError, match="postgresql-client-99"):
        pg_tool("pg_dump", server_major=99)


def test_restore_without_a_terminal_asks_for_noinput_and_changes_nothing(tmp_path, monkeypatch):
    make_network()
    backup = backup_create(output=tmp_path / "b", at=_at()).path
    Branch.objects.filter(code="north").delete()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="отменено"):
        call_command("restore", backup)
    assert not Branch.objects.filter(code="north").exists()


def _at():
    from datetime import UTC, datetime

    return datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
