"""Fixtures for the reference service: a branch open on weekdays and a reference librarian."""

from __future__ import annotations

import datetime as dt

import pytest

from polka.org.models import Role
from polka.org.services import staff_user_create

MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # 13:00 in Moscow


@pytest.fixture
def librarian(branch_a):
    user, _password = staff_user_create(
        username="ref",
        email="ref@library.example",
        full_name="Анна Справкина",
        roles={Role.REFERENCE: [branch_a]},
        at=MONDAY,
    )
    return user


@pytest.fixture
def ask(branch_a):
    from polka.reference.services import question_ask

    def _ask(**overrides):
        fields = {
            "text": "Подберите литературу по истории нашего города",
            "question_type": "literature",
            "purpose": "study",
            "depth": "few",
            "email": "reader@example.org",
            "name": "Ирина",
            "branch": branch_a,
            "allow_publication": True,
            "ip_address": "192.0.2.1",
            "at": MONDAY,
        }
        fields.update(overrides)
        return question_ask(**fields)

    return _ask
