"""The course application state machine as data (run by polka.core.states.transition). The
organiser's right (events.manage) is checked by the services; a decision may be changed."""

from __future__ import annotations

from typing import Any

from polka.core.states import Machine, Rule
from polka.courses.errors import CourseError
from polka.courses.models import ApplicationState as S

_ANY = frozenset(S.values)

TRANSITIONS = {
    "accept": Rule(_ANY, S.ACCEPTED),
    "decline": Rule(_ANY, S.DECLINED),
}


def _refused(action: str, application: Any) -> CourseError:
    return CourseError()


APPLICATION = Machine(
    name="courses.application",
    transitions=TRANSITIONS,
    refused=_refused,
    branch_of=lambda application: None,
)
