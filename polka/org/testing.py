"""Test fixtures for any app: a network and branches built through the org services.

Registered for the whole suite in the root conftest.py (`pytest_plugins`).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from polka.org import services
from polka.org.models import Branch, BranchKind, Network
from polka.org.selectors import branch_is_open

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


def next_open_start(*branches: Branch, after_days: int = 1) -> datetime:
    """Noon of the first day, `after_days` from today on, on which every branch is open (the
    calendar's say): a test run on 1 January must not plan on a holiday."""
    day = timezone.localdate() + timedelta(days=after_days)
    while not all(branch_is_open(branch=b, on=day) for b in branches):
        day += timedelta(days=1)
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())
