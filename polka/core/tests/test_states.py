"""The transition runner itself: permission, the move, the audit record and the signal.

The subject is a reference question (the oldest machine kept as data); any Machine behaves alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from polka.core.errors import PermissionRefused
from polka.core.states import Machine, Rule, state_changed, transition
from polka.org.models import AuditEntry, Role
from polka.org.selectors import audit_entries_for
from polka.org.services import staff_user_create
from polka.reference.models import Question, State
from polka.reference.services import question_ask
from polka.reference.states import QUESTION

AT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # a Monday


def _staff(branch: Any, role: str, name: str) -> Any:
    user, _password = staff_user_create(
        username=name,
        email=f"{name}@library.example",
        full_name=name,
        roles={role: [branch]},
        at=AT,
    )
    return user


def _question(branch: Any) -> Question:
    return question_ask(
        text="Подберите литературу по истории нашего города",
        question_type="literature",
        purpose="study",
        depth="few",
        email="reader@example.org",
        name="Ирина",
        branch=branch,
        allow_publication=True,
        ip_address="192.0.2.1",
        at=AT,
    )


def test_a_transition_is_refused_without_the_staff_action_and_changes_nothing(branch_a) -> None:
    question = _question(branch_a)
    desk = _staff(branch_a, Role.DESK, "desk")
    with pytest.raises(PermissionRefused):
        transition(QUESTION, question, "take", by=desk, at=AT)
    question.refresh_from_db()
    assert question.state == State.NEW
    assert not audit_entries_for(obj=question).exists()


def test_a_move_the_table_does_not_allow_raises_the_apps_own_error(branch_a) -> None:
    question = _question(branch_a)
    librarian = _staff(branch_a, Role.REFERENCE, "ref")
    with pytest.raises(QUESTION.refused("close", question).__class__):
        transition(QUESTION, question, "close", by=librarian, at=AT)


def test_the_state_and_its_audit_record_are_written_in_one_transaction(branch_a) -> None:
    question = _question(branch_a)
    librarian = _staff(branch_a, Role.REFERENCE, "ref")
    with pytest.raises(RuntimeError), transaction.atomic():
        transition(QUESTION, question, "take", by=librarian, at=AT)
        raise RuntimeError("the rest of the service failed")
    question.refresh_from_db()
    assert (question.state, audit_entries_for(obj=question).count()) == (State.NEW, 0)

    moved = transition(QUESTION, question, "take", by=librarian, at=AT)
    entry = audit_entries_for(obj=question).get()
    assert moved.state == State.IN_WORK
    assert (entry.action, entry.actor, entry.branch) == (
        "reference.question.take",
        librarian,
        branch_a,
    )
    assert entry.details == {"from": State.NEW, "to": State.IN_WORK}


def test_the_signal_is_sent_once_the_change_is_committed(
    branch_a, django_capture_on_commit_callbacks
) -> None:
    question = _question(branch_a)
    heard: list[tuple[str, str]] = []

    def listen(sender: Any, **kwargs: Any) -> None:
        heard.append((kwargs["machine"], kwargs["target"]))

    state_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            transition(QUESTION, question, "take", by=None, at=AT)
            assert heard == []
    finally:
        state_changed.disconnect(listen)
    assert heard == [("reference.question", State.IN_WORK)]


def test_the_system_acting_alone_needs_no_permission(branch_a) -> None:
    machine = Machine(
        name="test.question",
        transitions={"take": Rule(frozenset({State.NEW}), State.IN_WORK, "reference.answer")},
        refused=QUESTION.refused,
    )
    question = transition(machine, _question(branch_a), "take", by=None, at=AT)
    assert question.state == State.IN_WORK
    assert AuditEntry.objects.filter(action="test.question.take", actor=None).count() == 1
