"""The one place that counts: every figure of the diary, the form and the dashboard is a sum of
tallies read here from what the other apps recorded, aggregated in SQL.

A tally's key says where (branch), what (indicator), when (day), for whom (age or 6-НК band) and,
for loans, which documents (type, language). A source is one query; facts are anonymous, so
anonymised loans and erased readers still count.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from polka.circulation.models import Fact, FactKind
from polka.elibrary.models import Eloan
from polka.events.models import Audience, Event, RegistrationState
from polka.readers.models import Registration
from polka.reference.models import Question, State
from polka.statistics.models import DiaryEntry, FactTotal, Indicator
from polka.statistics.policies import form_band_of
from polka.statistics.rollup import rolled_id


@dataclass(frozen=True)
class Key:
    branch_id: int | None  # None: the network's (an e-loan of a reader no longer known)
    indicator: str
    on: dt.date | None  # None when counted by period
    age: int | None
    form_band: str  # the 6-НК band code when only that is known
    material_type: str = ""
    language: str = ""


Tally = Counter[Key]

# An event's audience tells the 6-НК band of those who came registered (their ages are unknown).
AUDIENCE_BANDS = {Audience.CHILDREN: "0-14", Audience.TEENS: "15-30"}
FACT_INDICATORS = {
    FactKind.LOAN: Indicator.LOANS,
    FactKind.IN_LIBRARY_USE: Indicator.USE,
    FactKind.VISIT: Indicator.VISITS,
}
# The indicators that come only from hand entries (the system cannot see them).
HAND_ONLY = frozenset(
    {
        Indicator.ILL,
        Indicator.OFFSITE_VISITS,
        Indicator.OFFSITE_LOANS,
        Indicator.EVENTS_OFFSITE,
        Indicator.EVENTS_ONLINE,
    }
)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    branch_ids: tuple[int, ...] | None = None  # None: the whole network
    by_day: bool = False
    by_document: bool = False
    ages: bool = True  # the age in years too (the diary's finer bands), not only the 6-НК band
    per_branch: bool = True  # False: the network's sums (the facts' GROUP BY skips the branch)

    def within(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _branch_q(period: Period, lookup: str = "branch_id") -> Q:
    return Q(**{f"{lookup}__in": period.branch_ids}) if period.branch_ids is not None else Q()


def facts_query(period: Period) -> Iterator[tuple[Key, int]]:
    """Loans, reading-room uses and visits: the rolled-up sums and the facts since, or (for
    ages in years and documents, which the sums do not keep) a GROUP BY over the facts."""
    if period.ages or period.by_document:
        yield from _facts_live(period, Q())
        return
    rolled = rolled_id()
    fields = ["kind", "remote", "age_band"]
    if period.per_branch or period.branch_ids is not None:
        fields.append("branch_id")
    if period.by_day:
        fields.append("on")
    totals = (
        FactTotal.objects.filter(_branch_q(period), on__gte=period.start, on__lte=period.end)
        .filter(kind__in=list(FACT_INDICATORS))
        .values(*fields)
        .annotate(n=Sum("n"))
        .order_by()
    )
    for row in totals:
        yield _fact_key(row), row["n"]
    yield from _facts_since(period, rolled, fields)


def _facts_since(period: Period, rolled: int, fields: list[str]) -> Iterator[tuple[Key, int]]:
    """The facts not yet rolled up (minutes' worth), read by id alone: any other condition
    would tempt the planner into an index over every fact."""
    if not Fact.objects.filter(pk__gt=rolled).exists():
        return
    wanted = set(FACT_INDICATORS)
    counted: Counter[tuple[Any, ...]] = Counter()
    rows = Fact.objects.filter(pk__gt=rolled).values_list(
        "kind", "remote", "age_band", "branch_id", "on"
    )
    for kind, remote, band, branch_id, on in rows.iterator():
        if kind not in wanted or not period.within(on):
            continue
        if period.branch_ids is not None and branch_id not in period.branch_ids:
            continue
        counted[(kind, remote, band, branch_id, on)] += 1
    for (kind, remote, band, branch_id, on), n in counted.items():
        row = {"kind": kind, "remote": remote, "age_band": band}
        if "branch_id" in fields:
            row["branch_id"] = branch_id
        if "on" in fields:
            row["on"] = on
        yield _fact_key(row), n


def _fact_key(row: dict[str, Any]) -> Key:
    indicator = FACT_INDICATORS[row["kind"]]
    if indicator == Indicator.VISITS and row["remote"]:
        indicator = Indicator.VISITS_REMOTE
    return Key(
        row.get("branch_id"),
        indicator,
        row.get("on"),
        row.get("age"),
        row["age_band"],
        row.get("material_type", ""),
        row.get("language", ""),
    )


def _facts_live(period: Period, since: Q) -> Iterator[tuple[Key, int]]:
    fields = ["kind", "remote", "age_band"]
    if period.per_branch or period.branch_ids is not None:
        fields.append("branch_id")
    if period.ages:
        fields.append("age")
    if period.by_day:
        fields.append("on")
    if period.by_document:
        fields += ["material_type", "language"]
    rows = (
        Fact.objects.filter(_branch_q(period), since, on__gte=period.start, on__lte=period.end)
        .filter(kind__in=list(FACT_INDICATORS))
        .values(*fields)
        .annotate(n=Count("*"))
        .order_by()
    )
    for row in rows:
        yield _fact_key(row), row["n"]


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def _moment_range(period: Period) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def registrations_query(period: Period) -> Iterator[tuple[Key, int]]:
    """Readers registered and re-registered; a reader since erased counts, of unknown age."""
    start, end = _moment_range(period)
    rows = Registration.objects.filter(_branch_q(period), at__gte=start, at__lt=end).values_list(
        "branch_id", "is_new", "at", "age"
    )
    for branch_id, is_new, at, age in rows:
        day = _local_day(at)
        indicator = Indicator.USERS_NEW if is_new else Indicator.USERS_RE
        yield Key(branch_id, indicator, day if period.by_day else None, age, ""), 1


def eloans_query(period: Period) -> Iterator[tuple[Key, int]]:
    """Remote loans from the platforms' reports, in the home branch of the reader's login."""
    loans = Eloan.objects.filter(loaned_on__gte=period.start, loaned_on__lte=period.end)
    if period.branch_ids is not None:
        loans = loans.filter(branch_id__in=period.branch_ids)
    fields = ["branch_id"] + (["loaned_on"] if period.by_day else [])
    for row in loans.values(*fields).annotate(n=Count("id")).order_by():
        yield Key(row["branch_id"], Indicator.ELOANS, row.get("loaned_on"), None, ""), row["n"]


def answers_query(period: Period) -> Iterator[tuple[Key, int]]:
    """Reference questions answered (written answers; oral ones are hand entries)."""
    start, end = _moment_range(period)
    rows = Question.objects.filter(
        _branch_q(period),
        state__in=[State.ANSWERED, State.CLOSED],
        answered_at__gte=start,
        answered_at__lt=end,
    ).values_list("branch_id", "answered_at")
    for branch_id, at in rows:
        day = _local_day(at) if period.by_day and at is not None else None
        yield Key(branch_id, Indicator.ANSWERS, day, None, ""), 1


def events_query(period: Period) -> Iterator[tuple[Key, int]]:
    """Events held (their attendance was recorded) and those who came, by band."""
    start, end = _moment_range(period)
    events = Event.objects.filter(
        _branch_q(period),
        attendance_recorded_at__isnull=False,
        starts_at__gte=start,
        starts_at__lt=end,
    ).annotate(
        came=Count(
            "registrations",
            filter=Q(registrations__attended=True)
            & ~Q(registrations__state=RegistrationState.CANCELLED),
        )
    )
    for event in events.only(
        "branch_id", "starts_at", "audience", "walk_in_children", "walk_in_youth", "walk_in_adults"
    ):
        day = _local_day(event.starts_at) if period.by_day else None
        band = AUDIENCE_BANDS.get(Audience(event.audience), "")
        branch_id = event.branch_id
        yield Key(branch_id, Indicator.EVENTS, day, None, band), 1
        for count, walk_band in (
            (event.came, band),
            (event.walk_in_children, "0-14"),
            (event.walk_in_youth, "15-30"),
            (event.walk_in_adults, "31+"),
        ):
            if count:
                yield Key(branch_id, Indicator.ATTENDANCE, day, None, walk_band), count


def entries_query(period: Period) -> Iterator[tuple[Key, int]]:
    """The diary's hand entries, corrections included (they are entries too)."""
    rows = DiaryEntry.objects.filter(
        _branch_q(period), on__gte=period.start, on__lte=period.end
    ).values_list("branch_id", "indicator", "on", "age_from", "age_to", "count")
    for branch_id, indicator, on, age_from, age_to, count in rows:
        band = form_band_of(age_from=age_from, age_to=age_to)
        yield Key(branch_id, indicator, on if period.by_day else None, age_from, band), count


Source = Callable[[Period], Iterator[tuple[Key, int]]]
SOURCES: tuple[Source, ...] = (
    facts_query,
    registrations_query,
    eloans_query,
    answers_query,
    events_query,
    entries_query,
)


def tally(period: Period, sources: Sequence[Source] = SOURCES) -> Tally:
    """Every figure of the period, keyed; sums of what the sources count."""
    total: Tally = Counter()
    for source in sources:
        for key, n in source(period):
            total[key] += n
    return total


def summed(
    counts: Tally,
    *,
    indicators: Iterable[str],
    band: str | None = None,
    band_of: Callable[[Key], str] | None = None,
) -> int:
    """The sum over `indicators`, optionally only for one band (`band_of(key)` names it)."""
    wanted = set(indicators)
    return sum(
        n
        for key, n in counts.items()
        if key.indicator in wanted and (band is None or band_of is None or band_of(key) == band)
    )
