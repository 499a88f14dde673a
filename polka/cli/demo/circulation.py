"""Demo circulation: a rules matrix, loans (some overdue), holds in every state and a copy in
transit, made through the circulation services on days the branches are open (asked of the
calendar, never fixed offsets), so the demo means the same whatever day it is built."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import Item, ItemStatus
from polka.circulation import services
from polka.circulation.cache import circulation_cache_clear
from polka.circulation.errors import CirculationError
from polka.circulation.models import Event, Fact, Hold, Loan, LoanRule, Transit
from polka.cli.demo.extras import DemoContext, DemoExtra
from polka.org.models import Branch
from polka.org.selectors import branch_open_days
from polka.readers.models import Reader, ReaderCategory

LOANS_PER_BRANCH = 8
# Days before today that loans were made: the oldest are overdue under a 30-day period.
LENT_DAYS_AGO = (3, 10, 20, 26, 33, 40, 48, 60)


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def _open_day_near(branch: Branch, day: dt.date) -> dt.date | None:
    """The last day on or before `day` the branch was open (within two weeks)."""
    days = branch_open_days(branch=branch, start=day - dt.timedelta(days=14), end=day)
    return days[-1] if days else None


def _rules() -> int:
    rows = [
        LoanRule(loan_days=30, max_loans=10, renewals=2, renewal_days=14, block_overdue_days=30),
        LoanRule(item_type="periodical", loan_days=7, renewals=1, renewal_days=7),
        LoanRule(item_type="reference", reading_room_only=True, holds_allowed=False),
    ]
    if ReaderCategory.objects.filter(code="child").exists():
        rows.append(LoanRule(reader_category_id="child", loan_days=14, max_loans=5, max_holds=3))
    cdb = Branch.objects.filter(code="cdb").first()
    if cdb is not None:
        rows.append(LoanRule(branch=cdb, loan_days=21, hold_shelf_days=5))
    LoanRule.objects.bulk_create(rows)
    # bulk_create sends no signal: the calendars and rules this process cached go now.
    circulation_cache_clear()
    return len(rows)


def load(context: DemoContext) -> int:
    today = timezone.localdate(context.at)
    users = get_user_model().objects
    made = _rules()
    readers = list(Reader.objects.exclude(email="").order_by("pk"))
    if not readers:
        return made
    lent_records: list[tuple[Branch, int]] = []
    for code, branch in sorted(context.branches.items()):
        desk = users.filter(username=f"abonement-{code}").first()
        if desk is None:
            continue
        shelf = list(
            Item.objects.filter(branch=branch, status=ItemStatus.AVAILABLE)
            .exclude(item_type="reference")
            .order_by("pk")[: LOANS_PER_BRANCH * 3]
        )
        for n, (days_ago, item) in enumerate(zip(LENT_DAYS_AGO, shelf, strict=False)):
            day = _open_day_near(branch, today - dt.timedelta(days=days_ago))
            if day is None:
                continue
            try:
                services.loan_checkout(
                    barcode=item.barcode,
                    reader=readers[(n * 7 + len(lent_records)) % len(readers)],
                    branch=branch,
                    by=desk,
                    at=_noon(day),
                )
            except CirculationError:
                continue  # an age mark or a limit: the demo simply lends something else
            made += 1
            lent_records.append((branch, item.record_id))
    made += _holds(context, readers, lent_records, today)
    made += _damaged_and_one_copy_held(context, readers, today)
    return made


def _damaged_and_one_copy_held(context: DemoContext, readers: list[Reader], today: dt.date) -> int:
    """A copy away for repair, and a hold on one named copy (a reader wants that edition's
    large print, say): both things a desk meets every week."""
    made = 0
    users = get_user_model().objects
    for code, branch in sorted(context.branches.items())[:1]:
        desk = users.filter(username=f"abonement-{code}").first()
        day = _open_day_near(branch, today)
        shelf = list(
            Item.objects.filter(branch=branch, status=ItemStatus.AVAILABLE)
            .exclude(item_type="reference")
            .order_by("-pk")[:2]
        )
        if desk is None or day is None or len(shelf) < 2:
            continue
        damaged, wanted = shelf
        services.item_damage(
            barcode=damaged.barcode, branch=branch, by=desk, at=_noon(day),
            note="корешок оторван, в переплёт",
        )  # fmt: skip
        try:
            services.hold_place(
                reader=readers[len(readers) // 2],
                record=wanted.record,
                item=wanted,
                pickup_branch=branch,
                at=_noon(day),
            )
        except CirculationError:
            continue
        made += 2
    return made


def _holds(
    context: DemoContext,
    readers: list[Reader],
    lent: list[tuple[Branch, int]],
    today: dt.date,
) -> int:
    """Holds on titles now on loan (waiting, one suspended, one cancelled), then returns that
    trap them: one ready at its branch, one sent in transit to another."""
    made = 0
    branches = sorted(context.branches.values(), key=lambda b: b.code)
    holds: list[Hold] = []
    for n, (branch, record_id) in enumerate(lent[:10]):
        reader = readers[(n * 7 + 3) % len(readers)]
        pickup = branch if n % 3 else branches[(branches.index(branch) + 1) % len(branches)]
        at = _noon(_open_day_near(branch, today - dt.timedelta(days=2)) or today)
        try:
            hold = services.hold_place(
                reader=reader,
                record=Item.objects.get(pk=_loaned_item(record_id)).record,
                pickup_branch=pickup,
                at=at,
            )
        except CirculationError:
            continue
        holds.append(hold)
        made += 1
    if len(holds) >= 2:
        services.hold_suspend(
            hold=holds[-1], until=today + dt.timedelta(days=20), reader=holds[-1].reader,
            at=_noon(today),
        )  # fmt: skip
        services.hold_cancel(hold=holds[-2], reader=holds[-2].reader, at=_noon(today))
    users = get_user_model().objects
    for hold in holds[:3]:
        loan = Loan.objects.filter(item__record=hold.record, state="active").first()
        if loan is None:
            continue
        desk = users.filter(username=f"abonement-{loan.branch.code}").first()
        day = _open_day_near(loan.branch, today)
        if desk is None or day is None:
            continue
        try:
            services.loan_checkin(
                barcode=loan.item.barcode, branch=loan.branch, by=desk, at=_noon(day)
            )
        except CirculationError:
            continue
    return made


def _loaned_item(record_id: int) -> int:
    return Item.objects.filter(record_id=record_id, status=ItemStatus.ON_LOAN).values_list(
        "pk", flat=True
    )[0]


def wipe() -> None:
    # Maintenance of a throwaway database, not a domain change: no service.
    Fact.objects.all().delete()
    Event.objects.all().delete()
    Transit.objects.all().delete()
    Hold.objects.all().delete()
    Loan.objects.all().delete()
    LoanRule.objects.all().delete()


EXTRA = DemoExtra(name="circulation", label=_("правил, выдач и броней"), load=load, wipe=wipe)
