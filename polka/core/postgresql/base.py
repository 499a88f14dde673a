"""PostgreSQL with a health check that costs no round trip, and cursors for hot statements
that the server keeps prepared.

Persistent connections are checked before each request reuses them (CONN_HEALTH_CHECKS):
Django's check sends `SELECT 1` and waits for the answer, a round trip on every request, one
of the three or four a cached page makes. An idle connection has nothing to read: the server
speaks first only when it closes the connection (a restart, `pg_terminate_backend`, an idle
timeout: it sends the reason, then the end of the stream) or, rarely, with a notice. So an idle
connection whose socket has nothing to read is usable; one with something to read, or not idle,
is asked as Django asks.

Django binds values on the client and never prepares, so the server parses and plans every
statement anew: for a record page's record, authorships and copies, 0.14, 0.44 and 0.32 ms of
planning against 0.06, 0.15 and 0.07 ms of execution (1,000,000 records). `prepared_cursor()`
binds on the server and has each statement prepared once a connection (psycopg keeps the
latest 100); the rest of Django's queries stay as they are. A transaction-mode pooler older
than PgBouncer 1.21 does not carry prepared statements between transactions: POLKA_PG_PREPARED=0
(config/settings/env.py) gives plain cursors instead.
"""

from __future__ import annotations

import select
from typing import Any

from django.db.backends.postgresql import base, operations
from django.db.backends.utils import CursorWrapper
from psycopg import pq

# An OPTIONS key of ours, taken out before the rest reach psycopg.
PREPARED_OPTION = "polka_prepared"
# psycopg prepares a statement after this many runs; Django's default (None) turns preparing
# off for the connection altogether, prepare=True included. Django's own cursors bind on the
# client and never prepare whatever the number: only PreparedCursor does, on its first run.
_NEVER_BY_COUNT = 2**31 - 1


class PreparedCursor(base.ServerBindingCursor):
    """Binds its values on the server and has every statement prepared there."""

    def execute(
        self, query: Any, params: Any = None, *, prepare: bool | None = None, **kw: Any
    ) -> Any:
        return super().execute(query, params, prepare=True, **kw)  # type: ignore[misc]


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str:
        # What a statement was with its values, as for Django's cursors (the query log,
        # tests that count and EXPLAIN a page's queries): psycopg keeps no text of it.
        if isinstance(cursor, PreparedCursor):
            return str(self.compose_sql(sql, params))
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    prepared_statements = True

    def get_connection_params(self) -> dict[str, Any]:
        params = dict(super().get_connection_params())
        self.prepared_statements = bool(params.pop(PREPARED_OPTION, True))
        if self.prepared_statements and params.get("prepare_threshold") is None:
            params["prepare_threshold"] = _NEVER_BY_COUNT
        return params

    def prepared_cursor(self) -> CursorWrapper:
        """A cursor (Django's wrapper: logged, counted, errors translated) whose statements
        the server keeps parsed and planned; a plain one when POLKA_PG_PREPARED=0."""
        self.ensure_connection()
        if not self.prepared_statements:
            return self.cursor()
        cursor = PreparedCursor(self.connection)  # type: ignore[call-arg]
        # As Django's create_cursor: the time zone only where the connection's differs.
        loader = self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, pq.Format.TEXT)
        if self.timezone != getattr(loader, "timezone", None):
            base.register_tzloader(self.timezone, cursor)  # type: ignore[attr-defined]
        wrapped: CursorWrapper = self._prepare_cursor(cursor)  # type: ignore[attr-defined]
        return wrapped

    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return bool(super().is_usable())
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return bool(super().is_usable()) if readable else True
