"""Test fixtures for any app: a network and branches built through the org services.

Registered for the whole suite in the root conftest.py (`pytest_plugins`).
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from polka.org import services
from polka.org.models import Branch, BranchKind, Network

AT = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
WEEKDAYS_10_TO_19 = {wd: (time(10), time(19)) for wd in range(5)}


@pytest.fixture
def network(db: None) -> Network:
    return services.network_create(name="ЦБС города Энска", city="Энск", at=AT)


def make_branch(network: Network, code: str, **kwargs: object) -> Branch:
    branch = services.branch_create(
        network=network,
        code=code,
        name=str(kwargs.pop("name", f"Библиотека {code}")),
        kind=str(kwargs.pop("kind", BranchKind.BRANCH)),
        address=str(kwargs.pop("address", "ул. Ленина, 1")),
        at=AT,
    )
    services.opening_hours_set(branch=branch, week=WEEKDAYS_10_TO_19, by=None, at=AT)
    return branch


@pytest.fixture
def branch_a(network: Network) -> Branch:
    return make_branch(network, "a", name="Центральная библиотека", kind=BranchKind.CENTRAL)


@pytest.fixture
def branch_b(network: Network) -> Branch:
    return make_branch(network, "b", name="Библиотека-филиал № 2")
