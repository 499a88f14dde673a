"""Readers' fixtures: desks in two branches and a helper that registers through the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from polka.accounts.models import User
from polka.consents.texts import PERSONAL_DATA
from polka.org import services as org
from polka.org.models import Branch, Role
from polka.readers.models import Reader
from polka.readers.services import GuardianData, reader_register

AT = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
PASSWORD = "a-long-test-password"


def desk_user(username: str, branch: Branch) -> User:
    user, _ = org.staff_user_create(
        username=username, password=PASSWORD, roles={Role.DESK: [branch]}, at=AT
    )
    return user


@pytest.fixture
def desk_a(branch_a: Branch) -> User:
    return desk_user("desk-a", branch_a)


@pytest.fixture
def desk_b(branch_b: Branch) -> User:
    return desk_user("desk-b", branch_b)


def register(branch: Branch, **kwargs: Any) -> Reader:
    values: dict[str, Any] = {
        "last_name": "Иванова",
        "first_name": "Анна",
        "middle_name": "Петровна",
        "birth_date": dt.date(1990, 5, 17),
        "home_branch": branch,
        "consents": [PERSONAL_DATA],
        "at": AT,
    }
    values.update(kwargs)
    return reader_register(**values)


def register_child(branch: Branch, **kwargs: Any) -> Reader:
    kwargs.setdefault("first_name", "Маша")
    kwargs.setdefault("birth_date", dt.date(2018, 3, 1))
    kwargs.setdefault("category", "child")
    kwargs.setdefault("guardians", [GuardianData(full_name="Иванова Анна Петровна")])
    return register(branch, **kwargs)
