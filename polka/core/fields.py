"""Model fields the project's tables need beyond Django's own."""

from __future__ import annotations

from typing import Any

from django.db import models


class RowidOneToOneField(models.OneToOneField[Any]):
    """A one-to-one primary key that SQLite stores as the table's rowid.

    Django declares a key to a BigAutoField `bigint`, and on SQLite only a column declared
    exactly INTEGER PRIMARY KEY is the rowid: any other key is a separate index, so every
    lookup by it is two B-tree searches (the index, then the row) instead of one. The values
    are the same 64-bit integers either way; other engines get Django's own type."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)
