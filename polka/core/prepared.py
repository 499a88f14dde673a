"""Hot queries compiled once: a queryset's SQL kept and run again with new values.

Django compiles a queryset into SQL every time it runs it. For the queries a desk scan or a
self-service kiosk runs on every copy (a join, a sub-query, a row lock) compiling costs more
than the database's work: 2.7 of the 3.9 ms of the copy lookup. Like SQLAlchemy's compiled
cache, a Prepared query builds its queryset once per database connection with marker values in
place of the arguments, keeps the SQL and what the ORM learnt while compiling it (the columns,
their converters, the related models), and then runs that SQL with the real values, turning
the rows into model instances as the ORM's own iterator does (polka/core/tests/test_prepared.py
holds the two side by side).

Only for querysets whose SQL does not depend on the values (no `__in` over a list of varying
length, no value-dependent branches in the builder): a marker must reach the parameters as it
was given, which compiling checks. A `values_list()` queryset is read with `.tuples()`: its
rows come back as tuples of the named columns, converted, with no model instances at all.
"""

from __future__ import annotations

import datetime as dt
import itertools
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, models, router
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=models.Model)

_serial = itertools.count(1)


def _marker(kind: type) -> Any:
    """A value no caller passes, of the argument's type, found again among the parameters."""
    n = next(_serial)
    if kind is str:
        return f"\x1fpolka-prepared-{n}\x1f"
    if kind is int:
        return -(10**15) - n
    if kind is dt.date:
        return dt.date(1, 1, 1) + dt.timedelta(days=n)
    raise TypeError(f"Prepared queries take str, int and date arguments, not {kind.__name__}")


def prepared_cursor(connection: Any) -> Any:
    """A cursor whose statements the database keeps parsed and planned, where its backend
    offers one (polka/core/postgresql: same SQL, run again with new values), else a plain one."""
    make = getattr(connection, "prepared_cursor", None)
    return make() if make is not None else connection.cursor()


def _adapter(marker: Any, connection: Any) -> Callable[[Any], Any] | None:
    """How the ORM hands a value of the marker's type to the driver (SQLite gets dates as
    text)."""
    if isinstance(marker, dt.date):
        adapt: Callable[[Any], Any] = connection.ops.adapt_datefield_value
        return adapt
    return None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    # argument name -> its positions among the parameters, and how its value is adapted there
    slots: dict[str, tuple[tuple[int, Callable[[Any], Any] | None], ...]]
    converters: list[tuple[int, list[Any], Any]]
    model: type[models.Model]
    init_list: list[str]
    fields: tuple[int, int]  # the main model's columns: start, end
    populators: list[Any]
    annotations: tuple[tuple[str, int], ...]
    locks: bool  # SELECT ... FOR UPDATE: only inside a transaction, as the ORM insists
    tuples: bool  # a values_list() queryset: rows are tuples of its columns, not instances
    columns: tuple[str, ...] = ()  # a values_list() queryset's column names


@dataclass(frozen=True)
class Statement:
    """A prepared values_list() query with its values, not run: for a caller that reads its
    rows inside a statement of its own (the page cache reads a page's version with the page)."""

    alias: str
    sql: str
    params: tuple[Any, ...]
    columns: tuple[str, ...]

    def text_sql(self) -> tuple[str, list[Any]]:
        """A scalar sub-query giving the rows as one text (NULL for none): each row's columns
        joined by ':', the rows by '|', in the query's order. Two sets of rows give two texts
        unless a value holds a separator."""
        connection = connections[self.alias]
        quote = connection.ops.quote_name
        row = " || ':' || ".join(f"coalesce(CAST(v.{quote(c)} AS TEXT), '')" for c in self.columns)
        joined = "string_agg" if connection.vendor == "postgresql" else "group_concat"
        return f"(SELECT {joined}({row}, '|') FROM ({self.sql}) v)", list(self.params)  # noqa: S608

    def read_text(self) -> str:
        """The rows as one text (text_sql), read on their own."""
        sql, params = self.text_sql()
        with connections[self.alias].cursor() as cursor:
            cursor.execute(f"SELECT {sql}", params)
            row = cursor.fetchone()
        return str(row[0] or "")


class Prepared(Generic[M]):
    """`Prepared(build, barcode=str)` compiles `build(barcode=<marker>)` once per connection;
    `.rows(barcode="123")` returns the instances the queryset `build(barcode="123")` would
    (`.tuples(...)` the tuples, for a `values_list()` queryset).

    On PostgreSQL the server keeps the statement planned (prepared_cursor); `replanned=True`
    has it planned again for each run's values, for a query whose best plan depends on them
    (one plan for every value is chosen after five runs)."""

    def __init__(
        self,
        build: Callable[..., models.QuerySet[M, Any]],
        *,
        replanned: bool = False,
        **arguments: type,
    ) -> None:
        self.build = build
        self.replanned = replanned
        self.markers = {name: _marker(kind) for name, kind in arguments.items()}
        self._compiled: weakref.WeakKeyDictionary[Any, _Compiled] = weakref.WeakKeyDictionary()
        self._target: tuple[type[models.Model], bool] | None = None  # the model; for writing?

    def _alias(self) -> str:
        """The database the queryset would run on, without building it again (the router,
        as QuerySet.db asks it)."""
        if self._target is None:
            template = self.build(**self.markers)
            self._target = (template.model, bool(getattr(template, "_for_write", False)))
        model, for_write = self._target
        return router.db_for_write(model) if for_write else router.db_for_read(model)

    def _compile(self) -> _Compiled:
        queryset = self.build(**self.markers)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = {}
        for name, marker in self.markers.items():
            adapt = _adapter(marker, compiler.connection)
            given = marker if adapt is None else adapt(marker)
            slots[name] = tuple((i, adapt) for i, value in enumerate(params) if value == given)
        missing = [name for name, found in slots.items() if not found]
        if missing:
            raise ValueError(f"the values of {missing} do not reach the SQL as they are given")
        klass_info = compiler.klass_info
        select = compiler.select
        converters = [
            (pos, convs, expr)
            for pos, (convs, expr) in compiler.get_converters([c[0] for c in select]).items()
        ]
        locks = bool(queryset.query.select_for_update)
        if queryset._iterable_class is not ModelIterable:  # values_list(): columns as named
            plain = queryset._iterable_class is ValuesListIterable  # not flat, named or dicts
            if not plain or queryset.query.extra_select or queryset.query.annotation_select:
                raise ValueError("a prepared query of values is a values_list() of fields")
            return _Compiled(
                sql, tuple(params), slots, converters, queryset.model, [], (0, len(select)),
                [], (), locks, tuples=True,
                # as the SQL names them: the alias values_list() gave, or the column's own name
                columns=tuple(alias or column.target.column for column, _sql, alias in select),
            )  # fmt: skip
        columns = klass_info["select_fields"]
        start, end = columns[0], columns[-1] + 1
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            converters=converters,
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[start:end]],
            fields=(start, end),
            # Django 5.2 takes three arguments; the stubs already follow 6.0's four.
            populators=get_related_populators(klass_info, select, queryset.db),  # type: ignore[call-arg]
            annotations=tuple(compiler.annotation_col_map.items()),
            locks=locks,
            tuples=False,
        )

    def _compiled_for(self, alias: str) -> _Compiled:
        connection = connections[alias]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile()
        return compiled

    @staticmethod
    def _params(compiled: _Compiled, values: dict[str, Any]) -> list[Any]:
        params = list(compiled.params)
        for name, positions in compiled.slots.items():
            for i, adapt in positions:
                params[i] = values[name] if adapt is None else adapt(values[name])
        return params

    def statement(self, **values: Any) -> Statement:
        """The SQL and parameters `tuples(**values)` would run, not run."""
        alias = self._alias()
        compiled = self._compiled_for(alias)
        if not compiled.tuples:
            raise TypeError("statement() takes a values_list() queryset")
        return Statement(
            alias, compiled.sql, tuple(self._params(compiled, values)), compiled.columns
        )

    def _fetch(self, tuples: bool, values: dict[str, Any]) -> tuple[_Compiled, str, list[Any]]:
        """Run the SQL with `values`: the compiled query, the alias, and the rows with their
        columns converted as the ORM converts them."""
        alias = self._alias()
        connection = connections[alias]
        compiled = self._compiled_for(alias)
        if compiled.tuples != tuples:
            raise TypeError(
                "a values_list() queryset is read with tuples(), any other with rows()"
                if compiled.tuples
                else "tuples() reads a values_list() queryset; this one gives instances: rows()"
            )
        if (
            compiled.locks
            and connection.features.has_select_for_update
            and connection.get_autocommit()
        ):
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = self._params(compiled, values)
        cursor = connection.cursor() if self.replanned else prepared_cursor(connection)
        with cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        if not compiled.converters:
            return compiled, alias, fetched
        converted = []
        for raw in fetched:
            row = list(raw)
            for pos, convs, expression in compiled.converters:
                value = row[pos]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[pos] = value
            converted.append(row)
        return compiled, alias, converted

    def rows(self, **values: Any) -> list[M]:
        compiled, alias, fetched = self._fetch(False, values)
        start, end = compiled.fields
        found: list[M] = []
        for row in fetched:
            obj = compiled.model.from_db(alias, compiled.init_list, row[start:end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, pos in compiled.annotations:
                setattr(obj, name, row[pos])
            found.append(obj)  # type: ignore[arg-type]
        return found

    def tuples(self, **values: Any) -> list[tuple[Any, ...]]:
        """The rows of a `values_list()` queryset, as it gives them."""
        return [tuple(row) for row in self._fetch(True, values)[2]]


class PreparedIn(Generic[M]):
    """`PreparedIn(build, exclude=int)`: `build(ids, exclude=...)` is a queryset filtered by a
    list of whole numbers whose length varies (a page of hits, a record's people), and by
    further arguments typed as for Prepared: compiled once per length, up to `most`; a longer
    list runs the queryset as it is. `.rows(ids, exclude=5)` gives what
    `build(ids, exclude=5)` gives, each id counted once."""

    def __init__(
        self,
        build: Callable[..., models.QuerySet[M, Any]],
        most: int = 100,
        *,
        replanned: bool = False,
        **arguments: type,
    ) -> None:
        self.build = build
        self.most = most
        self.replanned = replanned
        self.arguments = arguments
        self._by_length: dict[int, Prepared[M]] = {}

    def _prepared(self, length: int) -> Prepared[M]:
        names = [f"id_{n}" for n in range(length)]
        others = list(self.arguments)

        def build(**values: Any) -> models.QuerySet[M, Any]:
            return self.build(
                [values[name] for name in names], **{name: values[name] for name in others}
            )

        return Prepared(
            build, replanned=self.replanned, **dict.fromkeys(names, int), **self.arguments
        )

    def _for(self, ids: Iterable[int]) -> tuple[list[int], Prepared[M] | None]:
        """The ids, each once, and the prepared query for their number (None: too many)."""
        unique = list(dict.fromkeys(ids))
        if not unique or len(unique) > self.most:
            return unique, None
        prepared = self._by_length.get(len(unique))
        if prepared is None:
            prepared = self._by_length[len(unique)] = self._prepared(len(unique))
        return unique, prepared

    @staticmethod
    def _values(unique: list[int], values: dict[str, Any]) -> dict[str, Any]:
        return {**{f"id_{n}": value for n, value in enumerate(unique)}, **values}

    def rows(self, ids: Iterable[int], **values: Any) -> list[M]:
        unique, prepared = self._for(ids)
        if not unique:
            return []
        if prepared is None:
            return list(self.build(unique, **values))
        return prepared.rows(**self._values(unique, values))

    def tuples(self, ids: Iterable[int], **values: Any) -> list[tuple[Any, ...]]:
        """For a `values_list()` queryset: its rows as tuples."""
        unique, prepared = self._for(ids)
        if not unique:
            return []
        if prepared is None:
            return [tuple(row) for row in self.build(unique, **values)]
        return prepared.tuples(**self._values(unique, values))


def prefetched(owners: Iterable[models.Model], name: str, rows: Iterable[Any], by: str) -> None:
    """Hand each owner its `rows` (those whose `by` field holds the owner's key) as
    `owner.<name>.all()`, as prefetch_related would have, each row's `by` object set to its
    owner: for related rows a prepared query read."""
    owners = list(owners)
    grouped: dict[Any, list[Any]] = {owner.pk: [] for owner in owners}
    for row in rows:
        mine = grouped.get(getattr(row, row._meta.get_field(by).attname))
        if mine is not None:  # an owner deleted between the two reads
            mine.append(row)
    if not owners:
        return
    # What `owner.<name>.all()` builds (Django's RelatedManager._apply_rel_filters), without a
    # related manager and two querysets per owner (1.45 -> 0.53 ms for twenty hits): the filter
    # on the owner stays deferred until someone filters the handed rows again.
    manager = getattr(owners[0], name)
    field, default = manager.field, manager.model._default_manager
    target = field.target_field.attname
    for owner in owners:
        mine = grouped[owner.pk]
        for row in mine:
            row._state.fields_cache[by] = owner
        related = default.get_queryset()
        related._add_hints(instance=owner)
        related._deferred_filter = (False, (), {field.name: owner})
        related._known_related_objects = {field: {getattr(owner, target): owner}}
        related._result_cache = mine
        related._prefetch_done = True
        owner.__dict__.setdefault("_prefetched_objects_cache", {})[name] = related
