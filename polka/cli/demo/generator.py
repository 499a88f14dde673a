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
from polka.cli.demo.readers import (
    demo_reader_accounts,
    reader_password_give,
    store_readers,
    wipe_readers,
)
from polka.cli.demo.schedule import PlannedEvent, clock, demo_calendars, demo_schedule
from polka.events.models import Event
from polka.events.services import event_create
from polka.org import services as org_services
from polka.org.models import AuditEntry, Branch, CalendarException, Network, Role
from polka.protocols.services import sip2_station_create
from polka.readers.models import Reader
from polka.readers.services import CONSENT_NOTIFICATIONS, CONSENT_PERSONAL_DATA
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


def _demo_networks() -> Q:
    return Q(website=v.NETWORK_WEBSITE)


# --- State -----------------------------------------------------------------------------------

DemoState = Literal["empty", "demo", "other"]


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
    return [s.username for s in v.STAFF] + [v.SIP2_STATION]


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
        wipe_readers()
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


def store_network(at: dt.datetime) -> dict[str, Branch]:
    """The demo network and its branches with weekly hours, holidays and sanitary days of last
    year (the demo's year of activity), this year and the next (it schedules months ahead)."""
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
                day: (clock(opens), clock(closes)) for day, (opens, closes) in spec.hours.items()
            },
            by=None,
            at=at,
        )
        branches[spec.code] = branch
    store_closed_days(branches, years=(year - 1, year, year + 1), at=at)
    return branches


def store_closed_days(
    branches: dict[str, Branch], *, years: Iterable[int], at: dt.datetime
) -> None:
    sanitary = {spec.code: spec.sanitary_weekday for spec in v.BRANCHES}
    for year in years:
        org_services.network_holidays_load(year=year, at=at)
        for code, branch in branches.items():
            org_services.branch_sanitary_days_load(
                branch=branch, year=year, weekday=sanitary[code], at=at
            )


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
) -> Credential | None:
    """Readers through the readers services; the credential of the one demo reader account."""
    _count, account = store_readers(planned, branches, at)
    return None if account is None else _reader_credential(account)


def _store_sip2_station(branches: dict[str, Branch], at: dt.datetime) -> Credential:
    """A kiosk login for `polka sip2`, so a self-service station (or a SIP2 client) can be tried."""
    branch = branches[v.SIP2_BRANCH]
    _station, password = sip2_station_create(username=v.SIP2_STATION, branch=branch, at=at)
    return _sip2_credential(branch=branch, password=password)


def _sip2_credential(*, branch: Branch, password: str) -> Credential:
    return Credential(
        v.SIP2_STATION,
        _("станция самообслуживания (polka sip2)"),
        branch.short_name or branch.name,
        password,
    )


def _reader_credential(account: Reader) -> Credential:
    branch = account.home_branch.short_name or account.home_branch.name
    return Credential(
        account.card_number,
        _("читатель (вход: /account/login/)"),
        branch,
        reader_password_give(account),
    )


def _store_events(planned: list[PlannedEvent], branches: dict[str, Branch], at: dt.datetime) -> int:
    # The plan already follows the branches' calendars: every event here can happen.
    for event in planned:
        event_create(
            title=event.spec.title,
            description=event.spec.description,
            branch=branches[event.branch_code],
            place=event.spec.place,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            audience=event.spec.audience,
            age_mark=event.spec.age_mark,
            capacity=event.spec.capacity,
            event_type=event.spec.event_type,
            at=at,
        )
    return len(planned)


@dataclass(frozen=True, slots=True)
class DemoPlan:
    """What the demo will hold that does not depend on the calendar, before any is stored."""

    records: list[PlannedRecord]
    readers: list[PlannedReader]

    def summary(self) -> DemoSummary:
        return DemoSummary(
            branches=len(v.BRANCHES),
            staff=len(v.STAFF),
            records=len(self.records),
            items=sum(len(plan.items) for plan in self.records),
            readers=len(self.readers),
        )


def demo_plan(*, seed: int, records: int) -> DemoPlan:
    return DemoPlan(
        records=plan_records(seed=seed, count=records),
        readers=plan_readers(seed=seed, count=max(MIN_READERS, int(records * READERS_PER_RECORD))),
    )


class _DryRun(Exception):
    """Raised at the end of a dry run so that its transaction rolls back."""


def demo_load(
    *,
    seed: int,
    records: int,
    at: dt.datetime,
    progress: Callable[[Iterable[PlannedRecord], int], Iterable[PlannedRecord]] | None = None,
    dry_run: bool = False,
) -> DemoSummary:
    """Create the whole demo library in one transaction: all of it or, on failure, none.

    A dry run does all of it and rolls back, so it fails exactly where a real run would.
    """
    started = time.monotonic()
    plan = demo_plan(seed=seed, records=records)
    summary = plan.summary()
    zone = timezone.get_current_timezone()
    try:
        with transaction.atomic():
            branches = store_network(at)
            summary.credentials = _store_staff(branches, at)
            stream: Iterable[PlannedRecord] = plan.records
            if progress is not None:
                stream = progress(plan.records, len(plan.records))
            _store_records(stream, branches, at)
            reader_credential = _store_readers(plan.readers, branches, at)
            if reader_credential is not None:
                summary.credentials.append(reader_credential)
            summary.credentials.append(_store_sip2_station(branches, at))
            today = timezone.localdate(at, zone)
            calendars = demo_calendars(branches=branches, today=today)
            schedule = demo_schedule(seed=seed, today=today, zone=zone, calendars=calendars)
            summary.events = _store_events(schedule.events, branches, at)
            context = DemoContext(seed=seed, at=at, branches=branches, schedule=schedule)
            for extra in extras():
                summary.extras[str(extra.label)] = extra.load(context)
            if dry_run:
                raise _DryRun
    except _DryRun:
        summary.credentials = []
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
        station = users.get(v.SIP2_STATION)
        if station is not None:
            password = org_services.staff_password_reset(user=station, by=None, at=at)
            credentials.append(
                _sip2_credential(branch=station.sip2_station.branch, password=password)
            )
        # The demo reader who can sign in gets a new password too: the old one was shown once.
        for reader in demo_reader_accounts():
            credentials.append(_reader_credential(reader))
    return credentials
