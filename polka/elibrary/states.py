"""The platform access request state machine as data (run by polka.core.states.transition).
The reader's home branch decides (elibrary.manage there), checked by the services."""

from __future__ import annotations

from typing import Any

from polka.core.states import Machine, Rule
from polka.elibrary.errors import ElibraryError
from polka.elibrary.models import AccessState as S

_ANY = frozenset(S.values)

TRANSITIONS = {
    "issue": Rule(_ANY, S.ISSUED),
    "refuse": Rule(_ANY, S.REFUSED),
}


def _refused(action: str, access: Any) -> ElibraryError:
    return ElibraryError()


ACCESS = Machine(
    name="elibrary.access",
    transitions=TRANSITIONS,
    refused=_refused,
    branch_of=lambda access: access.reader.home_branch,
)
