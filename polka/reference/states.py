"""The question state machine as data: which action leads from which states to which one."""

from __future__ import annotations

from typing import Any

from polka.core.states import Machine, Rule
from polka.reference.errors import TransitionNotAllowed
from polka.reference.models import State

ANSWER = "reference.answer"

TRANSITIONS: dict[str, Rule] = {
    "assign": Rule(frozenset({State.NEW, State.ASSIGNED, State.IN_WORK}), State.ASSIGNED, ANSWER),
    "take": Rule(frozenset({State.NEW, State.ASSIGNED}), State.IN_WORK, ANSWER),
    "answer": Rule(frozenset({State.NEW, State.ASSIGNED, State.IN_WORK}), State.ANSWERED, ANSWER),
    "decline": Rule(frozenset({State.NEW, State.ASSIGNED, State.IN_WORK}), State.DECLINED, ANSWER),
    "close": Rule(frozenset({State.ANSWERED}), State.CLOSED),
    # A follow-up from the asker reopens an answered (or closed) question.
    "reopen": Rule(frozenset({State.ANSWERED, State.CLOSED}), State.IN_WORK),
}

OPEN_STATES = frozenset({State.NEW, State.ASSIGNED, State.IN_WORK})


def _refused(action: str, question: Any) -> TransitionNotAllowed:
    return TransitionNotAllowed(action=action, state=str(question.get_state_display()))


QUESTION = Machine(name="reference.question", transitions=TRANSITIONS, refused=_refused)
