"""Demo readers, registered through the readers services: children under 14 with a guardian
who consents for them, one reader with a password to try the account with."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from polka.accounts.models import User
from polka.cli.demo import vocabulary as v
from polka.consents.models import ConsentRecord
from polka.org.calendar import BranchCalendar
from polka.org.models import Branch
from polka.org.selectors import branches_calendars
from polka.readers import policies
from polka.readers.models import Guardian, Reader, RecordView, Registration
from polka.readers.services import (
    GuardianData,
    reader_categories_ensure,
    reader_password_set,
    reader_register,
)

if TYPE_CHECKING:
    from polka.cli.demo.generator import PlannedReader

PARENT_NAMES = ("Елена", "Ольга", "Наталья", "Сергей", "Андрей", "Ирина", "Дмитрий", "Татьяна")
# Readers joined from the first of January of last year up to this many days before today: the
# statistics see a year of registrations, and the demo's loans (up to two months back) find
# their readers already registered.
JOINED_BEFORE_DAYS = 70


def _birth_date(reader: PlannedReader, today: dt.date) -> dt.date:
    """A date in the planned birth year, the same for the same card (the plan is reproducible).

    The plan's ages are meant for the reference year: a demo loaded later shifts the year with the
    calendar, so a planned eight-year-old is still a child who needs a guardian in 2028."""
    day_of_year = sum(reader.card_number.encode()) % 365
    year = reader.birth_year + max(0, today.year - v.REFERENCE_YEAR)
    return dt.date(year, 1, 1) + dt.timedelta(days=day_of_year)


def store_readers(
    planned: Iterable[PlannedReader], branches: dict[str, Branch], at: dt.datetime
) -> tuple[int, Reader | None]:
    """Register the planned readers; returns how many, and the first adult with an e-mail
    (the one whose password the demo prints)."""
    reader_categories_ensure()  # a flushed test database has lost the migration's rows
    today = timezone.localdate(at)
    start = dt.date(today.year - 1, 1, 1)
    end = today - dt.timedelta(days=JOINED_BEFORE_DAYS)
    calendars = branches_calendars(branches=list(branches.values()), start=start, end=today)
    count = 0
    account: Reader | None = None
    for number, plan in enumerate(planned):
        birth = _birth_date(plan, today)
        if birth > today:
            birth = dt.date(today.year - 1, birth.month, min(birth.day, 28))
        home = branches[plan.home_branch_code]
        joined = _joined_on(plan, calendars[home.pk], start, end)
        guardians = []
        if policies.needs_guardian(birth_date=birth, on=min(joined, today)):
            parent = PARENT_NAMES[number % len(PARENT_NAMES)]
            guardians.append(
                GuardianData(
                    full_name=f"{plan.last_name} {parent}", phone=plan.phone, relation=_("родитель")
                )
            )
        reader = reader_register(
            card_number=plan.card_number,
            last_name=plan.last_name,
            first_name=plan.first_name,
            middle_name=plan.middle_name,
            birth_date=birth,
            category=plan.category,
            home_branch=home,
            email=plan.email,
            phone=plan.phone,
            consents=list(plan.consents),
            guardians=guardians,
            duplicates_confirmed=True,
            at=min(at, _desk_time(joined, calendars[home.pk])),
        )
        if account is None and plan.email and not guardians:
            account = reader
        count += 1
    return count, account


def _joined_on(
    plan: PlannedReader, calendar: BranchCalendar, start: dt.date, end: dt.date
) -> dt.date:
    """The open day the reader registered, the same for the same card."""
    if end < start:
        return end
    span = (end - start).days + 1
    day = start + dt.timedelta(days=int(plan.card_number[len(v.CARD_PREFIX) :]) * 7919 % span)
    while day < end and not calendar.is_open(day):
        day += dt.timedelta(days=1)
    return day


def _desk_time(day: dt.date, calendar: BranchCalendar) -> dt.datetime:
    """An hour after the branch opened that day."""
    hours = calendar.hours_on(day)
    opens = hours[0] if hours is not None else dt.time(11, 0)
    zone = timezone.get_current_timezone()
    return dt.datetime.combine(day, opens, tzinfo=zone) + dt.timedelta(hours=1)


def demo_reader_accounts() -> list[Reader]:
    """The demo readers who can sign in with a password (the load gives one such account)."""
    readers = Reader.objects.exclude(user=None).select_related("user", "home_branch")
    return [r for r in readers.order_by("pk") if r.user and r.user.has_usable_password()]


def reader_password_give(reader: Reader) -> str:
    password = secrets.token_urlsafe(12)
    reader_password_set(reader=reader, password=password)
    return password


def wipe_readers() -> None:
    """Delete every reader with what hangs on them (maintenance of a throwaway database)."""
    ConsentRecord.objects.filter(reader_link__isnull=False).delete()
    Registration.objects.all().delete()
    RecordView.objects.all().delete()
    Guardian.objects.all().delete()
    users = list(Reader.objects.exclude(user=None).values_list("user_id", flat=True))
    Reader.objects.all().delete()
    User.objects.filter(pk__in=users).delete()
