"""Changes to library events."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone

from polka.consents.services import consent_to_sign_up
from polka.consents.texts import EVENT_SIGNUP
from polka.core.sanitize import clean_text
from polka.core.states import transition
from polka.events.errors import (
    AlreadyRegistered,
    EventEndsBeforeStart,
    EventOnClosedDay,
    PushkinCardInvalid,
    RegistrationAlreadyCancelled,
    RegistrationClosed,
)
from polka.events.models import (
    Event,
    EventPhoto,
    EventSeries,
    EventType,
    Registration,
    RegistrationState,
)
from polka.events.states import REGISTRATION
from polka.notices.services import notice_send
from polka.notices.site import site_url
from polka.org.models import Branch
from polka.org.policies import AnyUser, staff_require
from polka.org.selectors import branch_calendar, branch_is_open

if TYPE_CHECKING:  # programmes sits above events: for annotations only
    from polka.programmes.models import Programme, Project


def _require_aware(*moments: dt.datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("event times must be aware datetimes")


@transaction.atomic
def event_create(
    *,
    title: str,
    branch: Branch,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    audience: str,
    age_mark: str,
    at: dt.datetime,
    description: str = "",
    place: str = "",
    capacity: int | None = None,
    is_published: bool = True,
    event_type: str = EventType.OTHER,
    registration: bool = False,
    accessibility: str = "",
    organiser: str = "",
    partners: str = "",
    project: Project | None = None,
    programme: Programme | None = None,
    pushkin_card: bool = False,
    ticket_url: str = "",
    pro_culture_id: str = "",
) -> Event:
    """Plan an event at a branch. `at` is when it was planned (kept for the audit trail).

    Refused when it ends before it starts or falls on a day the branch is closed.
    """
    _require_aware(starts_at, ends_at, at)
    if ends_at < starts_at:
        raise EventEndsBeforeStart()
    day = timezone.localdate(starts_at)
    if not branch_is_open(branch=branch, on=day):
        raise EventOnClosedDay(branch=branch.name, day=formats.date_format(day, "j E Y"))
    _pushkin_check(pushkin_card, ticket_url, pro_culture_id)
    return Event.objects.create(
        title=clean_text(title, max_length=300, multiline=False),
        description=clean_text(description),
        branch=branch,
        place=clean_text(place, max_length=200, multiline=False),
        starts_at=starts_at,
        ends_at=ends_at,
        audience=audience,
        age_mark=age_mark,
        capacity=capacity,
        is_published=is_published,
        event_type=event_type,
        registration=registration or capacity is not None,
        accessibility=clean_text(accessibility),
        organiser=clean_text(organiser, max_length=300, multiline=False),
        partners=clean_text(partners),
        project=project,
        programme=programme,
        pushkin_card=pushkin_card,
        ticket_url=ticket_url.strip(),
        pro_culture_id=pro_culture_id.strip(),
    )


def _pushkin_check(pushkin_card: bool, ticket_url: str, pro_culture_id: str) -> None:
    """An event for «Пушкинская карта» sells tickets somewhere; its PRO.Культура id is digits."""
    number = pro_culture_id.strip()
    if (pushkin_card and not ticket_url.strip()) or (number and not number.isdigit()):
        raise PushkinCardInvalid()


# --- sign-up, waiting list, cancellation -------------------------------------------------


def _active(event: Event) -> QuerySet[Registration]:
    return event.registrations.exclude(state=RegistrationState.CANCELLED)


def seats_taken(*, event: Event) -> int:
    return event.registrations.filter(state=RegistrationState.REGISTERED).count()


def _notify(registration: Registration, template: str, at: dt.datetime) -> None:
    notice_send(
        kind=f"events.{template}",
        to=registration.email,
        template=f"events/notices/{template}",
        context={
            "registration": registration,
            "event": registration.event,
            "cancel_link": site_url() + reverse("events:cancel", args=[registration.token]),
        },
        at=at,
        language=registration.language,
    )


@transaction.atomic
def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    at: dt.datetime,
    phone: str = "",
    user: AbstractBaseUser | AnonymousUser | None = None,
    ip_address: str | None = None,
    language: str = "ru",
) -> Registration:
    """Sign someone up: a seat while there is one, else a place in the waiting list.

    The event row is locked first, so two people can never take the last seat together.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.registration or not event.is_published or event.starts_at <= at:
        raise RegistrationClosed()
    if _active(event).filter(email__iexact=email).exists():
        raise AlreadyRegistered()
    full = event.capacity is not None and seats_taken(event=event) >= event.capacity
    signer = consent_to_sign_up(
        purpose=EVENT_SIGNUP,
        about=event,
        name=name,
        email=email,
        at=at,
        ip_address=ip_address,
        user=user,
    )
    registration = Registration.objects.create(
        event=event,
        state=RegistrationState.WAITLISTED if full else RegistrationState.REGISTERED,
        name=signer.name,
        email=email,
        phone=clean_text(phone, max_length=50, multiline=False),
        user_id=user.pk if user is not None and user.is_authenticated else None,
        consent=signer.consent,
        token=secrets.token_urlsafe(24),
        language=language,
        created_at=at,
    )
    _notify(registration, "waitlisted" if full else "registered", at)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, at: dt.datetime) -> Registration | None:
    """Cancel a sign-up; a freed seat goes to the first in the waiting list, who is told.

    Returns the promoted registration, if any.
    """
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.state == RegistrationState.CANCELLED:
        raise RegistrationAlreadyCancelled()
    freed = registration.state == RegistrationState.REGISTERED
    registration.event = event  # the locked event row serialises every change to its sign-ups
    registration.cancelled_at = at
    transition(
        REGISTRATION,
        registration,
        "cancel",
        by=None,
        at=at,
        update_fields=["cancelled_at"],
        lock=False,
    )
    if not freed or event.starts_at <= at:
        return None
    if event.capacity is not None and seats_taken(event=event) >= event.capacity:
        return None
    first = (
        event.registrations.filter(state=RegistrationState.WAITLISTED)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.event = event
    first.promoted_at = at
    transition(
        REGISTRATION, first, "promote", by=None, at=at, update_fields=["promoted_at"], lock=False
    )
    _notify(first, "promoted", at)
    return first


def reminders_queue(now: dt.datetime) -> int:
    """Remind everyone with a seat at an event that starts tomorrow (local time), once."""
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    registrations = Registration.objects.filter(
        state=RegistrationState.REGISTERED,
        event__starts_at__date=tomorrow,
        event__is_published=True,
    ).select_related("event", "event__branch")
    count = 0
    for registration in registrations:
        notice = notice_send(
            kind="events.reminder",
            to=registration.email,
            template="events/notices/reminder",
            context={
                "registration": registration,
                "event": registration.event,
                "cancel_link": site_url() + reverse("events:cancel", args=[registration.token]),
            },
            at=now,
            dedupe_key=f"events.reminder:{registration.pk}",
            language=registration.language,
        )
        count += notice is not None
    return count


# --- staff: planning, series, copies, attendance, photo reports ---------------------------

EDITABLE = (
    "title",
    "description",
    "place",
    "audience",
    "age_mark",
    "capacity",
    "is_published",
    "event_type",
    "registration",
    "accessibility",
    "organiser",
    "partners",
    "project",
    "programme",
    "pushkin_card",
    "ticket_url",
    "pro_culture_id",
)


def _staff(user: AnyUser, branch: Branch) -> None:
    staff_require(user=user, action="events.manage", branch=branch)


@transaction.atomic
def event_plan(*, by: AnyUser, branch: Branch, at: dt.datetime, **fields: Any) -> Event:
    """event_create for staff: checks their right to plan events in the branch."""
    _staff(by, branch)
    return event_create(branch=branch, at=at, **fields)


@transaction.atomic
def event_update(
    *,
    event: Event,
    by: AnyUser,
    at: dt.datetime,
    branch: Branch,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    **fields: Any,
) -> Event:
    """Change an event (checks as event_create does, in the old and the new branch)."""
    _staff(by, event.branch)
    _staff(by, branch)
    _require_aware(starts_at, ends_at, at)
    if ends_at < starts_at:
        raise EventEndsBeforeStart()
    day = timezone.localdate(starts_at)
    if not branch_is_open(branch=branch, on=day):
        raise EventOnClosedDay(branch=branch.name, day=formats.date_format(day, "j E Y"))
    event = Event.objects.select_for_update().get(pk=event.pk)
    event.branch, event.starts_at, event.ends_at = branch, starts_at, ends_at
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValueError(f"not an editable field: {name}")
        if isinstance(value, str) and name != "age_mark":
            value = clean_text(value)
        setattr(event, name, value)
    event.registration = event.registration or event.capacity is not None
    _pushkin_check(event.pushkin_card, event.ticket_url, event.pro_culture_id)
    event.save(update_fields=["branch", "starts_at", "ends_at", *fields, "registration"])
    return event


@transaction.atomic
def event_copy(*, event: Event, starts_at: dt.datetime, by: AnyUser, at: dt.datetime) -> Event:
    """The same event on another day (same length); registrations are not copied."""
    _staff(by, event.branch)
    fields = {name: getattr(event, name) for name in EDITABLE}
    return event_create(
        branch=event.branch,
        starts_at=starts_at,
        ends_at=starts_at + (event.ends_at - event.starts_at),
        at=at,
        **fields,
    )


@dataclass(frozen=True)
class SeriesPlan:
    series: EventSeries
    events: list[Event]
    skipped: list[dt.date]


@transaction.atomic
def series_create(
    *,
    by: AnyUser,
    branch: Branch,
    title: str,
    weekday: int,
    start_time: dt.time,
    minutes: int,
    first_day: dt.date,
    last_day: dt.date,
    at: dt.datetime,
    **fields: Any,
) -> SeriesPlan:
    """A weekly event from `first_day` to `last_day`; days the branch is closed (holidays,
    sanitary days) are skipped and listed in the series."""
    _staff(by, branch)
    if not 0 <= weekday <= 6 or last_day < first_day or minutes <= 0:
        raise EventEndsBeforeStart()
    calendar = branch_calendar(branch=branch, start=first_day, end=last_day)
    zone = timezone.get_current_timezone()
    series = EventSeries.objects.create(
        title=clean_text(title, max_length=300, multiline=False),
        branch=branch,
        weekday=weekday,
        starts_on=first_day,
        ends_on=last_day,
    )
    day = first_day + dt.timedelta(days=(weekday - first_day.weekday()) % 7)
    events, skipped = [], []
    while day <= last_day:
        if calendar.is_open(day):
            starts = dt.datetime.combine(day, start_time, tzinfo=zone)
            event = event_create(
                branch=branch,
                title=title,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=minutes),
                at=at,
                **fields,
            )
            event.series = series
            event.save(update_fields=["series"])
            events.append(event)
        else:
            skipped.append(day)
        day += dt.timedelta(days=7)
    series.skipped = [d.isoformat() for d in skipped]
    series.save(update_fields=["skipped"])
    return SeriesPlan(series, events, skipped)


@transaction.atomic
def attendance_record(
    *,
    event: Event,
    came: Iterable[int],
    walk_in_children: int,
    walk_in_youth: int,
    walk_in_adults: int,
    by: AnyUser,
    at: dt.datetime,
) -> Event:
    """Who of those registered came (registration ids), and head counts of walk-ins."""
    _staff(by, event.branch)
    if min(walk_in_children, walk_in_youth, walk_in_adults) < 0:
        raise ValueError("head counts cannot be negative")
    event = Event.objects.select_for_update().get(pk=event.pk)
    ids = set(came)
    active = event.registrations.exclude(state=RegistrationState.CANCELLED)
    active.filter(pk__in=ids).update(attended=True)
    active.exclude(pk__in=ids).update(attended=False)
    event.walk_in_children = walk_in_children
    event.walk_in_youth = walk_in_youth
    event.walk_in_adults = walk_in_adults
    event.attendance_recorded_at = at
    event.save(
        update_fields=[
            "walk_in_children",
            "walk_in_youth",
            "walk_in_adults",
            "attendance_recorded_at",
        ]
    )
    return event


@transaction.atomic
def photo_add(
    *, event: Event, image: Any, alt: str, credit: str = "", by: AnyUser, at: dt.datetime
) -> EventPhoto:
    _staff(by, event.branch)
    text = clean_text(alt, max_length=300, multiline=False)
    if not text:
        raise ValueError("a photo needs a description for readers who cannot see it")
    return EventPhoto.objects.create(
        event=event,
        image=image,
        alt=text,
        credit=clean_text(credit, max_length=200, multiline=False),
        uploaded_at=at,
    )
