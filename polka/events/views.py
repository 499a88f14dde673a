"""Public events pages: the calendar (list, week, month) with filters, one event with sign-up,
cancellation from the email link, and iCalendar feeds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polka.core.antispam import client_ip
from polka.core.publicforms import RateLimit, Screen, screen
from polka.events import services
from polka.events.errors import EventError
from polka.events.forms import EventFilterForm, RegistrationForm
from polka.events.models import Audience, Event, RegistrationState, linked_model
from polka.events.selectors import (
    calendar_weeks,
    event_public,
    event_seats,
    events_between,
    events_upcoming,
    registration_by_token,
)
from polka.interop.ical import CalendarEvent, calendar_bytes
from polka.notices.services import notice_deliverable
from polka.org.models import Branch

PAGE_SIZE = 20
SIGNUP = RateLimit(
    "events.signup",
    10,
    dt.timedelta(hours=1),
    gettext_lazy("Слишком много записей подряд. Попробуйте позже."),
)


def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm.from_query(request.GET or None)
    view = form.chosen("view") or "list"
    today = timezone.localdate()
    day = form.chosen("date") or today
    filters = {
        "branch": form.chosen_branch(),
        "audience": form.chosen("audience"),
        "event_type": form.chosen("event_type"),
        "age_mark": form.chosen("age_mark"),
        "pushkin": bool(form.chosen("pushkin")),
    }
    context: dict[str, Any] = {
        "form": form,
        "view": view,
        "query": form.query_without("view", "date"),
    }
    if view == "week":
        start = day - dt.timedelta(days=day.weekday())
        end = start + dt.timedelta(days=6)
        events = list(events_between(start=start, end=end, **filters))
        days = [start + dt.timedelta(days=n) for n in range(7)]
        context.update(
            days=[(d, [e for e in events if timezone.localdate(e.starts_at) == d]) for d in days],
            start=start,
            end=end,
            previous=start - dt.timedelta(days=7),
            next=start + dt.timedelta(days=7),
        )
    elif view == "month":
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        events = list(events_between(start=first, end=last, **filters))
        context.update(
            weeks=calendar_weeks(month=first, events=events),
            month=first,
            previous=(first - dt.timedelta(days=1)).replace(day=1),
            next=last + dt.timedelta(days=1),
        )
    else:
        upcoming = events_upcoming(
            on=timezone.now(), branch=filters["branch"], audience=filters["audience"]
        )
        if filters["event_type"]:
            upcoming = upcoming.filter(event_type=filters["event_type"])
        if filters["age_mark"]:
            upcoming = upcoming.filter(age_mark=filters["age_mark"])
        if filters["pushkin"]:
            upcoming = upcoming.filter(pushkin_card=True)
        if filters["audience"] == Audience.TEENS:
            # Young people (14–22) hold the card: its events come first for them.
            upcoming = upcoming.order_by("-pushkin_card", "starts_at", "pk")
        context["page"] = Paginator(upcoming, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/event_list.html", context)


def _event_or_404(event_id: int) -> Event:
    event = event_public(event_id=event_id)
    if event is None:
        raise Http404
    return event


def _detail(
    request: HttpRequest, event: Event, form: RegistrationForm, status: int = 200
) -> HttpResponse:
    taken, left = event_seats(event=event)
    context = {
        "event": event,
        "form": form,
        "taken": taken,
        "left": left,
        "open_for_signup": event.registration and event.starts_at > timezone.now(),
        "absolute_url": request.build_absolute_uri(),
    }
    return render(request, "events/event_detail.html", context, status=status)


def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_or_404(event_id)
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.get_full_name(), "email": request.user.email}
    return _detail(request, event, RegistrationForm(initial=initial))


@require_POST
def register(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_or_404(event_id)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return _detail(request, event, form, status=400)
    now = timezone.now()
    verdict = screen(request, form, SIGNUP, now=now)
    if verdict is Screen.BOT:
        return redirect("events:detail", event_id=event.pk)
    if verdict is Screen.LIMITED:
        return _detail(request, event, form, status=429)
    try:
        registration = services.registration_create(
            event=event,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
            user=request.user,
            ip_address=client_ip(request),
            language=translation.get_language() or "ru",
            at=now,
        )
    except EventError as error:
        form.add_error(None, str(error))
        return _detail(request, event, form, status=400)
    if registration.state == RegistrationState.WAITLISTED:
        messages.info(
            request, _("Мест нет: вы в листе ожидания. Если место освободится, мы напишем.")
        )
    elif notice_deliverable(registration.email):
        messages.success(request, _("Вы записаны. Подтверждение отправлено на почту."))
    else:
        # Never claim a message that will not be sent (the demo's addresses are reserved).
        messages.success(
            request,
            _(
                "Вы записаны. Письмо на адрес в домене для примеров (.example, .test) не "
                "отправляется."
            ),
        )
    return redirect("events:detail", event_id=event.pk)


def cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = registration_by_token(token=token)
    if registration is None:
        raise Http404
    if request.method == "POST" and registration.state != RegistrationState.CANCELLED:
        try:
            services.registration_cancel(registration=registration, at=timezone.now())
        except EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Запись отменена. Спасибо, что предупредили!"))
        return redirect("events:cancel", token=token)
    return render(request, "events/cancel.html", {"registration": registration})


# --- iCalendar -----------------------------------------------------------------------------


def _calendar_events(request: HttpRequest, events: Iterable[Event]) -> list[CalendarEvent]:
    zone = timezone.get_current_timezone()  # the network's (and so the branch's) time zone
    host = request.get_host().split(":")[0]
    return [
        CalendarEvent(
            uid=f"event-{e.pk}@{host}",
            title=f"{e.title} ({e.age_mark})" if e.age_mark else e.title,
            starts_at=e.starts_at.astimezone(zone),
            ends_at=e.ends_at.astimezone(zone),
            description="\n\n".join(
                part
                for part in (
                    e.description,
                    _("«Пушкинская карта»: %(url)s") % {"url": e.ticket_url}
                    if e.pushkin_card
                    else "",
                )
                if part
            ),
            location=", ".join(p for p in (e.branch.name, e.branch.address, e.place) if p),
            url=request.build_absolute_uri(reverse("events:detail", args=[e.pk])),
        )
        for e in events
    ]


def _ics(request: HttpRequest, name: str, events: Iterable[Event], filename: str) -> HttpResponse:
    body = calendar_bytes(name=name, events=_calendar_events(request, events), stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _feed_window() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=30)


def event_ics(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_or_404(event_id)
    return _ics(request, event.title, [event], f"event-{event.pk}.ics")


def feed_all(request: HttpRequest) -> HttpResponse:
    events = events_upcoming(on=_feed_window())
    return _ics(request, _("Афиша библиотек"), events, "events.ics")


def feed_branch(request: HttpRequest, code: str) -> HttpResponse:
    branch = get_object_or_404(Branch, code=code)
    return _ics(
        request, branch.name, events_upcoming(on=_feed_window(), branch=branch), f"{code}.ics"
    )


def feed_programme(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(linked_model("programme"), slug=slug)
    events = events_upcoming(on=_feed_window()).filter(programme=programme)
    return _ics(request, programme.title, events, f"{slug}.ics")
