"""Reads of the network, its branches and their opening calendar.

Calendar reads load the exception rows for a whole range in one query (never one per day):
circulation and reference compute due dates and deadlines in open days with these.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Model, Prefetch, Q, QuerySet, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils.dates import WEEKDAYS

from polka.core.audit import object_key
from polka.core.prepared import Prepared
from polka.org import holidays
from polka.org.calendar import BranchCalendar, Hours, days_between
from polka.org.errors import BranchNeverOpen
from polka.org.models import (
    AuditEntry,
    Branch,
    BranchKind,
    CalendarException,
    Network,
    OpeningHours,
    Role,
)
from polka.org.panels import ROLE_DESCRIPTIONS, ROLE_PANELS
from polka.org.policies import AnyUser, staff_can, staff_grants

# A branch closed this many days in a row is treated as never open (a data error), so
# "next open day" searches stay bounded.
MAX_CLOSED_RUN = 366
# How many days of exceptions one query loads when walking forward through the calendar.
_WINDOW = 92


# Every page's footer and title name the network: compiled once (polka.core.prepared).
_NETWORK = Prepared(lambda: Network.objects.order_by("pk")[:1])


def network_current() -> Network | None:
    """The installation's network (the first one; an installation serves one network)."""
    found = _NETWORK.rows()
    return found[0] if found else None


# (content generation, network) of the last page drawn by this process.
_network_kept: tuple[str, Network | None] | None = None


def network_in_generation(generation: str | None) -> Network | None:
    """network_current(), read once per content generation (polka.core.pagecache) and process:
    a write to the network starts a new generation, so the row kept is the row stored. Every
    page drawn afresh names the network; on PostgreSQL the query was a round trip a page."""
    global _network_kept
    if generation is None:
        return network_current()
    kept = _network_kept
    if kept is not None and kept[0] == generation:
        return kept[1]
    network = network_current()
    _network_kept = (generation, network)
    return network


def branches_active() -> QuerySet[Branch]:
    return Branch.objects.filter(is_active=True).order_by("name")


def branch_by_code(*, code: str) -> Branch | None:
    return Branch.objects.filter(code=code).select_related("network").first()


def _exceptions(*, branch_ids: Sequence[int], start: date, end: date) -> list[CalendarException]:
    return list(
        CalendarException.objects.filter(
            Q(branch_id__in=list(branch_ids)) | Q(branch__isnull=True),
            date__gte=start,
            date__lte=end,
        )
    )


def branches_calendars(
    *, branches: Sequence[Branch], start: date, end: date
) -> dict[int, BranchCalendar]:
    """Calendars of several branches over [start, end], keyed by branch id.

    Two queries whatever the number of branches or days (weekly hours reuse a prefetch of
    `hours` when the branches come with one).
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    ids = [b.pk for b in branches]
    exceptions = _exceptions(branch_ids=ids, start=start, end=end)
    weekly: dict[int, list[OpeningHours]] = {pk: [] for pk in ids}
    if all(_hours_prefetched(b) for b in branches):
        for b in branches:
            weekly[b.pk] = list(b.hours.all())
    else:
        for row in OpeningHours.objects.filter(branch_id__in=ids):
            weekly[row.branch_id].append(row)
    return {
        pk: BranchCalendar(
            branch_id=pk, start=start, end=end, weekly=weekly[pk], exceptions=exceptions
        )
        for pk in ids
    }


def _hours_prefetched(branch: Branch) -> bool:
    cache = getattr(branch, "_prefetched_objects_cache", {})
    return "hours" in cache


def branch_calendar(*, branch: Branch, start: date, end: date) -> BranchCalendar:
    """The calendar of one branch over [start, end] (both included), in two queries."""
    return branches_calendars(branches=[branch], start=start, end=end)[branch.pk]


def branch_is_open(*, branch: Branch, on: date) -> bool:
    return branch_calendar(branch=branch, start=on, end=on).is_open(on)


def branch_hours_on(*, branch: Branch, on: date) -> Hours | None:
    """(opens, closes) on that day, or None when the branch is closed."""
    return branch_calendar(branch=branch, start=on, end=on).hours_on(on)


def branch_open_days(*, branch: Branch, start: date, end: date) -> list[date]:
    """The days in [start, end] (both included) on which the branch is open."""
    cal = branch_calendar(branch=branch, start=start, end=end)
    return [day for day in days_between(start, end) if cal.is_open(day)]


def _open_days_after(*, branch: Branch, after: date) -> Iterator[date]:
    """Open days strictly after `after`, loading the calendar a window at a time."""
    weekly = list(OpeningHours.objects.filter(branch_id=branch.pk))
    last_open = after
    start = after + timedelta(days=1)
    while True:
        end = start + timedelta(days=_WINDOW - 1)
        cal = BranchCalendar(
            branch_id=branch.pk,
            start=start,
            end=end,
            weekly=weekly,
            exceptions=_exceptions(branch_ids=[branch.pk], start=start, end=end),
        )
        for day in cal.days():
            if cal.is_open(day):
                last_open = day
                yield day
            elif (day - last_open).days >= MAX_CLOSED_RUN:
                raise BranchNeverOpen(branch_code=branch.code, after=last_open, days=MAX_CLOSED_RUN)
        start = end + timedelta(days=1)


def branch_next_open_day(*, branch: Branch, after: date) -> date:
    """The first day strictly after `after` on which the branch is open.

    Raises BranchNeverOpen when the branch has no open day within MAX_CLOSED_RUN days.
    """
    return next(_open_days_after(branch=branch, after=after))


def branch_open_on_or_after(*, branch: Branch, day: date) -> date:
    """`day` if the branch is open then, else the next open day: where a due date that falls
    on a closed day moves to."""
    return branch_next_open_day(branch=branch, after=day - timedelta(days=1))


def branch_add_open_days(*, branch: Branch, start: date, days: int) -> date:
    """The `days`-th open day after `start` (start itself not counted); `start` for 0.

    "Answer within 3 working days" from Friday is branch_add_open_days(start=friday, days=3).
    """
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    if days == 0:
        return start
    for count, day in enumerate(_open_days_after(branch=branch, after=start), start=1):
        if count == days:
            return day
    raise AssertionError("unreachable: the open-day walk is infinite or raises")


# The central libraries first, then branches: the order a network lists itself in.
_KIND_ORDER = Case(
    *(When(kind=kind, then=Value(n)) for n, kind in enumerate(BranchKind.values)),
    default=Value(len(BranchKind.values)),
)


@dataclass(frozen=True)
class WeekdayHours:
    weekday: int
    hours: Hours | None

    @property
    def name(self) -> str:
        return str(WEEKDAYS[self.weekday])


@dataclass(frozen=True)
class ClosedDay:
    day: date
    reason: str


@dataclass(frozen=True)
class BranchOverview:
    """What the public branch pages show about one branch."""

    branch: Branch
    week: list[WeekdayHours]
    hours_today: Hours | None
    closed_days: list[ClosedDay]

    @property
    def open_today(self) -> bool:
        return self.hours_today is not None


def branches_overview(
    *, on: date, horizon_days: int = 31, code: str | None = None
) -> list[BranchOverview]:
    """Active branches (or the one with `code`) with weekly hours, today's state and the
    closed days of the next `horizon_days` that break the usual week. Three queries."""
    qs = (
        Branch.objects.filter(is_active=True)
        .select_related("network")
        .order_by(_KIND_ORDER, "name")
    )
    if code is not None:
        qs = Branch.objects.filter(code=code).select_related("network")
    branches = list(qs.prefetch_related(Prefetch("hours", queryset=OpeningHours.objects.all())))
    if not branches:
        return []
    end = on + timedelta(days=horizon_days)
    calendars = branches_calendars(branches=branches, start=on, end=end)
    overview = []
    for branch in branches:
        cal = calendars[branch.pk]
        closed = [
            ClosedDay(day=day, reason=_closure_reason(cal, day))
            for day in days_between(on, end)
            if cal.is_unusually_closed(day)
        ]
        overview.append(
            BranchOverview(
                branch=branch,
                week=[WeekdayHours(weekday=wd, hours=cal.weekly.get(wd)) for wd in range(7)],
                hours_today=cal.hours_on(on),
                closed_days=closed,
            )
        )
    return overview


def _closure_reason(cal: BranchCalendar, day: date) -> str:
    exc = cal.exception_on(day)
    if exc is None:
        return ""
    return holidays.closed_day_name(exc.reason) if exc.reason else str(exc.get_kind_display())


@dataclass(frozen=True)
class PanelSection:
    heading: str
    description: str
    url: str


@dataclass(frozen=True)
class RolePanel:
    """One role of the user, where it applies, and its staff-area sections."""

    role: str
    label: str
    description: str
    all_branches: bool
    branches: list[Branch]
    sections: list[PanelSection]


def url_or_none(url_name: str) -> str | None:
    """The path of a named URL, or None while that page does not exist yet."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def staff_panels(*, user: AnyUser, role: str | None = None) -> list[RolePanel]:
    """The user's roles as staff-area panels (only `role` when given), in Role order.

    Section links resolve here, not in templates: a section whose page does not exist yet, or
    whose right the user lacks, is left out.
    """
    grants = {g.role: g for g in staff_grants(user=user) if g.anywhere}
    wanted = [r for r in Role.values if r in grants and (role is None or r == role)]
    branch_ids = set().union(*(grants[r].branch_ids for r in wanted)) if wanted else set()
    branches = {b.pk: b for b in Branch.objects.filter(pk__in=branch_ids).order_by("name")}
    return [
        RolePanel(
            role=r,
            label=str(Role(r).label),
            description=str(ROLE_DESCRIPTIONS[r]),
            all_branches=grants[r].all_branches,
            branches=[b for pk, b in branches.items() if pk in grants[r].branch_ids],
            sections=[
                PanelSection(heading=str(s.heading), description=str(s.description), url=url)
                for s in ROLE_PANELS[r]
                if (url := url_or_none(s.url_name)) is not None
                and (s.action is None or staff_can(user=user, action=s.action))
            ],
        )
        for r in wanted
    ]


def audit_entries_for(*, obj: Model) -> QuerySet[AuditEntry]:
    """An object's history in the audit log, newest first (what polka.core.audit.audit wrote)."""
    return AuditEntry.objects.filter(object_key=object_key(obj)).select_related("actor")
