"""Changes to library events."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone

from polka.consents.services import consent_record
from polka.consents.texts import EVENT_SIGNUP
from polka.events.errors import (
    AlreadyRegistered,
    EventEndsBeforeStart,
    EventOnClosedDay,
    RegistrationAlreadyCancelled,
    RegistrationClosed,
)
from polka.events.models import Event, EventType, Registration, RegistrationState
from polka.notices.services import notice_send
from polka.org.models import Branch
from polka.org.selectors import branch_is_open
from polka.programmes.models import Programme, Project
from polka.web.sanitize import clean_text


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
    )


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
            "cancel_link": settings.POLKA_SITE_URL
            + reverse("events:cancel", args=[registration.token]),
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
    clean_name = clean_text(name, max_length=200, multiline=False)
    consent = consent_record(
        purpose=EVENT_SIGNUP,
        at=at,
        ip_address=ip_address,
        name=clean_name,
        email=email,
        user=user,
        context=f"events.event:{event.pk}",
    )
    registration = Registration.objects.create(
        event=event,
        state=RegistrationState.WAITLISTED if full else RegistrationState.REGISTERED,
        name=clean_name,
        email=email,
        phone=clean_text(phone, max_length=50, multiline=False),
        user_id=user.pk if user is not None and user.is_authenticated else None,
        consent=consent,
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
    registration.state = RegistrationState.CANCELLED
    registration.cancelled_at = at
    registration.save(update_fields=["state", "cancelled_at"])
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
    first.state = RegistrationState.REGISTERED
    first.promoted_at = at
    first.save(update_fields=["state", "promoted_at"])
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
                "cancel_link": settings.POLKA_SITE_URL
                + reverse("events:cancel", args=[registration.token]),
            },
            at=now,
            dedupe_key=f"events.reminder:{registration.pk}",
            language=registration.language,
        )
        count += notice is not None
    return count
