"""The reader's side: reserve a title from the record page, and their loans, holds and (if
they keep one) reading history at /account/loans/, with renew, suspend, cancel and a change of
pickup branch. Every page is private (reader_required)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polka.catalog.models import Record
from polka.circulation import selectors, services
from polka.circulation.errors import CirculationError
from polka.circulation.models import Hold, Loan
from polka.org.selectors import branches_active
from polka.readers.account_views import reader_required
from polka.readers.models import Reader


def reserve(request: HttpRequest) -> HttpResponse:
    """ "Забронировать" on a record page: anyone may look; placing needs the reader's login."""
    record_id = request.GET.get("record") or request.POST.get("record") or ""
    record = get_object_or_404(Record, pk=record_id if record_id.isdigit() else 0)
    if not request.user.is_authenticated:
        login = reverse("readers:login")
        return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
    return _reserve(request, record=record)


@reader_required
def _reserve(request: HttpRequest, reader: Reader, *, record: Record) -> HttpResponse:
    branches = branches_active()
    copies = selectors.record_copies_to_hold(record=record)
    error = ""
    if request.method == "POST":
        pickup = branches.filter(code=request.POST.get("pickup", "")).first()
        wanted = request.POST.get("item", "")
        item = next((c for c in copies if str(c.pk) == wanted), None)
        if pickup is None:
            error = _("Выберите библиотеку, где заберёте книгу.")
        elif wanted and item is None:
            error = _("Этого экземпляра нельзя забронировать: выберите другой или любой.")
        else:
            try:
                services.hold_place(
                    reader=reader, record=record, pickup_branch=pickup, at=timezone.now(),
                    item=item,
                )  # fmt: skip
            except CirculationError as refused:
                error = refused.message
            else:
                messages.success(
                    request,
                    _("Книга «%(title)s» забронирована. Мы напишем, когда она будет ждать вас.")
                    % {"title": record.title},
                )
                return redirect("circulation:account")
    context = {
        "record": record,
        "branches": branches,
        "chosen": request.POST.get("pickup") or reader.home_branch.code,
        "copies": copies,
        "chosen_item": request.POST.get("item", ""),
        "availability": selectors.record_availability(record=record),
        "error": error,
    }
    return render(request, "circulation/reserve.html", context, status=400 if error else 200)


@reader_required
def account(request: HttpRequest, reader: Reader) -> HttpResponse:
    today = timezone.localdate()
    loans = list(selectors.reader_loans(reader=reader))
    for loan in loans:
        loan.overdue_days = max(0, (today - loan.due_on).days)  # type: ignore[attr-defined]
    context = {
        "reader": reader,
        "loans": loans,
        "holds": selectors.reader_holds(reader=reader),
        "history": selectors.reader_history(reader=reader)[:200] if reader.keep_history else None,
        "branches": branches_active(),
    }
    return render(request, "circulation/account.html", context)


@require_POST
@reader_required
def renew(request: HttpRequest, reader: Reader, loan_id: int) -> HttpResponse:
    loan = get_object_or_404(Loan.objects.select_related("item__record"), pk=loan_id, reader=reader)
    try:
        loan = services.loan_renew(loan=loan, reader=reader, at=timezone.now())
    except CirculationError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Срок продлён до %(due)s.") % {"due": loan.due_on.strftime("%d.%m.%Y")},
        )
    return redirect("circulation:account")


@require_POST
@reader_required
def hold_change(request: HttpRequest, reader: Reader, hold_id: int) -> HttpResponse:
    hold = get_object_or_404(Hold, pk=hold_id, reader=reader)
    now = timezone.now()
    action = request.POST.get("action")
    try:
        if action == "cancel":
            services.hold_cancel(hold=hold, reader=reader, at=now)
            messages.success(request, _("Бронь отменена."))
        elif action == "suspend":
            until = _date(request.POST.get("until", ""))
            services.hold_suspend(hold=hold, until=until, reader=reader, at=now)
            messages.success(request, _("Готово."))
        elif action == "move":
            pickup = get_object_or_404(branches_active(), code=request.POST.get("pickup", ""))
            services.hold_move(hold=hold, pickup_branch=pickup, reader=reader, at=now)
            messages.success(request, _("Библиотека выдачи изменена."))
    except CirculationError as refused:
        messages.error(request, refused.message)
    return redirect("circulation:account")


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
