"""SQLite with writers that take turns at once.

SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps in steps
of 1, 2, 5 … up to 100 ms between tries and so wakes late. Two gunicorn workers at a busy desk
spent more time asleep there than writing. Here a write transaction (BEGIN IMMEDIATE) first
takes an exclusive lock on a file beside the database, retried every few hundred microseconds,
and gives it back at commit or rollback: the next writer starts as soon as the last one ends.
The kernel drops the lock of a process that dies, so no writer is left waiting on a dead one.

Copying the write-ahead log back into the database (a checkpoint, with an fsync) is not left to
SQLite's automatic checkpoint, which runs inside the commit of the writer that crosses its
threshold: there it held the writers' lock for 15–170 ms once every few dozen desk or kiosk
loans, and every writer queued behind it. Each process's checkpointer thread does it instead,
outside the lock, every CHECKPOINT_EVERY commits; SQLite's own stays as a backstop for writes
made outside a transaction, at a higher threshold.

A bulk writer (an import, whose batches of 1,000 records each write thousands of pages to the
log once the catalogue is large) crossed that backstop in nearly every commit: at 1,000,000
records a batch's commit took 0.4-0.5 s, nearly all of it the checkpoint, with the lock held.
Within `bulk_writes()` every commit asks the thread instead, which copies the log while the
writer prepares its next batch, and the backstop is raised to BULK_BACKSTOP_PAGES.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

from django.db.backends.sqlite3 import base, operations
from django.db.utils import OperationalError

# Longest sleep between tries. A worker that has just committed starts its next write within
# about half a millisecond; a waiter napping longer than that keeps missing the gap and waits
# several turns (2 ms naps gave 8 SIP2 stations a p95 of 80 ms against 47 ms with these).
# Four thousand tries a second cost a waiting writer a few per cent of a core.
MAX_NAP = 0.00025
# A loan writes about 25 pages to the log: about SQLite's default checkpoint of 1,000 pages.
CHECKPOINT_EVERY = 40
# SQLite's automatic checkpoint, in pages: reached by writes outside transactions, and by a
# transaction writing thousands of pages (hence bulk_writes).
BACKSTOP_PAGES = 8_000
# The backstop during bulk writes: only reached if the thread falls far behind (1 GiB of log).
BULK_BACKSTOP_PAGES = 262_144

log = logging.getLogger(__name__)


class Checkpointer:
    """One thread a process and database file, with its own connection, that checkpoints the
    log (PASSIVE: it never waits for readers or writers) when asked."""

    _all: dict[tuple[int, str], Checkpointer] = {}
    _guard = threading.Lock()

    def __init__(self, path: str) -> None:
        self.path = path
        self.wanted = threading.Event()
        self.runs = 0  # checkpoints done
        threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True).start()

    @classmethod
    def of(cls, path: str) -> Checkpointer:
        key = (os.getpid(), path)  # threads do not survive a fork: one per process
        with cls._guard:
            found = cls._all.get(key)
            if found is None:
                found = cls._all[key] = cls(path)
            return found

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            try:
                with sqlite3.connect(self.path, timeout=1) as db:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                db.close()
                self.runs += 1
            except sqlite3.Error as error:  # the next commits ask again
                log.warning("SQLite checkpoint of %s failed: %s", self.path, error)


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self,
        style: Any,
        tables: Any,
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        """A flush also empties the full-text tables: they belong to no model, so Django's
        flush (and every transactional test's teardown) would leave their rows behind, to be
        found by the next search as records that no longer exist."""
        statements: list[str] = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not tables:
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND lower(sql) LIKE 'create virtual table%using fts5%'"
            )
            names = [row[0] for row in cursor.fetchall()]
        return statements + [f"DELETE FROM {self.quote_name(name)}" for name in names]  # noqa: S608 - names from sqlite_master


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_fd: int | None = None
        self._writer_held = False
        self._commits = 0
        self._bulk = 0  # open bulk_writes() blocks

    @contextlib.contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """Within the block, each commit leaves the log to the checkpointer thread."""
        self._bulk += 1
        self._apply_backstop(self.connection)
        try:
            yield
        finally:
            self._bulk -= 1
            self._apply_backstop(self.connection)

    def _apply_backstop(self, connection: Any) -> None:
        """SQLite's own checkpoint threshold for `connection` (none open yet: the next one
        gets it when it opens)."""
        if connection is not None and not self.is_in_memory_db():
            pages = BULK_BACKSTOP_PAGES if self._bulk else BACKSTOP_PAGES
            connection.execute(f"PRAGMA wal_autocheckpoint={pages}")

    def get_new_connection(self, conn_params: Any) -> Any:
        connection = super().get_new_connection(conn_params)
        self._apply_backstop(connection)
        return connection

    def _writer_file(self) -> int | None:
        name = str(self.settings_dict.get("NAME") or "")
        if self._writer_fd is None and name and not self.is_in_memory_db():
            self._writer_fd = os.open(f"{name}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
        return self._writer_fd

    def _writer_acquire(self) -> None:
        fd = self._writer_file()
        if fd is None or self._writer_held:
            return
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 10) or 10)
        deadline = time.monotonic() + timeout
        nap = 0.0001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OperationalError("database is locked") from None
                time.sleep(nap)
                nap = min(nap * 2, MAX_NAP)
            else:
                self._writer_held = True
                return

    def _writer_release(self) -> None:
        if self._writer_held and self._writer_fd is not None:
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)
        self._writer_held = False

    def _start_transaction_under_autocommit(self) -> None:
        self._writer_acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private in the stubs
        except BaseException:
            self._writer_release()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private in the stubs
        finally:
            self._writer_release()
        self._commits += 1
        if (self._bulk or self._commits % CHECKPOINT_EVERY == 0) and not self.is_in_memory_db():
            Checkpointer.of(str(self.settings_dict["NAME"])).wanted.set()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private in the stubs
        finally:
            self._writer_release()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private in the stubs
        finally:
            self._writer_release()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
