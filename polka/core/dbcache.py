"""Django's database cache with a write that costs one statement.

Django's DatabaseCache counts the whole table before every write (to cull it past
MAX_ENTRIES), then reads the key and inserts or updates it in a transaction: three statements
and a commit for each page the public page cache keeps. On SQLite the count walks every entry
(up to MAX_ENTRIES, 20,000); on PostgreSQL the three took 1.3 ms of a 15 ms record page at
1,000,000 records. Here `set` is one upsert, and the count and cull run on one write in
CULL_EVERY of each process. On PostgreSQL the table is UNLOGGED (`prepare_tables`): a cache
needs no write-ahead log, so a page kept writes no WAL and its commit waits for no disk flush;
after a crash the server empties it, which a cache may be.

`get_in_generation` reads a public page's entry, the content generation its key names and the
page's own version (the record page: its copies) in one statement (polka.core.pagecache): on
PostgreSQL every statement is a round trip, and a kept record page made three.
"""

from __future__ import annotations

import base64
import pickle
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.db.models import DateTimeField, Expression
from django.utils.timezone import now as tz_now

from polka.core.models import ContentState
from polka.core.prepared import Statement, prepared_cursor

# How often a process counts the table: MAX_ENTRIES may be passed by this many writes of
# each process before the next cull, a few hundred entries at most.
CULL_EVERY = 64
UPSERT_VENDORS = frozenset({"sqlite", "postgresql"})
GENERATION = "{generation}"


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.table = table
        self._writes = 0

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor not in UPSERT_VENDORS:
            super().set(key, value, timeout, version)
            return
        key = self.make_and_validate_key(key, version=version)
        seconds = self.get_backend_timeout(timeout)
        zone = UTC if settings.USE_TZ else None
        if seconds is None:
            expires = datetime.max.replace(tzinfo=zone)
        else:
            expires = datetime.fromtimestamp(seconds, tz=zone)
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        table = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            self._writes += 1
            if (self._writes - 1) % CULL_EVERY == 0:  # a process's first write, then every Nth
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - settings' name
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    # Django's own cull: private, and what its set would run here.
                    cull = self._cull  # type: ignore[attr-defined]
                    cull(db, cursor, tz_now().replace(microsecond=0), count)
            upsert = (
                f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "  # noqa: S608
                "ON CONFLICT (cache_key) DO UPDATE "
                "SET value = excluded.value, expires = excluded.expires"
            )
            params = [
                key,
                encoded,
                connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0)),
            ]
            # As Django's: a write that fails (a busy SQLite file) loses the entry, not the
            # page. Inside a transaction, a savepoint keeps the failure from aborting it.
            try:
                # Prepared: the page travels as a parameter, not quoted into the statement's
                # text, and the statement is not parsed and planned again at every page kept.
                with prepared_cursor(connection) as writer:
                    if connection.in_atomic_block:
                        with transaction.atomic(using=db):
                            writer.execute(upsert, params)
                    else:
                        writer.execute(upsert, params)
            except DatabaseError:
                return

    def get_in_generation(
        self, key: str, version: Statement | None = None
    ) -> tuple[str, Any, str] | None:
        """The current content generation, the live value kept under `key` with the generation
        put in its place (None when nothing is kept) and the rows of `version` as one text
        ("" without one; Statement.text_sql), in one query; None when that cannot be asked in
        one query (no generation yet, another database, a key function that rewrites keys),
        and the caller reads them one after the other."""
        db = router.db_for_read(self.cache_model_class)
        connection = connections[db]
        made = self.make_key(key)
        if (
            connection.vendor not in UPSERT_VENDORS
            or router.db_for_read(ContentState) != db
            or made.count(GENERATION) != 1
            or (version is not None and version.alias != db)
        ):
            return None
        before, after = made.split(GENERATION)
        shown, shown_params = version.text_sql() if version is not None else ("''", [])
        quote = connection.ops.quote_name
        with prepared_cursor(connection) as cursor:
            # The key alone picks the row; its expiry is checked here, as Django's get does.
            # With `expires > now` in the join, PostgreSQL estimated that condition from its
            # last ANALYZE, whose expiry times all lie in the past under steady traffic: it
            # expected one live row and, with a few hundred pages kept, walked the expiry index
            # over every live page, filtering by key (501 pages: 0.24 ms instead of 0.03).
            cursor.execute(
                f"SELECT s.generation, c.value, c.expires, {shown} "  # noqa: S608 - model and settings names
                f"FROM {quote(ContentState._meta.db_table)} s LEFT JOIN {quote(self.table)} c "
                "ON c.cache_key = %s || s.generation || %s WHERE s.id = 1",
                [*shown_params, before, after],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        generation, value, expires, text = row
        text = str(text or "")
        if value is None or self._expired(connection, expires):
            return str(generation), None, text
        value = connection.ops.process_clob(value)
        return str(generation), pickle.loads(base64.b64decode(value.encode())), text  # noqa: S301 - as Django's get

    @staticmethod
    def _expired(connection: Any, expires: Any) -> bool:
        """Whether an `expires` value as the driver returned it lies in the past (Django's get
        converts it the same way: SQLite returns text)."""
        expression, converters = _expiry_converters(connection)
        for converter in converters:
            expires = converter(expires, expression, connection)
        return bool(expires <= tz_now().replace(microsecond=0))


# The converters of `expires` per database vendor, found once: making the field and asking for
# them was a tenth of a kept page's CPU.
_CONVERTERS: dict[str, tuple[Expression, list[Any]]] = {}


def _expiry_converters(connection: Any) -> tuple[Expression, list[Any]]:
    found = _CONVERTERS.get(connection.vendor)
    if found is None:
        expression = Expression(output_field=DateTimeField())
        converters = [
            *connection.ops.get_db_converters(expression),
            *expression.get_db_converters(connection),
        ]
        found = _CONVERTERS[connection.vendor] = (expression, converters)
    return found


def prepare_tables(using: str = "default") -> None:
    """The settings' database cache tables on PostgreSQL: unlogged, and their values compressed
    with lz4 where the server has it (pglz took 0.5 ms to store a 22 KB page, lz4 0.2, the same
    size). createcachetable, which `migrate` and `polka upgrade` run, calls this."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    tables = {
        spec["LOCATION"]
        for spec in settings.CACHES.values()
        if spec["BACKEND"].endswith(".DatabaseCache")
    }
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
        lz4 = bool(row and row[0])
        for table in sorted(tables):
            cursor.execute(
                "SELECT c.relpersistence, a.attcompression FROM pg_class c "
                "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'value' "
                "WHERE c.oid = to_regclass(%s)",
                [table],
            )
            row = cursor.fetchone()
            if row is None:
                continue
            persistence, compression = row
            if persistence == "p":
                cursor.execute(f"ALTER TABLE {quote(table)} SET UNLOGGED")
            if lz4 and compression != "l":
                cursor.execute(f"ALTER TABLE {quote(table)} ALTER COLUMN value SET COMPRESSION lz4")
