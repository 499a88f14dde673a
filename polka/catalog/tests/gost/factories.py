"""Records for the description tests, made through the ORM until the catalogue services land.

Only these tests use it; everything else creates records through polka.catalog.services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from polka.catalog.models import Person, Record, RecordAuthor

AT = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def make_record(
    *, people: tuple[tuple[str, str], ...] = (), source_bytes: bytes = b"", **fields: Any
) -> Record:
    """A record with `fields`, and `people` as (name, role) in order."""
    fields.setdefault("format", "marc21")
    record = Record.objects.create(source=source_bytes, created_at=AT, updated_at=AT, **fields)
    for position, (name, role) in enumerate(people):
        person, _ = Person.objects.get_or_create(name=name)
        RecordAuthor.objects.create(record=record, person=person, role=role, position=position)
    return record
