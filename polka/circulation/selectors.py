"""Reads of circulation: the desk's reader summary, a reader's loans and holds with queue
positions, a record's availability per branch, and the daily holds list of a branch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, QuerySet

from polka.catalog.models import Item, ItemStatus, Record
from polka.circulation.models import (
    OPEN_HOLD_STATES,
    Hold,
    HoldState,
    Loan,
    LoanRule,
    LoanState,
    Transit,
)
from polka.circulation.policies import rule_for
from polka.circulation.services import (
    HEAVY_RECORD_FIELDS,
    reader_blocks,
    standing_of,
)
from polka.circulation.states import GONE
from polka.org.models import Branch
from polka.readers.models import Reader
from polka.readers.selectors import reader_needs_own_consent


def reader_loans(*, reader: Reader) -> QuerySet[Loan]:
    return (
        Loan.objects.filter(reader=reader, state__in=[LoanState.ACTIVE, LoanState.LOST])
        .select_related("item__record", "item__branch", "branch")
        .defer(*HEAVY_RECORD_FIELDS)
        .order_by("due_on", "pk")
    )


def reader_history(*, reader: Reader) -> QuerySet[Loan]:
    """Returned loans kept because the reader opted in to a reading history."""
    return (
        Loan.objects.filter(reader=reader, state=LoanState.RETURNED)
        .select_related("item__record")
        .order_by("-returned_at", "-pk")
    )


def hold_position(*, hold: Hold) -> int:
    """1 for the first in the queue for its record."""
    before = Hold.objects.filter(record_id=hold.record_id, state=HoldState.WAITING).filter(
        Q(placed_at__lt=hold.placed_at) | Q(placed_at=hold.placed_at, pk__lt=hold.pk)
    )
    return before.count() + 1


def reader_holds(*, reader: Reader) -> list[Hold]:
    """Open holds, each with `position` in its queue (waiting ones)."""
    holds = list(
        Hold.objects.filter(reader=reader, state__in=OPEN_HOLD_STATES)
        .select_related("record", "pickup_branch", "item")
        .order_by("placed_at", "pk")
    )
    for hold in holds:
        hold.position = hold_position(hold=hold) if hold.state == HoldState.WAITING else 0  # type: ignore[attr-defined]
    return holds


@dataclass
class ReaderSummary:
    reader: Reader
    loans: list[Loan]
    holds: list[Hold]
    blocks: list[str]
    needs_consent: bool
    rule: LoanRule
    overdue: int = field(default=0)

    @property
    def holds_ready(self) -> list[Hold]:
        return [h for h in self.holds if h.state == HoldState.READY]


def reader_summary(*, reader: Reader, branch: Branch, on: dt.date) -> ReaderSummary:
    """What the desk sees after scanning a card."""
    loans = list(reader_loans(reader=reader))
    for loan in loans:
        loan.overdue_days = max(0, (on - loan.due_on).days) if loan.state == LoanState.ACTIVE else 0  # type: ignore[attr-defined]
    rule = rule_for(branch_id=branch.pk, category=reader.category_id, item_type="")
    # The open loans just read say what reader_standing would ask the database again.
    blocks = reader_blocks(reader=reader, rule=rule, today=on, standing=standing_of(loans))
    return ReaderSummary(
        reader=reader,
        loans=loans,
        holds=reader_holds(reader=reader),
        blocks=blocks,
        needs_consent=reader_needs_own_consent(reader=reader, on=on),
        rule=rule,
        overdue=sum(1 for loan in loans if loan.state == LoanState.ACTIVE and loan.due_on < on),
    )


@dataclass(frozen=True)
class BranchAvailability:
    branch_id: int
    branch_code: str
    branch_name: str
    on_shelf: int
    on_loan: int
    next_due: dt.date | None
    other: int


@dataclass(frozen=True)
class RecordAvailability:
    record_id: int
    branches: list[BranchAvailability]
    holds_waiting: int


def record_availability(*, record: Record) -> RecordAvailability:
    """Per branch: copies on the shelf, on loan (with the nearest due date), otherwise away;
    and how many holds wait for the record. Three queries."""
    rows = (
        Item.objects.filter(record=record)
        .exclude(status=ItemStatus.WITHDRAWN)
        .values("branch_id", "branch__code", "branch__short_name", "branch__name")
        .annotate(
            on_shelf=Count("pk", filter=Q(status=ItemStatus.AVAILABLE)),
            on_loan=Count("pk", filter=Q(status=ItemStatus.ON_LOAN)),
            total=Count("pk"),
        )
        .order_by("branch__name")
    )
    due = dict(
        Loan.objects.filter(item__record=record, state=LoanState.ACTIVE)
        .values("item__branch_id")
        .annotate(next_due=Min("due_on"))
        .values_list("item__branch_id", "next_due")
    )
    branches = [
        BranchAvailability(
            branch_id=row["branch_id"],
            branch_code=row["branch__code"],
            branch_name=row["branch__short_name"] or row["branch__name"],
            on_shelf=row["on_shelf"],
            on_loan=row["on_loan"],
            next_due=due.get(row["branch_id"]),
            other=row["total"] - row["on_shelf"] - row["on_loan"],
        )
        for row in rows
    ]
    waiting = Hold.objects.filter(record=record, state=HoldState.WAITING).count()
    return RecordAvailability(record_id=record.pk, branches=branches, holds_waiting=waiting)


@dataclass(frozen=True)
class PullRow:
    hold: Hold
    items: list[Item]


@dataclass
class HoldsList:
    """A branch's day: copies to pull from its shelves for waiting holds, holds on its shelf,
    copies on their way to it."""

    pull: list[PullRow]
    ready: list[Hold]
    incoming: list[Transit]


def holds_list(*, branch: Branch, on: dt.date) -> HoldsList:
    waiting = (
        Hold.objects.filter(state=HoldState.WAITING)
        .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lte=on))
        .select_related("record", "reader", "pickup_branch", "item")
        .order_by("placed_at", "pk")
    )
    shelf = Item.objects.filter(branch=branch, status=ItemStatus.AVAILABLE)
    waiting = waiting.filter(record_id__in=shelf.values("record_id"))
    available: dict[int, list[Item]] = {}
    for item in shelf.filter(record_id__in=waiting.values("record_id")).order_by("shelf_mark"):
        available.setdefault(item.record_id, []).append(item)
    pull: list[PullRow] = []
    taken: set[int] = set()
    for hold in waiting:
        candidates = [
            i
            for i in available.get(hold.record_id, [])
            if i.pk not in taken and (not hold.specific or i.pk == hold.item_id)
        ]
        if candidates:
            taken.add(candidates[0].pk)
            pull.append(PullRow(hold=hold, items=candidates[:1]))
    ready = list(
        Hold.objects.filter(pickup_branch=branch, state=HoldState.READY)
        .select_related("record", "reader", "item")
        .order_by("expires_on", "pk")
    )
    incoming = list(
        Transit.objects.filter(to_branch=branch, received_at__isnull=True)
        .select_related("item__record", "from_branch")
        .order_by("sent_at")
    )
    return HoldsList(pull=pull, ready=ready, incoming=incoming)


def transit_for_slip(*, transit_id: int) -> Transit | None:
    return (
        Transit.objects.filter(pk=transit_id)
        .select_related("item__record", "from_branch", "to_branch", "hold__reader")
        .first()
    )


def loans_today(*, reader: Reader, branch: Branch, on: dt.date) -> list[Loan]:
    """What a receipt lists: the reader's loans made today at this branch."""
    return list(
        reader_loans(reader=reader).filter(branch=branch, lent_at__date=on, state=LoanState.ACTIVE)
    )


def record_copies_to_hold(*, record: Record) -> list[Item]:
    """The copies a reader may ask for by name (a volume, an edition on the shelf of one
    branch): all but the withdrawn, lost and damaged ones."""
    return list(
        Item.objects.filter(record=record)
        .exclude(status__in=GONE)
        .select_related("branch")
        .order_by("branch__name", "shelf_mark", "barcode")
    )
