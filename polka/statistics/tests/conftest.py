"""Statistics fixtures: two branches open on weekdays, a staff member who may do everything in
both, and a methodist of the network."""

from __future__ import annotations

import datetime as dt

import pytest

from polka.org.models import Role
from polka.org.services import staff_user_create

AT = dt.datetime(2025, 1, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def everything(branch_a, branch_b):
    user, _password = staff_user_create(
        username="all", roles={Role.ADMINISTRATOR: [branch_a, branch_b]}, at=AT
    )
    return user


@pytest.fixture
def methodist(network):
    user, _password = staff_user_create(
        username="methodist", password="a-long-test-password",
        roles={Role.METHODIST: "all"}, at=AT,
    )  # fmt: skip
    return user
