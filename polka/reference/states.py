"""The question state machine as data: which action leads from which states to which one."""

from __future__ import annotations

from dataclasses import dataclass

from polka.reference.models import State


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str


TRANSITIONS: dict[str, Rule] = {
    "assign": Rule(frozenset({State.NEW, State.ASSIGNED, State.IN_WORK}), State.ASSIGNED),
    "take": Rule(frozenset({State.NEW, State.ASSIGNED}), State.IN_WORK),
    "answer": Rule(frozenset({State.NEW, State.ASSIGNED, State.IN_WORK}), State.ANSWERED),
    "decline": Rule(frozenset({State.NEW, State.ASSIGNED, State.IN_WORK}), State.DECLINED),
    "close": Rule(frozenset({State.ANSWERED}), State.CLOSED),
    # A follow-up from the asker reopens an answered (or closed) question.
    "reopen": Rule(frozenset({State.ANSWERED, State.CLOSED}), State.IN_WORK),
}

OPEN_STATES = frozenset({State.NEW, State.ASSIGNED, State.IN_WORK})
