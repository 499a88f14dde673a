"""Changes in lending: lend, return, renew, holds, transit, lost copies, in-library use and
visits. Every change runs in one transaction that locks what it changes, always in the order
reader → copy → loan → hold (so two desks never deadlock), goes through _transition (check →
set → save → audit), and writes its statistical fact in the same transaction. On SQLite a
checkout is judged before its transaction and checked again inside it (loan_checkout).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polka.catalog.models import Item, ItemStatus, Record
from polka.circulation.cache import cache_seconds, cached
from polka.circulation.errors import (
    AgeRestricted,
    BranchClosed,
    CirculationError,
    HoldNotFound,
    HoldRefused,
    ItemAlreadyOnLoan,
    ItemDamaged,
    ItemHeldForAnother,
    ItemNotFound,
    ItemNotLendable,
    ItemNotOnLoan,
    LoanLimitReached,
    ReaderBlocked,
    ReaderNotFound,
    ReadingRoomOnly,
    RenewalRefused,
    TransitionNotAllowed,
)
from polka.circulation.models import (
    OPEN_HOLD_STATES,
    Event,
    Fact,
    FactKind,
    Hold,
    HoldState,
    Loan,
    LoanRule,
    LoanState,
    Settlement,
    Transit,
)
from polka.circulation.policies import age_band, age_mark_refuses, rule_for
from polka.circulation.states import (
    GONE,
    HOLD_TRANSITIONS,
    LENDABLE,
    LOAN_TRANSITIONS,
    NEW,
    Transition,
)
from polka.core.prepared import Prepared
from polka.notices.models import Notice
from polka.notices.services import notice_render, notice_send
from polka.org.calendar import BranchCalendar, days_between
from polka.org.models import Branch
from polka.org.policies import staff_require
from polka.org.selectors import branch_calendar, branch_open_on_or_after
from polka.readers.models import Reader
from polka.readers.policies import age_on
from polka.readers.selectors import reader_registered_in
from polka.search.indexing import index_records

AnyUser = AbstractBaseUser | AnonymousUser
CHECKOUT = "circulation.checkout"
# How far ahead of a due date the reminder goes out.
DUE_SOON_DAYS = 3


def _require_aware(at: dt.datetime) -> None:
    if timezone.is_naive(at):
        raise ValueError("circulation services need an aware datetime")


def _user_id(by: AnyUser | None) -> int | None:
    return by.pk if by is not None and by.is_authenticated else None


def _check(error: CirculationError, override: str, overridden: list[str]) -> None:
    """Raise `error` unless it is a rule the librarian set aside with a reason."""
    if error.overridable and override:
        overridden.append(error.message)
        return
    raise error


def _transition(
    obj: Loan | Hold,
    table: dict[str, Transition],
    action: str,
    *,
    at: dt.datetime,
    by: AnyUser | None,
    branch: Branch | None,
    item: Item | None = None,
    fields: tuple[str, ...] = (),
    override: str = "",
    note: str = "",
) -> None:
    rule = table[action]
    before = obj.state if obj.pk is not None else NEW
    if before not in rule.sources:
        raise TransitionNotAllowed(action=action, state=before)
    obj.state = rule.target
    if obj.pk is None:
        obj.save()
    else:
        obj.save(update_fields=["state", *fields])
    if rule.item_status is not None and item is not None:
        _item_status(item, rule.item_status)
    Event.objects.create(
        at=at,
        action=action,
        loan=obj if isinstance(obj, Loan) else None,
        hold=obj if isinstance(obj, Hold) else None,
        item=item,
        from_state=before,
        to_state=rule.target,
        branch=branch,
        by_id=_user_id(by),
        override=override[:300],
        note=note[:300],
    )


def _item_status(item: Item, status: str) -> None:
    """Set a copy's status; when that flips whether its record has a copy on the shelf in
    the copy's branch, the search document is reindexed (which also invalidates the search
    cache after commit)."""
    was = item.status
    if was == status:
        return
    item.status = status
    item.save(update_fields=["status"])
    if (was == ItemStatus.AVAILABLE) != (status == ItemStatus.AVAILABLE):
        # A scanned copy comes with the answer (_item_locked): one query fewer per scan.
        others = getattr(item, "others_available", None)
        if others is None:
            others = _others_available(item.record_id, item.pk, item.branch_id).exists()
        if not others:
            index_records([item.record_id])


# A copy's record is read for its title, type and age mark, never for these (the source
# bytes of a MARC record run to kilobytes).
HEAVY_RECORD_FIELDS = ("item__record__source", "item__record__annotation",
                       "item__record__links", "item__record__subjects")  # fmt: skip


# What a scan reads of a copy's record: the desk's answers, the statistical fact, the notices.
DESK_RECORD_FIELDS = ("record__title", "record__age_mark", "record__material_type",
                      "record__languages")  # fmt: skip
ITEM_FIELDS = tuple(f.name for f in Item._meta.concrete_fields)


def _others_available(record_id: Any, item_id: Any, branch_id: Any) -> QuerySet[Item]:
    """The record's other copies on the shelf in the copy's branch: whether there are any
    decides if a status change flips what the search index holds of the record (on the shelf
    in that branch: the branch filter; anywhere: the shelf tie-break)."""
    return Item.objects.filter(
        record_id=record_id, branch_id=branch_id, status=ItemStatus.AVAILABLE
    ).exclude(pk=item_id)


def _scanned_copy(barcode: str) -> QuerySet[Item]:
    # Barcodes are unique: no ORDER BY (first() would add one).
    return (
        Item.objects.select_for_update(of=("self",))
        .select_related("record")
        .only(*ITEM_FIELDS, *DESK_RECORD_FIELDS)
        .annotate(
            others_available=Exists(
                _others_available(OuterRef("record_id"), OuterRef("pk"), OuterRef("branch_id"))
            )
        )
        .filter(barcode=barcode)[:1]
    )


# Every scan runs it: compiled once (polka.core.prepared), it costs a third of what it did.
_SCANNED_COPY = Prepared(_scanned_copy, barcode=str)


def _item_locked(barcode: str) -> Item:
    found = _SCANNED_COPY.rows(barcode=barcode.strip())
    if not found:
        raise ItemNotFound(barcode)
    return found[0]


def _fact(
    kind: str,
    *,
    branch: Branch,
    at: dt.datetime,
    reader: Reader | None,
    item: Item | None = None,
    remote: bool = False,
) -> None:
    _fact_build(kind, branch=branch, at=at, reader=reader, item=item, remote=remote).save(
        force_insert=True
    )


def _fact_build(
    kind: str,
    *,
    branch: Branch,
    at: dt.datetime,
    reader: Reader | None,
    item: Item | None = None,
    remote: bool = False,
) -> Fact:
    on = timezone.localdate(at)
    record = item.record if item is not None else None
    languages = record.languages if record is not None else []
    birth_date = reader.birth_date if reader else None
    return Fact(
        kind=kind,
        at=at,
        on=on,
        branch=branch,
        age_band=age_band(birth_date=birth_date, on=on),
        age=age_on(birth_date=birth_date, on=on) if birth_date else None,
        reader_category=reader.category_id if reader else "",
        material_type=record.material_type if record is not None else "",
        language=str(languages[0])[:10] if languages else "",
        remote=remote,
    )


# A cached calendar covers this many days from today: any loan period, renewal or hold-shelf
# time a matrix row sets, with a month to spare for closures.
CALENDAR_DAYS = 400


def _calendar(*, branch: Branch, today: dt.date, until: dt.date) -> BranchCalendar:
    """The branch's calendar from today to at least `until` (cached: CALENDAR_DAYS)."""
    if cache_seconds() > 0 and until <= today + dt.timedelta(days=CALENDAR_DAYS):
        end = today + dt.timedelta(days=CALENDAR_DAYS)
        return cached(
            ("calendar", branch.pk, today),
            lambda: branch_calendar(branch=branch, start=today, end=end),
        )
    return branch_calendar(branch=branch, start=today, end=until)


def _first_open(cal: BranchCalendar, *, branch: Branch, day: dt.date) -> dt.date:
    """`day`, or the next day the branch is open (read past the calendar in hand if need be)."""
    if day >= cal.start:
        for open_day in days_between(day, cal.end):
            if cal.is_open(open_day):
                return open_day
    return branch_open_on_or_after(branch=branch, day=day)


def _open_on_or_after(*, branch: Branch, day: dt.date, today: dt.date) -> dt.date:
    """Where a due date or a hold-shelf end that falls on a closed day moves to."""
    cal = _calendar(branch=branch, today=today, until=day + dt.timedelta(days=31))
    return _first_open(cal, branch=branch, day=day)


def _open_then_due(*, branch: Branch, today: dt.date, days: int) -> dt.date:
    """Refuse when the branch is closed today; else the due date `days` ahead, moved to the
    next day the branch is open (one calendar read covers both)."""
    due = today + dt.timedelta(days=days)
    cal = _calendar(branch=branch, today=today, until=due + dt.timedelta(days=31))
    if not cal.is_open(today):
        raise BranchClosed(branch=str(branch), on=today)
    return _first_open(cal, branch=branch, day=due)


@dataclass(frozen=True)
class ReaderStanding:
    """What a reader's open loans say about them, in one query."""

    dues: tuple[dt.date, ...]  # of the active loans
    lost_unsettled: int
    listed: int = 0  # active and lost loans: the rows of the desk's loans table
    latest_due: dt.date | None = None  # the last of those rows in the table's order

    @property
    def on_loan(self) -> int:
        return len(self.dues)

    @property
    def oldest_due(self) -> dt.date | None:
        return min(self.dues, default=None)

    def overdue_on(self, day: dt.date) -> int:
        return sum(1 for due in self.dues if due < day)


def _standing(rows: Sequence[tuple[str, dt.date, dt.datetime | None]]) -> ReaderStanding:
    lost = sum(1 for state, _due, settled in rows if state == LoanState.LOST and settled is None)
    return ReaderStanding(
        dues=tuple(due_on for state, due_on, _settled in rows if state == LoanState.ACTIVE),
        lost_unsettled=lost,
        listed=len(rows),
        latest_due=max((due_on for _state, due_on, _settled in rows), default=None),
    )


def standing_of(loans: list[Loan]) -> ReaderStanding:
    """The same figures from a reader's open loans already in hand."""
    return _standing([(loan.state, loan.due_on, loan.settled_at) for loan in loans])


def _open_loans(reader_id: int) -> QuerySet[Loan]:
    return Loan.objects.filter(
        reader_id=reader_id, state__in=[LoanState.ACTIVE, LoanState.LOST]
    ).only("state", "due_on", "settled_at")


# Every checkout reads it, on SQLite twice (loan_checkout): compiled once.
_OPEN_LOANS = Prepared(_open_loans, reader_id=int)


def reader_standing(*, reader: Reader) -> ReaderStanding:
    """A reader's open loans (a handful; the matrix caps them) as three columns: cheaper to
    ask for than an aggregate."""
    return standing_of(_OPEN_LOANS.rows(reader_id=reader.pk))


def reader_blocks(
    *, reader: Reader, rule: LoanRule, today: dt.date, standing: ReaderStanding
) -> list[str]:
    """Why the matrix row blocks this reader today (empty: not blocked)."""
    reasons = []
    if rule.block_overdue_days is not None and standing.oldest_due is not None:
        late = (today - standing.oldest_due).days
        if late > rule.block_overdue_days:
            reasons.append(
                _("просрочка %(days)s дн. (допустимо не более %(limit)s)")
                % {"days": late, "limit": rule.block_overdue_days}
            )
    if rule.block_lost and standing.lost_unsettled:
        reasons.append(_("утерянный экземпляр не возмещён"))
    if rule.block_not_reregistered and not reader_registered_in(reader=reader, year=today.year):
        reasons.append(_("читатель не перерегистрирован в %(year)s году") % {"year": today.year})
    return reasons


@dataclass(frozen=True)
class Lent:
    loan: Loan
    rule: LoanRule
    overridden: list[str] = field(default_factory=list)
    before: ReaderStanding | None = None  # the reader's open loans before this one
    collected: Hold | None = None  # the reader's hold this loan collected


@dataclass(frozen=True)
class _Judged:
    """What the rules said of one checkout, and what they read to say it."""

    item: Item
    standing: ReaderStanding
    rule: LoanRule
    due: dt.date
    hold: Hold | None
    overridden: list[str]

    def holds_for(self, item: Item, standing: ReaderStanding) -> bool:
        """Whether the judgement stands for the copy and the open loans read again under
        the writer's lock (a hold to collect is always judged under it)."""
        seen = self.item
        return (
            self.hold is None
            and standing == self.standing
            and (item.status, item.item_type, item.record_id)
            == (seen.status, seen.item_type, seen.record_id)
        )


def _checkout_judge(
    *,
    item: Item,
    reader: Reader,
    branch: Branch,
    today: dt.date,
    override: str,
    standing: ReaderStanding,
) -> _Judged:
    """Apply the lending rules to `item` and `reader`: refuse, or say the rule, the due date,
    the hold the loan collects and the rules set aside with `override`."""
    overridden: list[str] = []
    if item.status == ItemStatus.ON_LOAN:
        raise ItemAlreadyOnLoan(item.barcode)
    if item.status not in LENDABLE:
        raise ItemNotLendable(barcode=item.barcode, status=str(item.get_status_display()))
    hold = None
    if item.status == ItemStatus.ON_HOLD:
        hold = Hold.objects.select_for_update().filter(item=item, state=HoldState.READY).first()
        if hold is None or hold.reader_id != reader.pk:
            raise ItemHeldForAnother(item.barcode)
    rule = rule_for(branch_id=branch.pk, category=reader.category_id, item_type=item.item_type)
    due = _open_then_due(branch=branch, today=today, days=rule.loan_days)
    if rule.reading_room_only or item.status == ItemStatus.REFERENCE:
        _check(ReadingRoomOnly(item.barcode), override, overridden)
    age = age_mark_refuses(mark=item.record.age_mark, birth_date=reader.birth_date, on=today)
    if age is not None:
        _check(AgeRestricted(mark=item.record.age_mark, age=age), override, overridden)
    reasons = reader_blocks(reader=reader, rule=rule, today=today, standing=standing)
    if reasons:
        _check(ReaderBlocked(reasons), override, overridden)
    if standing.on_loan >= rule.max_loans:
        _check(LoanLimitReached(rule.max_loans), override, overridden)
    return _Judged(
        item=item, standing=standing, rule=rule, due=due, hold=hold, overridden=overridden
    )


def loan_checkout(
    *,
    barcode: str,
    reader: Reader,
    branch: Branch,
    by: AnyUser,
    at: dt.datetime,
    override: str = "",
) -> Lent:
    """Lend the copy with `barcode` to `reader` at `branch`. A rule the librarian may set aside
    (limit, block, age mark, reading room) is refused unless `override` gives a reason."""
    _require_aware(at)
    staff_require(user=by, action=CHECKOUT, branch=branch)
    today = timezone.localdate(at)
    override = override.strip()
    row_locks = connection.features.has_select_for_update
    judged = None
    if not row_locks:
        # SQLite lets one writer in at a time, from BEGIN IMMEDIATE to COMMIT, so self-service
        # stations and desks queue for it: judge first, and under the lock read again only the
        # copy and the reader's open loans (what another writer may have changed meanwhile).
        # A refusal needs no lock: it is what the rules said at the moment of the reading.
        judged = _checkout_judge(
            item=_item_locked(barcode), reader=reader, branch=branch, today=today,
            override=override, standing=reader_standing(reader=reader),
        )  # fmt: skip
    with transaction.atomic():
        if row_locks:
            # Lock the reader (two desks lending to one card wait for each other on the
            # limit) and read afresh only what the rules read of them.
            fresh = list(
                Reader.objects.select_for_update()
                .filter(pk=reader.pk)
                .values_list("category_id", "birth_date")[:1]
            )
            if not fresh:
                raise ReaderNotFound(reader.card_number)
            reader.category_id, reader.birth_date = fresh[0]
        item = _item_locked(barcode)
        standing = reader_standing(reader=reader)
        if judged is None or not judged.holds_for(item, standing):
            judged = _checkout_judge(
                item=item, reader=reader, branch=branch, today=today, override=override,
                standing=standing,
            )  # fmt: skip
        hold, rule, overridden = judged.hold, judged.rule, judged.overridden
        if hold is not None:
            hold.closed_at = at
            _transition(
                hold, HOLD_TRANSITIONS, "collect", at=at, by=by, branch=branch, item=item,
                fields=("closed_at",),
            )  # fmt: skip
        loan = Loan(
            item=item,
            reader=reader,
            branch=branch,
            rule=rule if rule.pk else None,
            lent_at=at,
            due_on=judged.due,
        )
        _transition(
            loan, LOAN_TRANSITIONS, "checkout", at=at, by=by, branch=branch, item=item,
            override=override if overridden else "", note="; ".join(overridden),
        )  # fmt: skip
        _fact(FactKind.LOAN, branch=branch, at=at, reader=reader, item=item)
    return Lent(loan=loan, rule=rule, overridden=overridden, before=standing, collected=hold)


@dataclass(frozen=True)
class Returned:
    """What a return did and what the desk must do with the copy now."""

    item: Item
    branch: Branch
    loan: Loan | None = None
    reader: Reader | None = None
    hold: Hold | None = None
    transit: Transit | None = None
    overdue_days: int = 0

    @property
    def instruction(self) -> str:
        if self.transit is not None:
            return _("Отправьте в «%(branch)s»: распечатайте транспортный ярлык.") % {
                "branch": self.transit.to_branch
            }
        if self.hold is not None:
            return _("Поставьте на полку брони для читателя %(card)s (%(name)s).") % {
                "card": self.hold.reader.card_number,
                "name": self.hold.reader.full_name,
            }
        return _("Поставьте на полку.")


def _open_loan(item_id: int) -> QuerySet[Loan]:
    # One open loan per copy (a constraint): no ORDER BY.
    return (
        Loan.objects.select_for_update(of=("self",))
        .select_related("reader")
        .filter(item_id=item_id, state__in=[LoanState.ACTIVE, LoanState.LOST])[:1]
    )


_OPEN_LOAN = Prepared(_open_loan, item_id=int)


def loan_checkin(*, barcode: str, branch: Branch, by: AnyUser, at: dt.datetime) -> Returned:
    """Take a copy back (or check it in from transit or the shelf) at `branch`: close its loan,
    then trap it for the first hold waiting for it, send it on, or shelve it."""
    _require_aware(at)
    staff_require(user=by, action=CHECKOUT, branch=branch)
    today = timezone.localdate(at)
    with transaction.atomic():
        item = _item_locked(barcode)
        open_loan = _OPEN_LOAN.rows(item_id=item.pk)
        if open_loan:
            loan = open_loan[0]
            reader = loan.reader
            overdue = max(0, (today - loan.due_on).days)
            loan.returned_at = at
            loan.returned_branch = branch
            if reader is None or not reader.keep_history:
                loan.reader = None
            _transition(
                loan, LOAN_TRANSITIONS, "checkin", at=at, by=by, branch=branch, item=item,
                fields=("returned_at", "returned_branch", "reader"),
            )  # fmt: skip
            _fact(FactKind.RETURN, branch=branch, at=at, reader=reader, item=item)
            hold, transit = _dispose(item, here=branch, by=by, at=at)
            return Returned(item, branch, loan, reader, hold, transit, overdue)
        if item.status == ItemStatus.DAMAGED:
            # A damaged copy comes back into circulation by item_repair, not by a scan.
            raise ItemDamaged(item.barcode)
        if item.status == ItemStatus.WITHDRAWN:
            raise ItemNotLendable(barcode=item.barcode, status=str(item.get_status_display()))
        if item.status == ItemStatus.ON_HOLD:
            # Scanned again (or at a second desk): it is already set aside, nothing changes.
            waiting = (
                Hold.objects.select_related("reader", "pickup_branch")
                .filter(item=item, state=HoldState.READY)
                .first()
            )
            return Returned(item, branch, hold=waiting)
        transit = (
            Transit.objects.select_for_update(of=("self",))
            .select_related("to_branch")
            .filter(item=item, received_at__isnull=True)
            .first()
        )
        if transit is not None:
            if transit.to_branch_id != branch.pk:
                return Returned(item, branch, transit=transit)
            transit.received_at = at
            transit.save(update_fields=["received_at"])
            hold = _hold_arrived(transit, item=item, here=branch, by=by, at=at, today=today)
            if hold is not None:
                return Returned(item, branch, hold=hold)
        hold, transit = _dispose(item, here=branch, by=by, at=at)
        return Returned(item, branch, hold=hold, transit=transit)


def _hold_arrived(
    transit: Transit, *, item: Item, here: Branch, by: AnyUser | None, at: dt.datetime,
    today: dt.date,
) -> Hold | None:  # fmt: skip
    if transit.hold_id is None:
        return None
    hold = (
        Hold.objects.select_for_update(of=("self",))
        .select_related("reader", "pickup_branch")
        .get(pk=transit.hold_id)
    )
    if hold.state != HoldState.IN_TRANSIT or hold.pickup_branch_id != here.pk:
        return None
    _hold_ready(hold, "receive", item=item, by=by, at=at, today=today)
    return hold


def _first_waiting(record_id: int, item_id: int, today: dt.date) -> QuerySet[Hold]:
    # Most returns find no hold: its reader and pickup branch are read only when one waits.
    return (
        Hold.objects.select_for_update(of=("self",))
        .filter(record_id=record_id, state=HoldState.WAITING)
        .filter(Q(item__isnull=True) | Q(item_id=item_id))
        .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lte=today))
        .order_by("placed_at", "pk")[:1]
    )


_FIRST_WAITING = Prepared(_first_waiting, record_id=int, item_id=int, today=dt.date)


def _next_hold(item: Item, today: dt.date) -> Hold | None:
    found = _FIRST_WAITING.rows(record_id=item.record_id, item_id=item.pk, today=today)
    return found[0] if found else None


def _hold_ready(
    hold: Hold, action: str, *, item: Item, by: AnyUser | None, at: dt.datetime, today: dt.date
) -> None:
    rule = rule_for(
        branch_id=hold.pickup_branch_id,
        category=hold.reader.category_id,
        item_type=item.item_type,
    )
    shelf_end = today + dt.timedelta(days=rule.hold_shelf_days)
    hold.expires_on = _open_on_or_after(branch=hold.pickup_branch, day=shelf_end, today=today)
    hold.item = item
    if hold.trapped_at is None:
        hold.trapped_at = at
    _transition(
        hold, HOLD_TRANSITIONS, action, at=at, by=by, branch=hold.pickup_branch, item=item,
        fields=("item", "trapped_at", "expires_on"),
    )  # fmt: skip
    notice_send(
        kind="circulation.hold_ready",
        to=hold.reader.email,
        template="circulation/notices/hold_ready",
        context={"hold": hold, "record": item.record, "link": _account_link()},
        at=at,
        dedupe_key=f"circulation.hold_ready:{hold.pk}",
    )


def _account_link() -> str:
    return str(settings.POLKA_SITE_URL) + reverse("circulation:account")


def _dispose(
    item: Item, *, here: Branch, by: AnyUser | None, at: dt.datetime
) -> tuple[Hold | None, Transit | None]:
    """Where a copy in hand at `here` goes: to the first hold waiting for it (the hold shelf
    here, or in transit to the pickup branch), else home, else the shelf."""
    today = timezone.localdate(at)
    hold = _next_hold(item, today)
    if hold is not None:
        if hold.pickup_branch_id == here.pk:
            _hold_ready(hold, "trap", item=item, by=by, at=at, today=today)
            return hold, None
        hold.item = item
        hold.trapped_at = at
        _transition(
            hold, HOLD_TRANSITIONS, "send", at=at, by=by, branch=here, item=item,
            fields=("item", "trapped_at"),
        )  # fmt: skip
        transit = Transit.objects.create(
            item=item, from_branch=here, to_branch=hold.pickup_branch, hold=hold, sent_at=at
        )
        return hold, transit
    if item.branch_id != here.pk:
        _item_status(item, ItemStatus.IN_TRANSIT)
        transit = Transit.objects.create(
            item=item, from_branch=here, to_branch_id=item.branch_id, sent_at=at
        )
        Event.objects.create(at=at, action="send_home", item=item, branch=here, by_id=_user_id(by))
        return None, transit
    _item_status(item, ItemStatus.AVAILABLE)
    return None, None


def _renewal_rule(loan: Loan, reader: Reader) -> LoanRule:
    return rule_for(
        branch_id=loan.branch_id, category=reader.category_id, item_type=loan.item.item_type
    )


def holds_waiting_for(*, item: Item, on: dt.date) -> bool:
    return (
        Hold.objects.filter(record_id=item.record_id, state=HoldState.WAITING)
        .filter(Q(item__isnull=True) | Q(item=item))
        .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lte=on))
        .exists()
    )


def loan_renew(
    *,
    loan: Loan,
    at: dt.datetime,
    by: AnyUser | None = None,
    reader: Reader | None = None,
    override: str = "",
) -> Loan:
    """Renew a loan, by staff (`by`, may override with a reason) or by its reader from their
    account (`reader`). Refused past the matrix's renewals or while others wait for it."""
    _require_aware(at)
    if reader is None:
        assert by is not None, "a renewal is made by staff (by) or by the reader"
        staff_require(user=by, action=CHECKOUT)
    else:
        override = ""
    override = override.strip()
    today = timezone.localdate(at)
    overridden: list[str] = []
    with transaction.atomic():
        locked = (
            Loan.objects.select_for_update(of=("self",))
            .select_related("item", "reader", "branch")
            .filter(pk=loan.pk)
            .first()
        )
        if locked is None or (reader is not None and locked.reader_id != reader.pk):
            raise ItemNotOnLoan(loan.item.barcode)
        if locked.state != LoanState.ACTIVE or locked.reader is None:
            raise TransitionNotAllowed(action="renew", state=locked.state)
        rule = _renewal_rule(locked, locked.reader)
        if locked.renewals >= rule.renewals:
            _check(
                RenewalRefused(
                    _("Продлевать больше нельзя: по правилам не более %(n)s раз.")
                    % {"n": rule.renewals}
                ),
                override,
                overridden,
            )
        if holds_waiting_for(item=locked.item, on=today):
            _check(
                RenewalRefused(_("Продлить нельзя: эту книгу ждут другие читатели.")),
                override,
                overridden,
            )
        new_due = _open_on_or_after(
            branch=locked.branch, day=today + dt.timedelta(days=rule.renewal_days), today=today
        )
        locked.due_on = max(new_due, locked.due_on)
        locked.renewals += 1
        _transition(
            locked, LOAN_TRANSITIONS, "renew", at=at, by=by, branch=None, item=locked.item,
            fields=("due_on", "renewals"), override=override if overridden else "",
            note="; ".join(overridden),
        )  # fmt: skip
        _fact(
            FactKind.RENEWAL,
            branch=locked.branch,
            at=at,
            reader=locked.reader,
            item=locked.item,
            remote=reader is not None,
        )
    return locked


def loans_renew_all(
    *, reader: Reader, at: dt.datetime, by: AnyUser | None = None, self_service: bool = False
) -> tuple[list[Loan], list[tuple[Loan, str]]]:
    """Renew every active loan of a reader: (renewed, [(loan, why refused)])."""
    renewed: list[Loan] = []
    refused: list[tuple[Loan, str]] = []
    loans = Loan.objects.filter(reader=reader, state=LoanState.ACTIVE).select_related("item")
    for loan in loans.order_by("due_on", "pk"):
        try:
            renewed.append(
                loan_renew(loan=loan, at=at, by=by, reader=reader if self_service else None)
            )
        except CirculationError as why:
            refused.append((loan, why.message))
    return renewed, refused


def loan_lose(*, loan: Loan, by: AnyUser, at: dt.datetime) -> Loan:
    """The reader reports the copy lost: it stays owed (and blocks, per the matrix) until
    settled by an equal replacement or a payment."""
    _require_aware(at)
    staff_require(user=by, action=CHECKOUT)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=loan.item_id)
        locked = Loan.objects.select_for_update().get(pk=loan.pk)
        locked.lost_at = at
        _transition(
            locked, LOAN_TRANSITIONS, "lose", at=at, by=by, branch=None, item=item,
            fields=("lost_at",),
        )  # fmt: skip
    return locked


def loan_settle(
    *,
    loan: Loan,
    settlement: str,
    by: AnyUser,
    at: dt.datetime,
    amount: Decimal | None = None,
    note: str = "",
) -> Loan:
    """Record how a lost copy was made good («равноценная замена» or a payment)."""
    _require_aware(at)
    staff_require(user=by, action=CHECKOUT)
    if settlement not in Settlement.values:
        raise ValueError(f"unknown settlement {settlement!r}")
    with transaction.atomic():
        locked = Loan.objects.select_for_update().get(pk=loan.pk)
        if locked.settled_at is not None:
            raise TransitionNotAllowed(action="settle", state=locked.state)
        locked.settlement = settlement
        locked.settled_at = at
        locked.amount = amount
        _transition(
            locked, LOAN_TRANSITIONS, "settle", at=at, by=by, branch=None,
            fields=("settlement", "settled_at", "amount"), note=note,
        )  # fmt: skip
    return locked


@dataclass(frozen=True)
class Damaged:
    """A copy taken out of circulation as damaged: the loan it closed, the hold it left."""

    item: Item
    loan: Loan | None = None
    hold: Hold | None = None


def item_damage(
    *, barcode: str, branch: Branch, by: AnyUser, at: dt.datetime, note: str = ""
) -> Damaged:
    """Mark a copy damaged (for binding or repair; returned damaged by a reader, its loan is
    closed as a return). It can be neither lent nor held until item_repair; a hold it was set
    aside for waits again with its place in the queue; search shows it away at once."""
    _require_aware(at)
    staff_require(user=by, action=CHECKOUT, branch=branch)
    with transaction.atomic():
        item = _item_locked(barcode)
        if item.status in GONE:
            raise ItemNotLendable(barcode=item.barcode, status=str(item.get_status_display()))
        loan = (
            Loan.objects.select_for_update(of=("self",))
            .select_related("reader")
            .filter(item=item, state=LoanState.ACTIVE)
            .first()
        )
        if loan is not None:
            reader = loan.reader
            loan.returned_at = at
            loan.returned_branch = branch
            if reader is None or not reader.keep_history:
                loan.reader = None
            _transition(
                loan, LOAN_TRANSITIONS, "checkin", at=at, by=by, branch=branch, item=item,
                fields=("returned_at", "returned_branch", "reader"), note=_("повреждена"),
            )  # fmt: skip
            _fact(FactKind.RETURN, branch=branch, at=at, reader=reader, item=item)
        hold = (
            Hold.objects.select_for_update(of=("self",))
            .filter(item=item, state__in=[HoldState.IN_TRANSIT, HoldState.READY])
            .first()
        )
        if hold is not None:
            if not hold.specific:
                hold.item = None
            hold.trapped_at = None
            hold.expires_on = None
            _transition(
                hold, HOLD_TRANSITIONS, "untrap", at=at, by=by, branch=branch, item=item,
                fields=("item", "trapped_at", "expires_on"), note=_("экземпляр повреждён"),
            )  # fmt: skip
        Transit.objects.filter(item=item, received_at__isnull=True).update(received_at=at)
        _item_status(item, ItemStatus.DAMAGED)
        Event.objects.create(
            at=at, action="damage", item=item, branch=branch, by_id=_user_id(by),
            note=note.strip()[:300],
        )  # fmt: skip
    return Damaged(item=item, loan=loan, hold=hold)


def item_repair(*, barcode: str, branch: Branch, by: AnyUser, at: dt.datetime) -> Returned:
    """A damaged copy back from repair, in hand at `branch`: it goes where a returned copy
    goes (the first hold waiting for it, home, or the shelf)."""
    _require_aware(at)
    staff_require(user=by, action=CHECKOUT, branch=branch)
    with transaction.atomic():
        item = _item_locked(barcode)
        if item.status != ItemStatus.DAMAGED:
            raise TransitionNotAllowed(action="repair", state=str(item.get_status_display()))
        Event.objects.create(
            at=at, action="repair", item=item, branch=branch, by_id=_user_id(by)
        )  # fmt: skip
        hold, transit = _dispose(item, here=branch, by=by, at=at)
    return Returned(item, branch, hold=hold, transit=transit)


def item_use_record(
    *, barcode: str, branch: Branch, by: AnyUser, at: dt.datetime, reader: Reader | None = None
) -> Item:
    """A copy used in the reading room: counted, nothing lent."""
    _require_aware(at)
    staff_require(user=by, action=CHECKOUT, branch=branch)
    with transaction.atomic():
        item = _item_locked(barcode)
        if item.status in GONE:
            raise ItemNotLendable(barcode=item.barcode, status=str(item.get_status_display()))
        Event.objects.create(at=at, action="use", item=item, branch=branch, by_id=_user_id(by))
        _fact(FactKind.IN_LIBRARY_USE, branch=branch, at=at, reader=reader, item=item)
    return item


def visit_record(
    *, reader: Reader | None, branch: Branch, by: AnyUser, at: dt.datetime, remote: bool = False
) -> None:
    """A visit without a loan (or a remote one): the annual statistics count it."""
    _require_aware(at)
    staff_require(user=by, action=CHECKOUT, branch=branch)
    with transaction.atomic():
        _fact(FactKind.VISIT, branch=branch, at=at, reader=reader, remote=remote)


@dataclass(frozen=True)
class PastFact:
    """One loan, return, renewal, reading-room use or visit of a day before the branch used
    Polka, as the previous system logged it (its copy with the record loaded, if any)."""

    kind: str
    branch: Branch
    at: dt.datetime
    reader: Reader | None = None
    item: Item | None = None
    remote: bool = False


def facts_carry_over(*, facts: Sequence[PastFact], by: AnyUser, at: dt.datetime) -> int:
    """The statistical facts of the days before a library moved to Polka, carried over from
    its previous system so that the year's figures are whole. They are counted exactly like
    the facts the desk makes, anonymous from the start; no loan is opened. Returns how many."""
    _require_aware(at)
    for branch in {f.branch.pk: f.branch for f in facts}.values():
        staff_require(user=by, action=CHECKOUT, branch=branch)
    rows, kinds = [], set(FactKind.values)
    for fact in facts:
        _require_aware(fact.at)
        if fact.at > at:
            raise ValueError("a carried-over fact cannot lie in the future")
        if fact.kind not in kinds:
            raise ValueError(f"unknown fact kind {fact.kind!r}")
        rows.append(
            _fact_build(
                fact.kind, branch=fact.branch, at=fact.at, reader=fact.reader, item=fact.item,
                remote=fact.remote,
            )
        )  # fmt: skip
    with transaction.atomic():
        Fact.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# --- holds ---------------------------------------------------------------------------------


def hold_place(
    *,
    reader: Reader,
    record: Record,
    pickup_branch: Branch,
    at: dt.datetime,
    item: Item | None = None,
    by: AnyUser | None = None,
    override: str = "",
) -> Hold:
    """Reserve a title (any copy) or one copy for pickup at a branch. Without `by` the reader
    places it themselves: age marks and blocks refuse it, with the reason."""
    _require_aware(at)
    if by is not None:
        staff_require(user=by, action=CHECKOUT)
    else:
        override = ""
    override = override.strip()
    today = timezone.localdate(at)
    overridden: list[str] = []
    with transaction.atomic():
        reader = Reader.objects.select_for_update().get(pk=reader.pk)
        copies = Item.objects.filter(record=record).exclude(status__in=GONE)
        if item is not None:
            if item.record_id != record.pk:
                raise HoldRefused(_("Этот экземпляр относится к другому изданию."))
            copies = copies.filter(pk=item.pk)
        first = copies.order_by("pk").first()
        if first is None:
            raise HoldRefused(_("Экземпляров этого издания в библиотеках сети нет."))
        if not pickup_branch.is_active:
            raise HoldRefused(_("Эта библиотека сейчас не выдаёт книги."))
        rule = rule_for(
            branch_id=pickup_branch.pk, category=reader.category_id, item_type=first.item_type
        )
        if not rule.holds_allowed or rule.reading_room_only:
            raise HoldRefused(_("Это издание по правилам библиотеки не бронируется."))
        age = age_mark_refuses(mark=record.age_mark, birth_date=reader.birth_date, on=today)
        if age is not None:
            refusal = AgeRestricted(mark=record.age_mark, age=age)
            if by is None:
                raise HoldRefused(
                    _(
                        "Издание с отметкой %(mark)s не бронируется читателю младше "
                        "%(min)s лет (436-ФЗ «О защите детей от информации…»)."
                    )
                    % {"mark": record.age_mark, "min": record.age_mark.rstrip("+")}
                )
            _check(refusal, override, overridden)
        standing = reader_standing(reader=reader)
        reasons = reader_blocks(reader=reader, rule=rule, today=today, standing=standing)
        if reasons:
            _check(ReaderBlocked(reasons), override if by else "", overridden)
        open_holds = Hold.objects.filter(reader=reader, state__in=OPEN_HOLD_STATES)
        if open_holds.filter(record=record).exists():
            raise HoldRefused(_("Это издание уже забронировано этим читателем."))
        if open_holds.count() >= rule.max_holds:
            raise HoldRefused(
                _("Больше %(n)s броней одновременно по правилам нельзя.") % {"n": rule.max_holds}
            )
        on_loan = Loan.objects.filter(
            reader=reader, item__record=record, state=LoanState.ACTIVE
        ).exists()
        if on_loan:
            raise HoldRefused(_("Это издание уже выдано этому читателю."))
        hold = Hold(
            record=record,
            item=item,
            specific=item is not None,
            reader=reader,
            pickup_branch=pickup_branch,
            placed_at=at,
        )
        _transition(
            hold, HOLD_TRANSITIONS, "place", at=at, by=by, branch=pickup_branch,
            override=override if overridden else "", note="; ".join(overridden),
        )  # fmt: skip
    return hold


def _hold_mine(hold: Hold, reader: Reader | None) -> None:
    if reader is not None and hold.reader_id != reader.pk:
        raise HoldNotFound()


def hold_cancel(
    *, hold: Hold, at: dt.datetime, by: AnyUser | None = None, reader: Reader | None = None
) -> Hold:
    """Cancel at any point; a copy set aside for it goes to the next in the queue."""
    _require_aware(at)
    if reader is None:
        assert by is not None, "a cancellation is made by staff (by) or by the reader"
        staff_require(user=by, action=CHECKOUT)
    _hold_mine(hold, reader)
    with transaction.atomic():
        # The copy first, then the hold: the order every service locks in.
        item_id = Hold.objects.filter(pk=hold.pk).values_list("item_id", flat=True).first()
        item = (
            Item.objects.select_for_update().select_related("record").filter(pk=item_id).first()
            if item_id is not None
            else None
        )
        locked = (
            Hold.objects.select_for_update(of=("self",))
            .select_related("pickup_branch")
            .get(pk=hold.pk)
        )
        was = locked.state
        locked.closed_at = at
        _transition(
            locked, HOLD_TRANSITIONS, "cancel", at=at, by=by, branch=locked.pickup_branch,
            item=item, fields=("closed_at",),
        )  # fmt: skip
        if was == HoldState.READY and item is not None:
            _dispose(item, here=locked.pickup_branch, by=by, at=at)
    return locked


def hold_suspend(
    *,
    hold: Hold,
    until: dt.date | None,
    at: dt.datetime,
    by: AnyUser | None = None,
    reader: Reader | None = None,
) -> Hold:
    """Keep the place in the queue but skip it until `until` (None: resume now)."""
    _require_aware(at)
    if reader is None:
        assert by is not None
        staff_require(user=by, action=CHECKOUT)
    _hold_mine(hold, reader)
    with transaction.atomic():
        locked = Hold.objects.select_for_update().get(pk=hold.pk)
        locked.suspended_until = until
        _transition(
            locked, HOLD_TRANSITIONS, "suspend", at=at, by=by, branch=None,
            fields=("suspended_until",), note=until.isoformat() if until else "",
        )  # fmt: skip
    return locked


def hold_move(
    *,
    hold: Hold,
    pickup_branch: Branch,
    at: dt.datetime,
    by: AnyUser | None = None,
    reader: Reader | None = None,
) -> Hold:
    """Change where a waiting hold will be collected."""
    _require_aware(at)
    if reader is None:
        assert by is not None
        staff_require(user=by, action=CHECKOUT)
    _hold_mine(hold, reader)
    if not pickup_branch.is_active:
        raise HoldRefused(_("Эта библиотека сейчас не выдаёт книги."))
    with transaction.atomic():
        locked = Hold.objects.select_for_update().get(pk=hold.pk)
        locked.pickup_branch = pickup_branch
        _transition(
            locked, HOLD_TRANSITIONS, "move", at=at, by=by, branch=pickup_branch,
            fields=("pickup_branch",),
        )  # fmt: skip
    return locked


def holds_expire(*, at: dt.datetime) -> int:
    """Holds left uncollected past their shelf days expire; each copy passes to the next."""
    today = timezone.localdate(at)
    due = list(
        Hold.objects.filter(state=HoldState.READY, expires_on__lt=today).values_list(
            "pk", "item_id"
        )
    )
    count = 0
    for hold_id, item_id in due:
        with transaction.atomic():
            item = Item.objects.select_for_update().select_related("record").filter(pk=item_id)
            locked_item = item.first()
            hold = (
                Hold.objects.select_for_update(of=("self",))
                .select_related("pickup_branch")
                .get(pk=hold_id)
            )
            if hold.state != HoldState.READY:
                continue
            hold.closed_at = at
            _transition(
                hold, HOLD_TRANSITIONS, "expire", at=at, by=None, branch=hold.pickup_branch,
                item=locked_item, fields=("closed_at",),
            )  # fmt: skip
            if locked_item is not None:
                _dispose(locked_item, here=hold.pickup_branch, by=None, at=at)
            count += 1
    return count


# --- notices and the nightly run -----------------------------------------------------------


def _queued_keys(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        rows = Notice.objects.filter(dedupe_key__in=keys[start : start + 500])
        found.update(k for k in rows.values_list("dedupe_key", flat=True) if k)
    return found


@dataclass(frozen=True)
class _DueLoan:
    """What a loan notice needs, read as plain values (no model instances per loan)."""

    pk: int
    due_on: dt.date
    email: str
    first_name: str
    title: str


# Stand-ins rendered once per kind and due date, then replaced by each reader's values.
_NAME, _TITLE = "\x00name\x00", "\x00title\x00"


@dataclass(frozen=True)
class _NameOnly:
    first_name: str


@dataclass(frozen=True)
class _LoanOnly:
    due_on: dt.date
    reader: _NameOnly


@dataclass(frozen=True)
class _TitleOnly:
    title: str


def _loan_notice_text(
    kind: str, loan: _DueLoan, *, link: str, cache: dict[tuple[str, dt.date], tuple[str, str]]
) -> tuple[str, str]:
    """notice_render's subject and body for one loan: the templates are rendered once per
    (kind, due date) with stand-ins for the name and title, which are then put in (plain text,
    unescaped, as the template renders it)."""
    key = (kind, loan.due_on)
    if key not in cache:
        cache[key] = notice_render(
            template=f"circulation/notices/{kind}",
            context={
                "loan": _LoanOnly(due_on=loan.due_on, reader=_NameOnly(first_name=_NAME)),
                "record": _TitleOnly(title=_TITLE),
                "link": link,
            },
        )
    subject, body = cache[key]
    name, title = loan.first_name, loan.title
    subject = subject.replace(_NAME, name).replace(_TITLE, title)
    body = body.replace(_NAME, name).replace(_TITLE, title)
    return " ".join(subject.split())[:300], body


def _notify_loans(*, kind: str, loans: list[_DueLoan], now: dt.datetime) -> int:
    """Queue one notice per loan and due date. Written in bulk, ignoring keys already used:
    the unique dedupe key is what makes each notice exactly once, even across killed runs;
    `polka notices` sends the queue after its producers."""
    keys = {loan.pk: f"circulation.{kind}:{loan.pk}:{loan.due_on.isoformat()}" for loan in loans}
    done = _queued_keys(list(keys.values()))
    link = _account_link()
    cache: dict[tuple[str, dt.date], tuple[str, str]] = {}
    batch: list[Notice] = []
    for loan in loans:
        if keys[loan.pk] in done:
            continue
        subject, body = _loan_notice_text(kind, loan, link=link, cache=cache)
        batch.append(
            Notice(
                kind=f"circulation.{kind}",
                to_email=loan.email,
                subject=subject,
                body=body,
                dedupe_key=keys[loan.pk],
                created_at=now,
                send_after=now,
            )
        )
    for start in range(0, len(batch), 1000):
        Notice.objects.bulk_create(batch[start : start + 1000], ignore_conflicts=True)
    return len(batch)


def _due_loans(loans: QuerySet[Loan]) -> list[_DueLoan]:
    rows = loans.values_list(
        "pk", "due_on", "reader__email", "reader__first_name", "item__record__title"
    ).order_by("pk")
    return [_DueLoan(*row) for row in rows.iterator(chunk_size=5000)]


def notices_queue(*, now: dt.datetime) -> int:
    """ "Due in 3 days", "overdue" (once per due date: a renewal earns a new one) and "hold
    expiring tomorrow"; each is keyed, so a rerun or a run killed midway never repeats one."""
    today = timezone.localdate(now)
    loans = Loan.objects.filter(state=LoanState.ACTIVE, reader__isnull=False).exclude(
        reader__email=""
    )
    soon = _due_loans(
        loans.filter(due_on__gt=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    )
    late = _due_loans(loans.filter(due_on__lt=today))
    count = _notify_loans(kind="due_soon", loans=soon, now=now)
    count += _notify_loans(kind="overdue", loans=late, now=now)
    expiring = Hold.objects.filter(
        state=HoldState.READY, expires_on=today + dt.timedelta(days=1)
    ).select_related("reader", "record", "pickup_branch")
    for hold in expiring:
        notice = notice_send(
            kind="circulation.hold_expiring",
            to=hold.reader.email,
            template="circulation/notices/hold_expiring",
            context={"hold": hold, "record": hold.record, "link": _account_link()},
            at=now,
            dedupe_key=f"circulation.hold_expiring:{hold.pk}",
        )
        count += notice is not None
    return count


def history_anonymise(*, at: dt.datetime) -> int:
    """Returned loans of readers who do not (or no longer) keep a reading history."""
    return Loan.objects.filter(
        state=LoanState.RETURNED, reader__isnull=False, reader__keep_history=False
    ).update(reader=None)


def loans_auto_renew(*, now: dt.datetime) -> int:
    """With settings.POLKA_AUTO_RENEW, renew the loans falling due within the reminder window
    when nobody waits for them and the matrix allows another renewal (as the reader could)."""
    if not getattr(settings, "POLKA_AUTO_RENEW", False):
        return 0
    today = timezone.localdate(now)
    due = Loan.objects.filter(
        state=LoanState.ACTIVE,
        reader__isnull=False,
        due_on__gte=today,
        due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
    ).select_related("item", "reader")
    renewed = 0
    for loan in due:
        assert loan.reader is not None
        try:
            loan_renew(loan=loan, reader=loan.reader, at=now)
        except CirculationError:
            continue
        renewed += 1
    return renewed


def circulation_daily(now: dt.datetime) -> int:
    """The notices producer (`polka notices`): expire holds, anonymise, renew automatically
    when configured, queue notices."""
    holds_expire(at=now)
    history_anonymise(at=now)
    loans_auto_renew(now=now)
    return notices_queue(now=now)


# --- readers' registry hooks ---------------------------------------------------------------


def erasure_blocker(reader: Reader) -> str | None:
    standing = reader_standing(reader=reader)
    owed = standing.on_loan + standing.lost_unsettled
    if owed:
        return _("книг на руках или не возмещено: %(n)s") % {"n": owed}
    return None


def erasure_cleaner(reader: Reader) -> dict[str, int]:
    loans = Loan.objects.filter(reader=reader).update(reader=None)
    holds = Hold.objects.filter(reader=reader).delete()[0]
    return {"circulation.Loan": loans, "circulation.Hold": holds}


def export_rows(reader: Reader) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for loan in Loan.objects.filter(reader=reader).select_related("item__record").order_by("pk"):
        rows.append(
            {
                "type": "loan",
                "title": loan.item.record.title,
                "barcode": loan.item.barcode,
                "state": loan.state,
                "lent_at": loan.lent_at.isoformat(),
                "due_on": loan.due_on.isoformat(),
                "returned_at": loan.returned_at.isoformat() if loan.returned_at else None,
            }
        )
    for hold in Hold.objects.filter(reader=reader).select_related("record").order_by("pk"):
        rows.append(
            {
                "type": "hold",
                "title": hold.record.title,
                "state": hold.state,
                "placed_at": hold.placed_at.isoformat(),
                "pickup_branch": str(hold.pickup_branch_id),
            }
        )
    return rows


# --- loans carried over from a legacy system ------------------------------------------------


def _legacy_date(value: str, what: str) -> dt.date:
    try:
        return dt.datetime.strptime(value.strip()[:8], "%Y%m%d").date()  # noqa: DTZ007 - a calendar date, no time
    except ValueError:
        raise ValueError(
            _("%(what)s «%(value)s» не читается (ожидается ГГГГММДД)")
            % {"what": what, "value": value}
        ) from None


def _legacy_loan(reader: Reader, entry: Mapping[str, str], at: dt.datetime) -> bool:
    """Open one carried-over loan; False when it is already open for this reader."""
    barcode, inventory = entry.get("h", "").strip(), entry.get("b", "").strip()
    lent_on = _legacy_date(entry.get("d", ""), _("дата выдачи"))
    due_raw = entry.get("e", "").strip()
    due_on = _legacy_date(due_raw, _("дата возврата")) if due_raw else lent_on
    with transaction.atomic():
        copies = Item.objects.select_for_update().select_related("record")
        item = copies.filter(barcode=barcode).first() if barcode else None
        if item is None and inventory:
            found = list(copies.filter(inventory_number=inventory)[:2])
            if len(found) > 1:
                raise ValueError(
                    _("инвентарный номер %(n)s у нескольких экземпляров") % {"n": inventory}
                )
            item = found[0] if found else None
        if item is None:
            raise ValueError(_("экземпляра %(id)s нет в каталоге") % {"id": barcode or inventory})
        open_loan = Loan.objects.filter(item=item, state__in=[LoanState.ACTIVE, LoanState.LOST])
        holder = open_loan.values_list("reader_id", flat=True).first()
        if open_loan.exists():
            if holder == reader.pk:
                return False
            raise ValueError(
                _("экземпляр %(barcode)s уже выдан другому читателю") % {"barcode": item.barcode}
            )
        if item.status in GONE:
            raise ValueError(
                _("экземпляр %(barcode)s «%(status)s»")
                % {"barcode": item.barcode, "status": item.get_status_display()}
            )
        lent_at = timezone.make_aware(dt.datetime.combine(lent_on, dt.time(12, 0)))
        loan = Loan(
            item=item, reader=reader, branch_id=item.branch_id, lent_at=lent_at, due_on=due_on
        )
        # No statistical fact: the legacy system counted this loan when it was made.
        _transition(
            loan, LOAN_TRANSITIONS, "checkout", at=at, by=None, branch=None, item=item,
            note=_("перенесена из прежней системы"),
        )  # fmt: skip
    return True


def loans_import(
    reader: Reader, entries: Sequence[Mapping[str, str]], at: dt.datetime
) -> tuple[int, list[str]]:
    """Open a reader's loans carried over from a legacy system (ИРБИС field 40: ^H barcode or
    ^B inventory number, ^D lent, ^E due); each entry on its own, a bad one reported by its
    position ("#") while the rest open; a rerun leaves open ones as they are."""
    _require_aware(at)
    opened, problems = 0, []
    for n, entry in enumerate(entries, 1):
        try:
            opened += _legacy_loan(reader, entry, at)
        except ValueError as bad:
            problems.append(
                _("выдача (поле 40, №%(n)s): %(why)s") % {"n": entry.get("#", n), "why": bad}
            )
    return opened, problems


# --- the rules matrix ----------------------------------------------------------------------

RULES = "circulation.rules"


def _require_rules(by: AnyUser, branch: Branch | None) -> None:
    # A network-wide row needs a network-wide role; a branch's row, that branch.
    staff_require(user=by, action=RULES, branch=branch, network_wide=branch is None)


def loan_rule_save(*, rule: LoanRule, by: AnyUser, at: dt.datetime) -> LoanRule:
    """Store a row of the matrix (new or changed), audited with what it now says."""
    _require_aware(at)
    _require_rules(by, rule.branch)
    with transaction.atomic():
        if rule.pk is not None:
            before = LoanRule.objects.select_for_update().get(pk=rule.pk)
            _require_rules(by, before.branch)
        rule.save()
        Event.objects.create(
            at=at, action="rule_saved", branch=rule.branch, by_id=_user_id(by),
            note=f"#{rule.pk} {rule}"[:300],
        )  # fmt: skip
    return rule


def loan_rule_delete(*, rule: LoanRule, by: AnyUser, at: dt.datetime) -> None:
    _require_aware(at)
    _require_rules(by, rule.branch)
    with transaction.atomic():
        Event.objects.create(
            at=at, action="rule_deleted", branch=rule.branch, by_id=_user_id(by),
            note=f"#{rule.pk} {rule}"[:300],
        )  # fmt: skip
        rule.delete()
