"""Which full-text engine serves search, and whether it works. Engines arrive with search."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection


@dataclass(frozen=True)
class EngineStatus:
    name: str
    ok: bool
    detail: str = ""


def search_engine_name() -> str:
    configured = getattr(settings, "POLKA_SEARCH_ENGINE", "auto")
    if configured != "auto":
        return str(configured)
    return "postgresql-fts" if connection.vendor == "postgresql" else "sqlite-fts5"


def search_engine_status() -> EngineStatus:
    name = search_engine_name()
    try:
        with connection.cursor() as cursor:
            if name == "sqlite-fts5":
                cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
                ok = bool(cursor.fetchone()[0])
                return EngineStatus(name, ok, "" if ok else "SQLite built without FTS5")
            cursor.execute("SELECT to_tsvector('russian', 'книги')")
            return EngineStatus(name, True)
    except Exception as exc:  # health checks report, never raise
        return EngineStatus(name, False, str(exc))
