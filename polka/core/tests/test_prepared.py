"""A prepared query answers as its queryset does: the same rows, field values converted, related
objects attached and annotations set, for every new value; and it refuses what the ORM refuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.transaction import TransactionManagementError

from polka.accounts.models import User
from polka.core.prepared import Prepared

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
