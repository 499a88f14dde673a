"""The demo library: plan it from a seed (pure data), then store it through the services.

Same seed, same data: every random choice comes from `random.Random` streams seeded from the
seed. Only the events calendar follows the date of `at`, so that events are always upcoming.
Staff passwords come from `secrets` and are never stored anywhere but as password hashes.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from polka.accounts.models import User
from polka.catalog.marcio import marc_serialise
from polka.catalog.models import Item, Person, Record
from polka.catalog.services import IncomingRecord, records_store
from polka.cli.demo import vocabulary as v
from polka.cli.demo.books import PlannedRecord, fictional_name, plan_records
from polka.cli.demo.extras import DemoContext, extras
from polka.events.models import Event
from polka.events.services import event_create
from polka.org import services as org_services
from polka.org.models import AuditEntry, Branch, CalendarException, Network, Role
from polka.org.selectors import branches_calendars
from polka.readers.models import Reader
from polka.readers.services import (
    CONSENT_NOTIFICATIONS,
    CONSENT_PERSONAL_DATA,
    ConsentGiven,
    reader_register,
)
from polka.search.indexing import unindex_records

DEFAULT_SEED = 1
DEFAULT_RECORDS = 3000
READERS_PER_RECORD = 0.1
MIN_READERS = 20
RECORD_BATCH = 250

T = TypeVar("T")


class NotOnlyDemoData(Exception):
    """The database holds something besides demo data; wiping it would lose a library's work."""


# --- Plan ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedReader:
    card_number: str
    last_name: str
    first_name: str
    middle_name: str
    birth_year: int
    category: str
    home_branch_code: str
    email: str
    phone: str
    consents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlannedEvent:
    spec: v.EventSpec
    branch_code: str
    starts_at: dt.datetime
    ends_at: dt.datetime


def plan_readers(*, seed: int, count: int) -> list[PlannedReader]:
    rng = random.Random(f"polka-demo-readers-{seed}")  # noqa: S311 - reproducible, not secret
    categories, weights = zip(*((c[0], c[3]) for c in v.READER_CATEGORIES), strict=True)
    ages = {c[0]: (c[1], c[2]) for c in v.READER_CATEGORIES}
    children_branches = [b.code for b in v.BRANCHES if b.children]
    adult_branches = [b.code for b in v.BRANCHES if not b.children]
    readers = []
    for number in range(1, count + 1):
        category = rng.choices(categories, weights=weights)[0]
        surname, first, patronymic = fictional_name(rng, 0.55)
        young = category in ("child", "teen")
        home = rng.choice(children_branches if young else adult_branches)
        email = f"reader{number:05d}@mail.example" if rng.random() < 0.5 else ""
        phone = (
            f"+7 (000) {rng.randrange(200, 999)}-{rng.randrange(10, 99)}-{rng.randrange(10, 99)}"
        )
        consents = [CONSENT_PERSONAL_DATA]
        if email:
            consents.append(CONSENT_NOTIFICATIONS)
        low, high = ages[category]
        readers.append(
            PlannedReader(
                card_number=f"{v.CARD_PREFIX}{number:07d}",
                last_name=surname,
                first_name=first,
                middle_name=patronymic,
                birth_year=v.REFERENCE_YEAR - rng.randint(low, high),
                category=category,
                home_branch_code=home,
                email=email,
                phone=phone,
                consents=tuple(consents),
            )
        )
    return readers


def _clock(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def _fits(spec: v.EventSpec, branch: v.BranchSpec, day: dt.date) -> bool:
    """Whether the event fits in the branch's regular hours that weekday."""
    hours = branch.hours.get(day.weekday())
    if hours is None:
        return False
    start = dt.datetime.combine(day, _clock(spec.start))
    end = start + dt.timedelta(minutes=spec.minutes)
    return _clock(hours[0]) <= start.time() and end <= dt.datetime.combine(day, _clock(hours[1]))


def plan_events(*, seed: int, today: dt.date, zone: dt.tzinfo) -> list[PlannedEvent]:
    """Weekly clubs and one-off events over the weeks after `today` (never on `today`)."""
    rng = random.Random(f"polka-demo-events-{seed}")  # noqa: S311 - reproducible, not secret
    branches = {b.code: b for b in v.BRANCHES}
    days = [today + dt.timedelta(days=n) for n in range(1, v.EVENT_WEEKS * 7 + 1)]
    chosen: list[tuple[v.EventSpec, str, dt.date]] = []
    for spec in (s for s in v.EVENTS if s.weekday is not None):
        for code in spec.branch_codes:
            chosen += [
                (spec, code, d)
                for d in days
                if d.weekday() == spec.weekday and _fits(spec, branches[code], d)
            ]
    one_offs = [s for s in v.EVENTS if s.weekday is None]
    for number in range(v.ONE_OFF_EVENTS):
        # Cycle through the one-off kinds so each appears; the random part is where and when.
        spec = one_offs[number % len(one_offs)]
        code = rng.choice(spec.branch_codes)
        fitting = [d for d in days if _fits(spec, branches[code], d)]
        if fitting:
            chosen.append((spec, code, rng.choice(fitting)))
    events = []
    for spec, code, day in sorted(chosen, key=lambda c: (c[2], c[0].start, c[1], c[0].title)):
        starts = dt.datetime.combine(day, _clock(spec.start), tzinfo=zone)
        events.append(PlannedEvent(spec, code, starts, starts + dt.timedelta(minutes=spec.minutes)))
    return events


def last_weekday_of_month(year: int, month: int, weekday: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


# --- State -----------------------------------------------------------------------------------

DemoState = Literal["empty", "demo", "other"]


def _demo_networks() -> Q:
    return Q(website=v.NETWORK_WEBSITE)


def demo_state() -> DemoState:
    """Empty, holding the demo network, or holding some library's own data."""
    if Network.objects.exclude(_demo_networks()).exists():
        return "other"
    if Record.objects.exclude(control_number__startswith=v.CONTROL_NUMBER_PREFIX).exists():
        return "other"
    if Network.objects.filter(_demo_networks()).exists():
        return "demo"
    return "empty"


def demo_usernames() -> list[str]:
    return [s.username for s in v.STAFF]


def _non_demo_data() -> list[str]:
    """What in the database is not demo data (empty when only demo data is there)."""
    event_titles = {s.title for s in v.EVENTS}
    checks = {
        _("сети библиотек"): Network.objects.exclude(_demo_networks()),
        _("записи"): Record.objects.exclude(control_number__startswith=v.CONTROL_NUMBER_PREFIX),
        _("экземпляры"): Item.objects.exclude(
            record__control_number__startswith=v.CONTROL_NUMBER_PREFIX
        ),
        _("читатели"): Reader.objects.exclude(card_number__startswith=v.CARD_PREFIX),
        _("мероприятия"): Event.objects.exclude(title__in=event_titles),
        _("сотрудники"): User.objects.filter(staff_roles__isnull=False).exclude(
            username__in=demo_usernames()
        ),
    }
    return [str(name) for name, rows in checks.items() if rows.exists()]


def demo_wipe() -> None:
    """Delete the demo network and everything in it; refuse if anything else is there."""
    found = _non_demo_data()
    if found:
        raise NotOnlyDemoData(", ".join(found))
    with transaction.atomic():
        # Deleting is maintenance of a throwaway database, not a domain change: no service.
        for extra in reversed(extras()):
            extra.wipe()
        Event.objects.all().delete()
        unindex_records(list(Record.objects.values_list("pk", flat=True)))
        Item.objects.all().delete()
        Record.objects.all().delete()
        Person.objects.filter(authorships__isnull=True).delete()
        Reader.objects.all().delete()
        User.objects.filter(username__in=demo_usernames()).delete()
        CalendarException.objects.all().delete()
        AuditEntry.objects.all().delete()
        Branch.objects.all().delete()
        Network.objects.all().delete()


# --- Store -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Credential:
    username: str
    role: str
    branches: str
    password: str


@dataclass(slots=True)
class DemoSummary:
    branches: int = 0
    staff: int = 0
    records: int = 0
    items: int = 0
    readers: int = 0
    events: int = 0
    # What each app's demo content made (polka.cli.demo.extras), by what it counts.
    extras: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    credentials: list[Credential] = field(default_factory=list)


def _credential(spec: v.StaffSpec, password: str) -> Credential:
    branches = {b.code: b.short_name for b in v.BRANCHES}
    where = ", ".join(branches[c] for c in spec.branch_codes) or _("все библиотеки сети")
    return Credential(spec.username, str(Role(spec.role).label), where, password)


def _store_network(at: dt.datetime) -> dict[str, Branch]:
    network = org_services.network_create(
        name=v.NETWORK_NAME,
        short_name=v.NETWORK_SHORT_NAME,
        city=v.CITY,
        website=v.NETWORK_WEBSITE,
        at=at,
    )
    year = timezone.localdate(at).year
    branches: dict[str, Branch] = {}
    for spec in v.BRANCHES:
        branch = org_services.branch_create(
            network=network,
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            kind=spec.kind,
            address=spec.address,
            phone=spec.phone,
            email=f"{spec.code}@{v.MAIL_DOMAIN}",
            accessibility=spec.accessibility,
            at=at,
        )
        org_services.opening_hours_set(
            branch=branch,
            week={
                day: (_clock(opens), _clock(closes)) for day, (opens, closes) in spec.hours.items()
            },
            by=None,
            at=at,
        )
        for each_year in (year, year + 1):
            org_services.branch_sanitary_days_load(
                branch=branch, year=each_year, weekday=spec.sanitary_weekday, at=at
            )
        branches[spec.code] = branch
    for each_year in (year, year + 1):
        org_services.network_holidays_load(year=each_year, at=at)
    return branches


def _store_staff(branches: dict[str, Branch], at: dt.datetime) -> list[Credential]:
    credentials = []
    for spec in v.STAFF:
        scope: org_services.Scope = [branches[c] for c in spec.branch_codes] or "all"
        _user, password = org_services.staff_user_create(
            username=spec.username,
            email=f"{spec.username}@{v.MAIL_DOMAIN}",
            full_name=spec.full_name,
            roles={spec.role: scope},
            at=at,
        )
        credentials.append(_credential(spec, password))
    return credentials


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _store_records(
    planned: Iterable[PlannedRecord], branches: dict[str, Branch], at: dt.datetime
) -> None:
    # Records go in batches: the catalogue stores a batch in a fixed number of queries, and
    # the copies come from the records' own holdings fields, as in any import.
    for batch in _batches(planned, RECORD_BATCH):
        records_store(
            batch=[
                IncomingRecord.build(
                    marc=plan.marc,
                    flavour=plan.flavour,
                    source=marc_serialise(plan.marc, encoding="utf-8"),
                    encoding="utf-8",
                )
                for plan in batch
            ],
            at=at,
            branches=branches,
            strict=True,
        )


def _store_readers(
    planned: Iterable[PlannedReader], branches: dict[str, Branch], at: dt.datetime
) -> int:
    count = 0
    for reader in planned:
        reader_register(
            card_number=reader.card_number,
            last_name=reader.last_name,
            first_name=reader.first_name,
            middle_name=reader.middle_name,
            birth_year=reader.birth_year,
            category=reader.category,
            home_branch=branches[reader.home_branch_code],
            email=reader.email,
            phone=reader.phone,
            consents=[ConsentGiven(purpose, v.CONSENT_TEXT_VERSION) for purpose in reader.consents],
            at=at,
        )
        count += 1
    return count


def _store_events(planned: list[PlannedEvent], branches: dict[str, Branch], at: dt.datetime) -> int:
    if not planned:
        return 0
    calendars = branches_calendars(
        branches=list(branches.values()),
        start=planned[0].starts_at.date(),
        end=max(e.ends_at.date() for e in planned),
    )
    count = 0
    for event in planned:
        branch = branches[event.branch_code]
        hours = calendars[branch.pk].hours_on(event.starts_at.date())
        opens_in_time = (
            hours is not None
            and hours[0] <= event.starts_at.timetz().replace(tzinfo=None)
            and event.ends_at.time() <= hours[1]
        )
        if not opens_in_time:
            continue  # a holiday or sanitary day: that week's meeting does not happen
        event_create(
            title=event.spec.title,
            description=event.spec.description,
            branch=branch,
            place=event.spec.place,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            audience=event.spec.audience,
            age_mark=event.spec.age_mark,
            capacity=event.spec.capacity,
            at=at,
        )
        count += 1
    return count


@dataclass(frozen=True, slots=True)
class DemoPlan:
    """Everything the demo will hold, before any of it is stored."""

    records: list[PlannedRecord]
    readers: list[PlannedReader]
    events: list[PlannedEvent]

    def summary(self) -> DemoSummary:
        return DemoSummary(
            branches=len(v.BRANCHES),
            staff=len(v.STAFF),
            records=len(self.records),
            items=sum(len(plan.items) for plan in self.records),
            readers=len(self.readers),
            events=len(self.events),
        )


def demo_plan(*, seed: int, records: int, at: dt.datetime) -> DemoPlan:
    zone = timezone.get_current_timezone()
    return DemoPlan(
        records=plan_records(seed=seed, count=records),
        readers=plan_readers(seed=seed, count=max(MIN_READERS, int(records * READERS_PER_RECORD))),
        events=plan_events(seed=seed, today=timezone.localdate(at, zone), zone=zone),
    )


def demo_load(
    *,
    seed: int,
    records: int,
    at: dt.datetime,
    progress: Callable[[Iterable[PlannedRecord], int], Iterable[PlannedRecord]] | None = None,
) -> DemoSummary:
    """Create the whole demo library in one transaction: all of it or, on failure, none."""
    started = time.monotonic()
    plan = demo_plan(seed=seed, records=records, at=at)
    summary = plan.summary()
    with transaction.atomic():
        branches = _store_network(at)
        summary.credentials = _store_staff(branches, at)
        stream: Iterable[PlannedRecord] = plan.records
        if progress is not None:
            stream = progress(plan.records, len(plan.records))
        _store_records(stream, branches, at)
        _store_readers(plan.readers, branches, at)
        summary.events = _store_events(plan.events, branches, at)
        context = DemoContext(seed=seed, at=at, branches=branches)
        for extra in extras():
            summary.extras[str(extra.label)] = extra.load(context)
    summary.seconds = time.monotonic() - started
    return summary


def demo_passwords_reset(*, at: dt.datetime) -> list[Credential]:
    """Give every demo staff account a new password and return them (to be shown once)."""
    users = {u.username: u for u in User.objects.filter(username__in=demo_usernames())}
    credentials = []
    with transaction.atomic():
        for spec in v.STAFF:
            user = users.get(spec.username)
            if user is None:
                continue
            password = org_services.staff_password_reset(user=user, by=None, at=at)
            credentials.append(_credential(spec, password))
    return credentials
