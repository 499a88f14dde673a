"""The /healthz report: database engine and search engine in use, and whether they answer."""

from __future__ import annotations

from typing import Any

from django.db import connection

from polka.search.engines import search_engine_status


def health_report() -> dict[str, Any]:
    database: dict[str, Any] = {"engine": connection.vendor, "ok": True}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # reported, not raised: this is what the endpoint is for
        database.update(ok=False, error=str(exc))
    status = search_engine_status()
    search: dict[str, Any] = {"engine": status.name, "ok": status.ok}
    if status.detail:
        search["error"] = status.detail
    return {"ok": database["ok"] and search["ok"], "database": database, "search": search}
