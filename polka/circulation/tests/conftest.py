"""Circulation fixtures: two branches open Monday to Friday, a desk in each, readers registered
and records with copies, all through the apps' services (copies through the ORM, as catalogue
tests do)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from polka.accounts.models import User
from polka.catalog.models import Item, ItemStatus, Record
from polka.circulation.models import LoanRule
from polka.org import services as org
from polka.org.models import Branch, Role
from polka.readers.models import Reader
from polka.readers.tests.conftest import register

# A Wednesday; the test branches are open Monday to Friday.
AT = dt.datetime(2026, 11, 18, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 18)
PASSWORD = "a-long-test-password"
_numbers = itertools.count(1)


def desk_user(username: str, *branches: Branch) -> User:
    user, _ = org.staff_user_create(
        username=username, password=PASSWORD, roles={Role.DESK: list(branches)}, at=AT
    )
    return user


@pytest.fixture
def desk_a(branch_a: Branch) -> User:
    return desk_user("desk-a", branch_a)


@pytest.fixture
def desk_b(branch_b: Branch) -> User:
    return desk_user("desk-b", branch_b)


def make_reader(branch: Branch, **kwargs: Any) -> Reader:
    n = next(_numbers)
    kwargs.setdefault("last_name", f"Читатель{n}")
    kwargs.setdefault("email", f"reader{n}@example.org")
    return register(branch, **kwargs)


@pytest.fixture
def reader(branch_a: Branch) -> Reader:
    return make_reader(branch_a, first_name="Анна")


@pytest.fixture
def other_reader(branch_a: Branch) -> Reader:
    return make_reader(branch_a, first_name="Борис")


def make_record(title: str = "Война и мир", **kwargs: Any) -> Record:
    return Record.objects.create(
        format="marc21", source=b"", title=title, created_at=AT, updated_at=AT,
        languages=kwargs.pop("languages", ["rus"]), **kwargs,
    )  # fmt: skip


def make_item(record: Record, branch: Branch, **kwargs: Any) -> Item:
    kwargs.setdefault("barcode", f"B{next(_numbers):06d}")
    kwargs.setdefault("status", ItemStatus.AVAILABLE)
    return Item.objects.create(record=record, branch=branch, **kwargs)


@pytest.fixture
def record() -> Record:
    return make_record()


@pytest.fixture
def item(record: Record, branch_a: Branch) -> Item:
    return make_item(record, branch_a, barcode="1001")


def rule(**kwargs: Any) -> LoanRule:
    return LoanRule.objects.create(**kwargs)
