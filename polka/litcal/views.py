"""The literary calendar: a year page ("Writers' anniversaries 2027") and month pages,
generated from the person authorities; staff add notes, hide entries, add people."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from polka.catalog.models import Person
from polka.litcal import selectors, services
from polka.litcal.forms import ExtraPersonForm, PersonNoteForm
from polka.litcal.models import ExtraPerson
from polka.org.policies import staff_can

MONTHS = range(1, 13)


def _year(year: int) -> int:
    if not 1000 <= year <= 2999:
        raise Http404
    return year


def current(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return redirect("litcal:month", year=today.year, month=today.month)


def year_page(request: HttpRequest, year: int) -> HttpResponse:
    entries = selectors.anniversaries_for_year(year=_year(year))
    months = [(m, [e for e in entries if e.on and e.on.month == m]) for m in MONTHS]
    context = {
        "year": year,
        "months": [(m, items) for m, items in months if items],
        "unknown_day": [e for e in entries if e.on is None],
        "step": selectors.step(),
    }
    return render(request, "litcal/year.html", context)


def month_page(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if month not in MONTHS:
        raise Http404
    entries = selectors.anniversaries_for_month(year=_year(year), month=month)
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)
    context: dict[str, Any] = {
        "year": year,
        "month": month,
        "month_first": dt.date(year, month, 1),
        "days": calendar.monthrange(year, month)[1],
        "entries": entries,
        "previous": previous,
        "following": following,
        "step": selectors.step(),
    }
    return render(request, "litcal/month.html", context)


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    if not staff_can(user=request.user, action="news.publish"):
        raise PermissionDenied
    extra_form = ExtraPersonForm(request.POST if "add_person" in request.POST else None)
    note_form = PersonNoteForm(request.POST if "add_note" in request.POST else None)
    if extra_form.is_bound and extra_form.is_valid():
        services.extra_person_save(person=None, by=request.user, **extra_form.cleaned_data)
        messages.success(request, _("Персона добавлена в календарь."))
        return redirect("litcal:staff")
    if note_form.is_bound and note_form.is_valid():
        person = Person.objects.filter(pk=note_form.cleaned_data["person"]).first()
        if person is None:
            note_form.add_error("person", _("Такой персоны в каталоге нет."))
        else:
            services.person_note_set(
                person=person,
                note=note_form.cleaned_data["note"],
                hidden=note_form.cleaned_data["hidden"],
                by=request.user,
            )
            messages.success(request, _("Сохранено."))
            return redirect("litcal:staff")
    context = {"extra_form": extra_form, "note_form": note_form, "extra": ExtraPerson.objects.all()}
    return render(request, "litcal/staff.html", context)
