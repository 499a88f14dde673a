"""Fast plain-row inserts for the importer, in portable SQL built from the model's metadata.

QuerySet.bulk_create compiles a placeholder expression per value, which costs more than the
database's own work when a batch has hundreds of rows of thirty columns. Here one INSERT is
built per table and run with executemany; each value still goes through its field's own
get_db_prep_save, so both engines get exactly what the ORM would send.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model


def rows_insert(model: type[Model], objs: Sequence[Model]) -> None:
    """INSERT model instances (no primary keys are read back; callers that need them look
    them up). No field's pre_save runs: auto_now and similar fields must be filled in."""
    values_insert(model, [obj.__dict__ for obj in objs])


def values_insert(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT rows given as {attname: value}; a missing column gets its field's default."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    # Only the model's own table and column names, quoted, go into the text; values are bound.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column or f.name) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    columns = [(f.attname, _converter(f), f.get_default()) for f in fields]
    params: list[list[Any]] = [
        [
            value if convert is None else convert(value, connection)
            for name, convert, default in columns
            for value in (row.get(name, default),)
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# Types both drivers take as they are (str, int, bool, None): converting them is pure overhead.
_PASS_THROUGH = frozenset(
    {
        "CharField",
        "TextField",
        "SlugField",
        "BooleanField",
        "SmallIntegerField",
        "PositiveSmallIntegerField",
        "IntegerField",
        "PositiveIntegerField",
        "BigIntegerField",
        "ForeignKey",
    }
)


def _converter(field: Any) -> Any:
    if field.get_internal_type() in _PASS_THROUGH:
        return None
    return field.get_db_prep_save


def mark_saved(obj: Model, pk: int, using: str = "default") -> None:
    """What Django does to an instance once its row exists: it has a key and is no longer new."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using
