"""Polka's SQLite backend (polka/core/sqlite): writers take turns through a lock file beside the
database, held from BEGIN to COMMIT or ROLLBACK, so a waiting writer starts as soon as the last
one ends; the log is checkpointed by a thread of its own, outside that lock; a flush empties the
full-text tables too."""

import fcntl
import os
import sqlite3
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import OperationalError
from django.utils import timezone

from polka.core.models import RateEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own writer lock"),
]


@pytest.fixture
def other_writer():
    """Another process's hold on the lock file: a descriptor of its own."""
    fd = os.open(f"{connection.settings_dict['NAME']}-writer.lock", os.O_RDWR | os.O_CREAT)
    yield fd
    os.close(fd)


def free(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    fcntl.flock(fd, fcntl.LOCK_UN)
    return True


def test_a_write_transaction_holds_the_lock_until_it_commits(other_writer):
    with transaction.atomic():
        RateEvent.objects.create(scope="test", key="one", at=timezone.now())
        assert not free(other_writer)
        with transaction.atomic():  # a savepoint takes nothing more
            assert not free(other_writer)
    assert free(other_writer)


def test_a_rolled_back_transaction_gives_the_lock_back(other_writer):
    with pytest.raises(RuntimeError), transaction.atomic():
        RateEvent.objects.create(scope="test", key="two", at=timezone.now())
        raise RuntimeError("the desk's work failed midway")
    assert free(other_writer)
    assert not RateEvent.objects.filter(key="two").exists()


def test_a_writer_that_waits_too_long_is_told_the_database_is_locked(other_writer, monkeypatch):
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.05)
    fcntl.flock(other_writer, fcntl.LOCK_EX)
    try:
        with pytest.raises(OperationalError, match="locked"), transaction.atomic():
            RateEvent.objects.create(scope="test", key="three", at=timezone.now())
    finally:
        fcntl.flock(other_writer, fcntl.LOCK_UN)
    assert not RateEvent.objects.filter(key="three").exists()
    with transaction.atomic():  # and the next one goes through
        RateEvent.objects.create(scope="test", key="four", at=timezone.now())
    assert RateEvent.objects.filter(key="four").exists()


def test_a_flush_empties_the_full_text_tables_that_belong_to_no_model():
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIRTUAL TABLE test_flush_fts USING fts5(body)")
        try:
            cursor.execute("INSERT INTO test_flush_fts (rowid, body) VALUES (7, 'война и мир')")
            call_command("flush", interactive=False, verbosity=0)
            cursor.execute("SELECT count(*) FROM test_flush_fts WHERE test_flush_fts MATCH 'мир'")
            assert cursor.fetchone()[0] == 0
        finally:
            cursor.execute("DROP TABLE test_flush_fts")


def test_the_log_reaches_the_database_file_through_the_checkpointer_not_a_commit():
    from polka.core.sqlite.base import BACKSTOP_PAGES, CHECKPOINT_EVERY, Checkpointer

    path = str(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == BACKSTOP_PAGES  # SQLite's own only as a backstop
    checkpointer = Checkpointer.of(path)
    runs = checkpointer.runs
    connection._commits = 0  # so that the last of these commits asks for the checkpoint
    for n in range(CHECKPOINT_EVERY):
        with transaction.atomic():
            RateEvent.objects.create(scope="test", key=f"log-{n}", at=timezone.now())
    # A checkpoint asked for by earlier commits may finish first, before these rows are all
    # in: wait for the one the last commit asked for. The database file alone (the log
    # ignored) holds every row then. The thread counts a run after it has closed its
    # connection, so the rows can be seen in the file a moment before the count moves.
    deadline = time.monotonic() + 10
    while True:
        copied = _rows_in_the_file_alone(path)
        done = copied == CHECKPOINT_EVERY and checkpointer.runs > runs
        if done or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert checkpointer.runs > runs
    assert copied == CHECKPOINT_EVERY


def _rows_in_the_file_alone(path: str) -> int:
    """-1 while a checkpoint is half-way through the file (read without locks)."""
    db = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return int(
            db.execute(
                f"SELECT count(*) FROM {RateEvent._meta.db_table} WHERE key LIKE 'log-%'"  # noqa: S608 - the model's own table
            ).fetchone()[0]
        )
    except sqlite3.DatabaseError:
        return -1
    finally:
        db.close()


def test_within_bulk_writes_each_commit_leaves_the_log_to_the_checkpointer():
    from polka.core.bulk import writes_in_bulk
    from polka.core.sqlite.base import BACKSTOP_PAGES, BULK_BACKSTOP_PAGES, Checkpointer

    def backstop() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            return int(cursor.fetchone()[0])

    checkpointer = Checkpointer.of(str(connection.settings_dict["NAME"]))
    connection._commits = 1  # far from the every-CHECKPOINT_EVERY-commits turn
    with writes_in_bulk():
        # An import's batch crosses the usual backstop: SQLite would copy the log inside
        # the commit, with the writers' lock held.
        assert backstop() == BULK_BACKSTOP_PAGES
        runs = checkpointer.runs
        with transaction.atomic():
            RateEvent.objects.create(scope="test", key="bulk", at=timezone.now())
        deadline = time.monotonic() + 10
        while checkpointer.runs == runs and time.monotonic() < deadline:
            time.sleep(0.01)
        assert checkpointer.runs > runs
    assert backstop() == BACKSTOP_PAGES
