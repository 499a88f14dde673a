"""A prepared query answers as its queryset does: the same rows, field values converted, related
objects attached and annotations set, for every new value; and it refuses what the ORM refuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from polka.accounts.models import User
from polka.core.prepared import Prepared, PreparedIn, prefetched

pytestmark = pytest.mark.django_db


def _permission(codename: str) -> QuerySet[Permission]:
    siblings = Permission.objects.filter(content_type_id=OuterRef("content_type_id")).exclude(
        pk=OuterRef("pk")
    )
    return (
        Permission.objects.select_related("content_type")
        .annotate(has_siblings=Exists(siblings))
        .filter(codename=codename)[:1]
    )


PERMISSION = Prepared(_permission, codename=str)


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_each_value_gives_the_rows_the_queryset_gives() -> None:
    codenames = list(Permission.objects.values_list("codename", flat=True)[:5])
    assert len(codenames) == 5
    for codename in [*codenames, "no-such-permission"]:
        expected = list(_permission(codename))
        got = PERMISSION.rows(codename=codename)
        assert [_fields(p) for p in got] == [_fields(p) for p in expected]
        assert [p.has_siblings for p in got] == [p.has_siblings for p in expected]
        # The related object came with the row, as select_related gives it.
        assert [_fields(p.content_type) for p in got] == [_fields(p.content_type) for p in expected]


def _users(name: str, minimum: int) -> QuerySet[User]:
    return (
        User.objects.annotate(perms=Count("user_permissions"))
        .filter(Q(last_name=name) | Q(pk__lt=minimum))
        .order_by("username")
    )


USERS = Prepared(_users, name=str, minimum=int)


def test_values_of_several_arguments_and_converted_columns() -> None:
    joined = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    for name, family in (("anna", "Ivanova"), ("anton", "Ivanova"), ("boris", "Petrov")):
        User.objects.create_user(
            username=name, password="x" * 20, last_name=family, date_joined=joined
        )
    got = USERS.rows(name="Ivanova", minimum=0)
    assert [u.username for u in got] == ["anna", "anton"]
    # An aware datetime, as the ORM's converters give it on either engine.
    assert got[0].date_joined == joined and got[0].date_joined.tzinfo is not None
    assert [u.perms for u in got] == [0, 0]
    everyone = USERS.rows(name="zzz", minimum=10**9)
    assert [u.username for u in everyone] == [u.username for u in _users("zzz", 10**9)]
    assert len(everyone) == 3


def _locked(codename: str) -> QuerySet[Permission]:
    return Permission.objects.select_for_update().filter(codename=codename)


LOCKED = Prepared(_locked, codename=str)


def _refusal(run: Any) -> type[Exception] | None:
    try:
        run()
    except TransactionManagementError as refused:
        return type(refused)
    return None


@pytest.mark.django_db(transaction=True)
def test_a_row_lock_outside_a_transaction_is_refused_where_the_orm_refuses_it() -> None:
    with transaction.atomic():
        assert len(LOCKED.rows(codename="add_user")) == 1
    # PostgreSQL refuses FOR UPDATE in autocommit; SQLite has no row locks and runs it.
    orm = _refusal(lambda: list(_locked("add_user")))
    assert _refusal(lambda: LOCKED.rows(codename="add_user")) is orm


def test_a_builder_that_changes_its_value_is_refused_when_compiled() -> None:
    changing = Prepared(
        lambda codename: Permission.objects.filter(codename=codename.upper()), codename=str
    )
    with pytest.raises(ValueError, match="codename"):
        changing.rows(codename="add_user")


def _permissions_of(ids: list[int]) -> QuerySet[Permission]:
    return Permission.objects.filter(content_type_id__in=ids).order_by("pk")


PERMISSIONS_OF = PreparedIn(_permissions_of, most=3)


def test_lists_of_every_length_give_the_rows_the_queryset_gives() -> None:
    types = list(ContentType.objects.order_by("pk").values_list("pk", flat=True)[:5])
    for ids in ([], types[:1], types[:2], types[1:3], types[:3], types[2:5], types[:5]):
        expected = [_fields(p) for p in _permissions_of(ids)] if ids else []
        assert [_fields(p) for p in PERMISSIONS_OF.rows(ids)] == expected
    # A number given twice counts once; a list longer than `most` runs the queryset itself.
    assert PERMISSIONS_OF.rows([types[0], types[0]]) == PERMISSIONS_OF.rows([types[0]])
    assert sorted(PERMISSIONS_OF._by_length) == [1, 2, 3]


def _permissions_of_but(ids: list[int], codename: str) -> QuerySet[Permission]:
    return _permissions_of(ids).exclude(codename=codename)


PERMISSIONS_OF_BUT = PreparedIn(_permissions_of_but, most=2, codename=str)


def test_lists_with_further_arguments_give_the_rows_the_queryset_gives() -> None:
    types = list(ContentType.objects.order_by("pk").values_list("pk", flat=True)[:3])
    codenames = list(_permissions_of(types).values_list("codename", flat=True)[:3])
    for ids in (types[:1], types[:2], types[:3]):
        for codename in codenames:
            expected = [_fields(p) for p in _permissions_of_but(ids, codename)]
            assert [_fields(p) for p in PERMISSIONS_OF_BUT.rows(ids, codename=codename)] == expected
    assert sorted(PERMISSIONS_OF_BUT._by_length) == [1, 2]


def _names_of(ids: list[int]) -> QuerySet[Permission, tuple[int, str, str, str | None]]:
    return (
        Permission.objects.filter(content_type_id__in=ids)
        .order_by("codename")
        .values_list("pk", "codename", "content_type__app_label", "group__name")
    )


NAMES_OF = PreparedIn(_names_of, most=2)


def test_values_lists_give_the_tuples_the_queryset_gives_without_instances() -> None:
    types = list(ContentType.objects.order_by("pk").values_list("pk", flat=True)[:3])
    for ids in ([], types[:1], types[:2], types[:3]):  # the last one longer than `most`
        assert NAMES_OF.tuples(ids) == (list(_names_of(ids)) if ids else [])
    assert sorted(NAMES_OF._by_length) == [1, 2]
    # Instances and tuples are not mixed up, and other shapes of values are refused.
    with pytest.raises(TypeError, match="tuples"):
        NAMES_OF.rows(types[:1])
    with pytest.raises(TypeError, match="rows"):
        PERMISSIONS_OF.tuples(types[:1])
    for shape in (
        lambda: Permission.objects.values_list("codename", flat=True),
        lambda: Permission.objects.values("codename"),
        lambda: Permission.objects.annotate(n=Count("group")).values_list("codename", "n"),
    ):
        with pytest.raises(ValueError, match="values_list"):
            Prepared(shape).tuples()


def test_a_statement_not_run_gives_the_rows_of_the_query_as_one_text() -> None:
    codenames = Prepared(
        lambda model: (
            Permission.objects.filter(content_type__model=model)
            .order_by("pk")
            .values_list("pk", "codename")
        ),
        model=str,
    )
    for model in ("user", "group", "no-such-model"):
        with CaptureQueriesContext(connection) as ctx:
            statement = codenames.statement(model=model)
        assert ctx.captured_queries == []  # compiled, not run
        expected = "|".join(f"{pk}:{name}" for pk, name in codenames.tuples(model=model))
        assert statement.read_text() == expected
        assert statement.columns == ("pk", "codename")
    with pytest.raises(TypeError, match="values_list"):
        PERMISSION.statement(codename="add_user")


def test_rows_handed_to_their_owners_answer_as_prefetch_related_does() -> None:
    types = list(ContentType.objects.order_by("pk")[:4])
    ids = [t.pk for t in types]
    prefetched(types, "permission_set", PERMISSIONS_OF.rows(ids[:3]), by="content_type")
    orm = {
        t.pk: t for t in ContentType.objects.filter(pk__in=ids).prefetch_related("permission_set")
    }
    for owner in types[:3]:
        with CaptureQueriesContext(connection) as queries:
            mine = list(owner.permission_set.all())
            assert all(p.content_type is owner for p in mine)
        assert not queries.captured_queries
        assert [_fields(p) for p in mine] == [
            _fields(p) for p in orm[owner.pk].permission_set.all()
        ]
    # A filter on the handed rows is still a query about its owner's rows only.
    owner = types[0]
    first = owner.permission_set.order_by("pk").first()
    assert first is not None and first.content_type_id == owner.pk
    # Rows of no given owner are left out rather than failing.
    prefetched(types[:1], "permission_set", PERMISSIONS_OF.rows(ids[:2]), by="content_type")
    assert {p.content_type_id for p in types[0].permission_set.all()} <= {ids[0]}
