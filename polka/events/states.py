"""The registration state machine as data (run by polka.core.states.transition). Who may act is
checked by the services (a visitor cancels by their own link; the system promotes)."""

from __future__ import annotations

from typing import Any

from polka.core.states import Machine, Rule
from polka.events.errors import RegistrationAlreadyCancelled
from polka.events.models import RegistrationState as S

TRANSITIONS = {
    "cancel": Rule(frozenset({S.REGISTERED, S.WAITLISTED}), S.CANCELLED),
    "promote": Rule(frozenset({S.WAITLISTED}), S.REGISTERED),
}


def _refused(action: str, registration: Any) -> RegistrationAlreadyCancelled:
    return RegistrationAlreadyCancelled()


REGISTRATION = Machine(
    name="events.registration",
    transitions=TRANSITIONS,
    refused=_refused,
    branch_of=lambda registration: registration.event.branch,
)
