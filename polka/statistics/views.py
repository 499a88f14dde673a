"""Staff pages of the statistics: thin layers over the selectors and services. A role sees the
branches where it may view reports; the network's form needs a role over the whole network."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from polka.core.staff import staff_required
from polka.org.models import Branch
from polka.org.policies import staff_branches, staff_can
from polka.statistics import selectors, services, xlsx
from polka.statistics.errors import CellUnknown, StatisticsError
from polka.statistics.forms import DiaryEntryForm, HandValuesForm
from polka.statistics.models import DiaryEntry
from polka.statistics.rollup import facts_roll_up

REPORTS = "reports.view"
reports_staff = staff_required(REPORTS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _branches(request: HttpRequest) -> QuerySet[Branch]:
    return staff_branches(user=request.user, action=REPORTS)


def _branch(request: HttpRequest, code: str) -> Branch:
    return get_object_or_404(_branches(request), code=code)


def _network(request: HttpRequest) -> None:
    if not staff_can(user=request.user, action=REPORTS, network_wide=True):
        raise PermissionDenied


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@reports_staff
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "branches": _branches(request),
        "network": staff_can(user=request.user, action=REPORTS, network_wide=True),
        "year": today.year,
        "years": range(today.year, today.year - 5, -1),
        "month": today,
    }
    return render(request, "statistics/index.html", context)


def _form_page(request: HttpRequest, year: int, branch: Branch | None) -> HttpResponse:
    current = selectors.hand_values(year=year, branch=branch)
    last = selectors.hand_values(year=year - 1, branch=branch)
    hand = HandValuesForm(request.POST or None, last_year=last, current=current)
    if request.method == "POST" and hand.is_valid():
        services.form_values_save(
            year=year, branch=branch, values=hand.cleaned_data, by=request.user, at=timezone.now()
        )
        messages.success(request, _("Значения сохранены."))
        return redirect(request.path)
    facts_roll_up(now=timezone.now())
    form = selectors.form_6nk(year=year, branch=branch)
    if request.GET.get("format") == "xlsx":
        name = f"6nk-{year}-{branch.code if branch else 'network'}.xlsx"
        return _xlsx(xlsx.form_6nk_xlsx(form), name)
    template = "print" if request.GET.get("format") == "print" else "form"
    context = {"form": form, "hand": hand, "year": year, "branch": branch}
    return render(
        request, f"statistics/6nk_{template}.html", context, status=400 if hand.errors else 200
    )


@reports_staff
def network_form(request: HttpRequest, year: int) -> HttpResponse:
    _network(request)
    return _form_page(request, year, None)


@reports_staff
def branch_form(request: HttpRequest, year: int, code: str) -> HttpResponse:
    return _form_page(request, year, _branch(request, code))


def _cell_page(request: HttpRequest, year: int, branch: Branch | None, cell: str) -> HttpResponse:
    try:
        drill = selectors.cell_drill(year=year, branch=branch, code=cell)
    except CellUnknown:
        raise Http404 from None
    return render(request, "statistics/cell.html", {"drill": drill, "year": year, "branch": branch})


@reports_staff
def network_cell(request: HttpRequest, year: int, cell: str) -> HttpResponse:
    _network(request)
    return _cell_page(request, year, None, cell)


@reports_staff
def branch_cell(request: HttpRequest, year: int, code: str, cell: str) -> HttpResponse:
    return _cell_page(request, year, _branch(request, code), cell)


@reports_staff
def diary(request: HttpRequest, code: str, year: int, month: int) -> HttpResponse:
    branch = _branch(request, code)
    try:
        first = dt.date(year, month, 1)
    except ValueError:
        raise Http404 from None
    entry = DiaryEntryForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and entry.is_valid():
        data = dict(entry.cleaned_data)
        corrected = data.pop("corrects")
        corrects = (
            DiaryEntry.objects.filter(branch=branch, pk=corrected).first() if corrected else None
        )
        try:
            services.diary_entry_add(
                branch=branch, by=request.user, at=timezone.now(), corrects=corrects, **data
            )
        except StatisticsError as refused:
            entry.add_error(None, str(refused))
        else:
            messages.success(request, _("Запись добавлена в дневник."))
            return redirect(request.path)
    page = selectors.diary_month(branch=branch, month=first)
    if request.GET.get("format") == "xlsx":
        return _xlsx(xlsx.diary_xlsx(page), f"diary-{branch.code}-{first:%Y-%m}.xlsx")
    template = "print" if request.GET.get("format") == "print" else "page"
    previous = first - dt.timedelta(days=1)
    following = first + dt.timedelta(days=32)
    context = {
        "diary": page,
        "entry": entry,
        "branch": branch,
        "previous": previous,
        "following": following,
    }
    return render(
        request, f"statistics/diary_{template}.html", context, status=400 if entry.errors else 200
    )


@reports_staff
def register(request: HttpRequest, code: str, year: int) -> HttpResponse:
    branch = _branch(request, code)
    book = selectors.accession_register(year=year, branch=branch)
    if request.GET.get("format") == "xlsx":
        return _xlsx(xlsx.register_xlsx(book), f"ksu-{branch.code}-{year}.xlsx")
    parts = [(_("Часть 1. Поступление"), book.received), (_("Часть 2. Выбытие"), book.withdrawn)]
    context = {"register": book, "branch": branch, "year": year, "parts": parts}
    return render(request, "statistics/register.html", context)


@reports_staff
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    facts_roll_up(now=timezone.now())
    last_on, comparisons = selectors.dashboard(on=today, branches=_branches(request))
    context = {"comparisons": comparisons, "today": today, "last_on": last_on}
    return render(request, "statistics/dashboard.html", context)
