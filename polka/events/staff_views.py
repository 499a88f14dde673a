"""Staff pages for events: the plan of a month or quarter, planning and editing, copies,
weekly series, attendance with walk-in head counts, photo reports, XLSX and print exports."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from polka.core.staff import staff_required
from polka.events import services
from polka.events.errors import EventError
from polka.events.models import Event, RegistrationState
from polka.events.selectors import event_totals, events_for_staff, period_bounds
from polka.events.staff_forms import (
    AttendanceForm,
    CopyForm,
    EventForm,
    PeriodForm,
    PhotoForm,
    SeriesForm,
)
from polka.org.models import Branch
from polka.org.policies import staff_branches

events_staff = staff_required("events.manage")


def _branches(request: HttpRequest) -> QuerySet[Branch]:
    return staff_branches(user=request.user, action="events.manage")


def _event(request: HttpRequest, event_id: int) -> Event:
    return get_object_or_404(Event.objects.filter(branch__in=_branches(request)), pk=event_id)


def _period(request: HttpRequest) -> tuple[str, dt.date, dt.date, PeriodForm]:
    form = PeriodForm(request.GET or None)
    period, day = "month", timezone.localdate()
    if form.is_valid():
        period = form.cleaned_data["period"] or "month"
        day = form.cleaned_data["date"] or day
    start, end = period_bounds(period=period, on=day)
    return period, start, end, form


@events_staff
def staff_list(request: HttpRequest) -> HttpResponse:
    period, start, end, form = _period(request)
    events = events_for_staff(branches=_branches(request), start=start, end=end)
    context = {
        "events": events,
        "form": form,
        "period": period,
        "start": start,
        "end": end,
        "totals": event_totals(events=events),
        "query": request.GET.urlencode(),
    }
    return render(request, "events/staff/list.html", context)


def _form_page(request: HttpRequest, form: Any, title: str, status: int = 200) -> HttpResponse:
    return render(request, "events/staff/form.html", {"form": form, "title": title}, status=status)


@events_staff
def staff_new(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, branches=_branches(request))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_plan(
                by=request.user,
                branch=form.cleaned_data["branch"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                at=timezone.now(),
                **form.event_fields(),
            )
        except EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Мероприятие добавлено в план."))
            return redirect("events:staff-edit", event_id=event.pk)
    return _form_page(request, form, _("Новое мероприятие"), 400 if form.errors else 200)


@events_staff
def staff_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    form = EventForm(
        request.POST or None, branches=_branches(request), initial=EventForm.initial_for(event)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                event=event,
                by=request.user,
                at=timezone.now(),
                branch=form.cleaned_data["branch"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                **form.event_fields(),
            )
        except EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Изменения сохранены."))
            return redirect("events:staff-edit", event_id=event.pk)
    context = {"form": form, "title": event.title, "event": event, "copy_form": CopyForm()}
    return render(request, "events/staff/form.html", context, status=400 if form.errors else 200)


@events_staff
def staff_copy(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    form = CopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.event_copy(
                event=event,
                starts_at=form.cleaned_data["starts_at"],
                by=request.user,
                at=timezone.now(),
            )
        except EventError as error:
            messages.error(request, str(error))
            return redirect("events:staff-edit", event_id=event.pk)
        messages.success(request, _("Копия создана: проверьте её и опубликуйте."))
        return redirect("events:staff-edit", event_id=copy.pk)
    return redirect("events:staff-edit", event_id=event.pk)


@events_staff
def staff_series(request: HttpRequest) -> HttpResponse:
    form = SeriesForm(request.POST or None, branches=_branches(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = form.event_fields()
        title = fields.pop("title")
        try:
            plan = services.series_create(
                by=request.user,
                branch=data["branch"],
                title=title,
                weekday=data["weekday"],
                start_time=data["start_time"],
                minutes=data["minutes"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                at=timezone.now(),
                **fields,
            )
        except EventError as error:
            form.add_error(None, str(error))
        else:
            message = _("Запланировано встреч: %(n)d.") % {"n": len(plan.events)}
            if plan.skipped:
                days = ", ".join(d.strftime("%d.%m") for d in plan.skipped)
                message += " " + _("Пропущены дни, когда библиотека закрыта: %(days)s.") % {
                    "days": days
                }
            messages.success(request, message)
            return redirect("events:staff-list")
    return _form_page(request, form, _("Новый цикл (клуб, кружок)"), 400 if form.errors else 200)


@events_staff
def staff_attendance(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(request, event_id)
    registrations = event.registrations.exclude(state=RegistrationState.CANCELLED)
    initial = {
        "walk_in_children": event.walk_in_children,
        "walk_in_youth": event.walk_in_youth,
        "walk_in_adults": event.walk_in_adults,
    }
    form = AttendanceForm(request.POST or None, initial=initial)
    photo_form = PhotoForm()
    if request.method == "POST" and "image" in request.FILES:
        photo_form = PhotoForm(request.POST, request.FILES)
        if photo_form.is_valid():
            services.photo_add(
                event=event, by=request.user, at=timezone.now(), **photo_form.cleaned_data
            )
            messages.success(request, _("Фотография добавлена в фотоотчёт."))
            return redirect("events:staff-attendance", event_id=event.pk)
        form = AttendanceForm(initial=initial)
    elif request.method == "POST" and form.is_valid():
        came = [int(pk) for pk in request.POST.getlist("came") if pk.isdigit()]
        services.attendance_record(
            event=event, came=came, by=request.user, at=timezone.now(), **form.cleaned_data
        )
        messages.success(request, _("Посещаемость сохранена."))
        return redirect("events:staff-attendance", event_id=event.pk)
    context = {
        "event": event,
        "registrations": registrations,
        "form": form,
        "photo_form": photo_form,
        "photos": event.photos.all(),
    }
    return render(request, "events/staff/attendance.html", context)


COLUMNS = (
    _lazy("Дата"),
    _lazy("Время"),
    _lazy("Мероприятие"),
    _lazy("Вид"),
    _lazy("Для кого"),
    _lazy("Возрастной знак"),
    _lazy("Библиотека"),
    _lazy("Место"),
    _lazy("Записано"),
    _lazy("Пришли по записи"),
    _lazy("Без записи"),
)


def _plan_rows(events: QuerySet[Event]) -> list[list[Any]]:
    zone = timezone.get_current_timezone()
    rows = []
    for event in events:
        starts = event.starts_at.astimezone(zone)
        rows.append(
            [
                starts.date(),
                f"{starts:%H:%M}–{event.ends_at.astimezone(zone):%H:%M}",
                event.title,
                str(event.get_event_type_display()),
                str(event.get_audience_display()),
                event.age_mark,
                event.branch.name,
                event.place,
                event.registered,  # type: ignore[attr-defined]
                event.came,  # type: ignore[attr-defined]
                event.walk_in_children + event.walk_in_youth + event.walk_in_adults,
            ]
        )
    return rows


@events_staff
def staff_export(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    _period_name, start, end, _form = _period(request)
    events = events_for_staff(branches=_branches(request), start=start, end=end)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("План")
    sheet.append([str(c) for c in COLUMNS])
    for row in _plan_rows(events):
        sheet.append(row)
    for cell in sheet["A"][1:]:
        cell.number_format = "DD.MM.YYYY"
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="events-{start}-{end}.xlsx"'
    return response


@events_staff
def staff_print(request: HttpRequest) -> HttpResponse:
    period, start, end, _form = _period(request)
    events = events_for_staff(branches=_branches(request), start=start, end=end)
    context = {
        "rows": _plan_rows(events),
        "columns": COLUMNS,
        "start": start,
        "end": end,
        "period": period,
    }
    return render(request, "events/staff/print.html", context)
