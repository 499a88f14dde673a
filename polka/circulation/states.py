"""Loans and holds as state machines whose transitions are data: for each action, the states
it may start from, the state it leads to, and what the copy becomes (None: decided by where the
copy goes next, see services._dispose). services._transition is the one place that runs them."""

from __future__ import annotations

from dataclasses import dataclass

from polka.catalog.models import ItemStatus
from polka.circulation.models import HoldState, LoanState

# The state of a loan or hold not yet stored.
NEW = ""


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    item_status: str | None = None


LOAN_TRANSITIONS: dict[str, Transition] = {
    "checkout": Transition(frozenset({NEW}), LoanState.ACTIVE, ItemStatus.ON_LOAN),
    "renew": Transition(frozenset({LoanState.ACTIVE}), LoanState.ACTIVE),
    "checkin": Transition(frozenset({LoanState.ACTIVE, LoanState.LOST}), LoanState.RETURNED),
    "lose": Transition(frozenset({LoanState.ACTIVE}), LoanState.LOST, ItemStatus.LOST),
    "settle": Transition(frozenset({LoanState.LOST}), LoanState.LOST),
}

HOLD_TRANSITIONS: dict[str, Transition] = {
    "place": Transition(frozenset({NEW}), HoldState.WAITING),
    "suspend": Transition(frozenset({HoldState.WAITING}), HoldState.WAITING),
    "move": Transition(frozenset({HoldState.WAITING}), HoldState.WAITING),
    "trap": Transition(frozenset({HoldState.WAITING}), HoldState.READY, ItemStatus.ON_HOLD),
    "send": Transition(frozenset({HoldState.WAITING}), HoldState.IN_TRANSIT, ItemStatus.IN_TRANSIT),
    "receive": Transition(frozenset({HoldState.IN_TRANSIT}), HoldState.READY, ItemStatus.ON_HOLD),
    "collect": Transition(frozenset({HoldState.READY}), HoldState.COLLECTED, ItemStatus.ON_LOAN),
    "cancel": Transition(
        frozenset({HoldState.WAITING, HoldState.IN_TRANSIT, HoldState.READY}), HoldState.CANCELLED
    ),
    "expire": Transition(frozenset({HoldState.READY}), HoldState.EXPIRED),
    # The copy set aside turned out damaged: the hold keeps its place and waits again.
    "untrap": Transition(frozenset({HoldState.IN_TRANSIT, HoldState.READY}), HoldState.WAITING),
}

# Copies in these states can be lent at a desk (an ON_HOLD copy only to the reader it waits for).
LENDABLE = frozenset({ItemStatus.AVAILABLE, ItemStatus.ON_HOLD, ItemStatus.REFERENCE})
# Copies in these states can be neither held nor lent (a damaged one until it is repaired).
GONE = frozenset({ItemStatus.WITHDRAWN, ItemStatus.LOST, ItemStatus.DAMAGED})
