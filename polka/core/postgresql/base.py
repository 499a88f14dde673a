"""PostgreSQL with a health check that costs no round trip.

Persistent connections are checked before each request reuses them (CONN_HEALTH_CHECKS):
Django's check sends `SELECT 1` and waits for the answer, a round trip on every request, one
of the three or four a cached page makes. An idle connection has nothing to read: the server
speaks first only when it closes the connection (a restart, `pg_terminate_backend`, an idle
timeout: it sends the reason, then the end of the stream) or, rarely, with a notice. So an idle
connection whose socket has nothing to read is usable; one with something to read, or not idle,
is asked as Django asks.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
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
