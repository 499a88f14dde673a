"""Fast plain-row inserts for the importer, in portable SQL built from the model's metadata.

QuerySet.bulk_create compiles a placeholder expression per value, which costs more than the
database's own work when a batch has hundreds of rows of thirty columns. Here one INSERT is
built per table and run with executemany; each value still goes through its field's own
get_db_prep_save, so both engines get exactly what the ORM would send.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Model

M = TypeVar("M", bound=Model)


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
    columns = [(f.attname, _converter(f, connection), f.get_default()) for f in fields]
    params: list[list[Any]] = [
        [
            value if convert is None else convert(value)
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


def _converter(field: Any, connection: Any) -> Callable[[Any], Any] | None:
    """What turns one value of the field into the parameter the ORM would send; None when the
    value goes as it is."""
    kind = field.get_internal_type()
    if kind in _PASS_THROUGH:
        return None
    if kind == "JSONField":
        return _json_converter(field.encoder, connection)
    # Other types (dates, times): the rows of one batch mostly share a value (the import's
    # time), converted once.
    return _last_kept(lambda value: field.get_db_prep_save(value, connection))


def _json_converter(encoder: Any, connection: Any) -> Callable[[Any], Any]:
    """JSONField.get_db_prep_save for a plain value (None is SQL NULL), without its checks for
    expressions and lookups; an empty list, most of a record's five, adapted once."""
    adapt = connection.ops.adapt_json_value
    empty = adapt([], encoder)

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if value == [] and type(value) is list:
            return empty
        return adapt(value, encoder)

    return convert


def _last_kept(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert` that gives the last answer again for the very same (immutable) value."""
    last: list[Any] = [object(), None]

    def converted(value: Any) -> Any:
        if value is not last[0]:
            last[:] = [value, convert(value)]
        return last[1]

    return converted


def unsaved(model: type[M], values: dict[str, Any]) -> M:
    """model(**values) for values by attname (a foreign key by its id), each missing field at
    its default: passed by position, which skips Model.__init__'s keyword handling (10 µs a
    Record against 32; an import makes a thousand a batch)."""
    return model(
        *[
            values[field.attname] if field.attname in values else field.get_default()
            for field in model._meta.concrete_fields
        ]
    )


def mark_saved(obj: Model, pk: int, using: str = "default") -> None:
    """What Django does to an instance once its row exists: it has a key and is no longer new."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using
