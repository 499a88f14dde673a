"""The desk (/circulation/desk/): scan a card, then copies to lend or take back, renew one or
all, record reading-room use and visits. Each scan answers with a result line and a fresh
reader summary: an htmx fragment when JavaScript runs, the whole page otherwise. Also the
printable receipt and transit slip, and the branch's daily holds list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from polka.circulation import selectors, services
from polka.circulation.errors import CirculationError, ReaderNotFound
from polka.circulation.models import Loan
from polka.core.staff import staff_required
from polka.org.models import Branch
from polka.org.policies import staff_branches
from polka.readers.models import Reader
from polka.readers.selectors import reader_at_desk, reader_on_desk

View = Callable[..., HttpResponse]
SESSION_BRANCH = "circulation_branch"


def desk_view(view: View) -> View:
    return cache_control(private=True, no_store=True)(staff_required(services.CHECKOUT)(view))


@dataclass(frozen=True)
class Result:
    """One line of the desk's scan log."""

    ok: bool
    text: str
    barcode: str = ""
    action: str = ""
    overridable: bool = False
    slip_url: str = ""


def _branches(request: HttpRequest) -> list[Branch]:
    """The branches this desk user serves, read once per request (the choice and the menu)."""
    cached: list[Branch] | None = getattr(request, "_circulation_branches", None)
    if cached is None:
        cached = list(staff_branches(user=request.user, action=services.CHECKOUT))
        request._circulation_branches = cached  # type: ignore[attr-defined]
    return cached


def _branch(request: HttpRequest) -> Branch:
    """The desk's branch: chosen once (kept in the session), else the first one allowed."""
    branches = _branches(request)
    wanted = request.POST.get("branch") or request.GET.get("branch")
    code = wanted or request.session.get(SESSION_BRANCH)
    branch = next((b for b in branches if b.code == code), None) if code else None
    branch = branch or (branches[0] if branches else None)
    if branch is None:
        raise Http404
    if wanted and request.session.get(SESSION_BRANCH) != branch.code:
        # Written only when it changes: a session save per scan is a write per scan.
        request.session[SESSION_BRANCH] = branch.code
    return branch


def _reader(request: HttpRequest) -> Reader | None:
    reader_id = request.POST.get("reader") or request.GET.get("reader")
    if not reader_id or not str(reader_id).isdigit() or len(reader_id) > 18:  # a 64-bit id
        return None
    reader = reader_on_desk(user=request.user, reader_id=int(reader_id))
    if reader is None:
        raise Http404
    return reader


def _respond(
    request: HttpRequest,
    branch: Branch,
    reader: Reader | None,
    results: list[Result],
    *,
    changed: bool = True,
) -> HttpResponse:
    """The scan's answer. With htmx, a scan that changed nothing (refused) answers with its
    line alone: the summary on the screen is still true."""
    htmx = getattr(request, "htmx", False)
    keep = bool(htmx and reader is not None and not changed)
    context: dict[str, Any] = {
        "branch": branch,
        "branches": _branches(request),
        "reader": reader,
        "summary": selectors.reader_summary(reader=reader, branch=branch, on=timezone.localdate())
        if reader and not keep
        else None,
        "redraw": not keep,
        "results": results,
    }
    if htmx:
        return render(request, "circulation/_desk_update.html", context)
    return render(request, "circulation/desk.html", context)


def _lent_in_place(
    request: HttpRequest, branch: Branch, reader: Reader, result: Result, lent: services.Lent
) -> HttpResponse | None:
    """The htmx answer to a copy lent: its row added to the loans table and the table's heading
    redrawn, out of band, instead of the whole summary read and drawn again (which was half
    the cost of a scan). None when the summary must be drawn afresh: a hold was collected, the
    table is not on the screen yet, or the new row would not sort last."""
    before = lent.before
    loan = lent.loan
    if (
        not getattr(request, "htmx", False)
        or before is None
        or lent.collected is not None
        or not before.listed
        or (before.latest_due is not None and loan.due_on < before.latest_due)
    ):
        return None
    loan.overdue_days = 0  # type: ignore[attr-defined]
    today = timezone.localdate()
    context = {
        "branch": branch,
        "reader": reader,
        "r": reader,
        "results": [result],
        "loan": loan,
        "n": before.listed + 1,
        "overdue": before.overdue_on(today),
    }
    return render(request, "circulation/_desk_lent.html", context)


def _refused(error: CirculationError, barcode: str, action: str) -> Result:
    return Result(
        ok=False,
        text=error.message,
        barcode=barcode,
        action=action,
        overridable=error.overridable,
    )


@desk_view
def desk(request: HttpRequest) -> HttpResponse:
    branch = _branch(request)
    card = request.GET.get("card", "").strip()
    reader = _reader(request)
    results: list[Result] = []
    if card:
        reader = reader_at_desk(user=request.user, card_number=card)
        if reader is None:
            results.append(_refused(ReaderNotFound(card), "", "card"))
    return _respond(request, branch, reader, results)


def _due(loan: Loan) -> str:
    return formats.date_format(loan.due_on, "j E Y")


@require_POST
@desk_view
def checkout(request: HttpRequest) -> HttpResponse:
    branch = _branch(request)
    reader = _reader(request)
    barcode = request.POST.get("barcode", "").strip()
    if reader is None:
        result = Result(ok=False, text=_("Сначала отсканируйте билет читателя."))
    elif not barcode:
        result = Result(ok=False, text=_("Отсканируйте штрихкод экземпляра."))
    else:
        try:
            lent = services.loan_checkout(
                barcode=barcode,
                reader=reader,
                branch=branch,
                by=request.user,
                at=timezone.now(),
                override=request.POST.get("override", ""),
            )
        except CirculationError as refused:
            result = _refused(refused, barcode, "checkout")
        else:
            result = Result(
                ok=True,
                text=_("Выдано: «%(title)s», вернуть до %(due)s. Правило: %(rule)s.")
                % {"title": lent.loan.item.record.title, "due": _due(lent.loan), "rule": lent.rule},
                barcode=barcode,
            )
            in_place = _lent_in_place(request, branch, reader, result, lent)
            if in_place is not None:
                return in_place
    return _respond(request, branch, reader, [result], changed=result.ok)


@require_POST
@desk_view
def checkin(request: HttpRequest) -> HttpResponse:
    branch = _branch(request)
    reader = _reader(request)
    barcode = request.POST.get("barcode", "").strip()
    condition = request.POST.get("condition", "")
    try:
        if condition == "damaged":
            damaged = services.item_damage(
                barcode=barcode, branch=branch, by=request.user, at=timezone.now(),
                note=request.POST.get("note", ""),
            )  # fmt: skip
        elif condition == "repaired":
            back = services.item_repair(
                barcode=barcode, branch=branch, by=request.user, at=timezone.now()
            )
        else:
            back = services.loan_checkin(
                barcode=barcode, branch=branch, by=request.user, at=timezone.now()
            )
    except CirculationError as refused:
        result = _refused(refused, barcode, "checkin")
    else:
        if condition == "damaged":
            result = Result(
                ok=True,
                text=_(
                    "Отмечено как повреждённое: «%(title)s». Отложите экземпляр для ремонта; "
                    "выдавать и бронировать его нельзя, пока он не отремонтирован."
                )
                % {"title": damaged.item.record.title}
                + (" " + _("Бронь вернулась в очередь.") if damaged.hold else ""),
                barcode=barcode,
            )
        else:
            result = _accepted(back, barcode)
    return _respond(request, branch, reader, [result], changed=result.ok)


def _accepted(back: services.Returned, barcode: str) -> Result:
    late = _(" Просрочка: %(days)s дн.") % {"days": back.overdue_days} if back.overdue_days else ""
    return Result(
        ok=True,
        text=_("Принято: «%(title)s».") % {"title": back.item.record.title}
        + late
        + " "
        + back.instruction,
        barcode=barcode,
        slip_url=reverse("circulation:transit-slip", args=[back.transit.pk])
        if back.transit
        else "",
    )


@require_POST
@desk_view
def renew(request: HttpRequest) -> HttpResponse:
    branch = _branch(request)
    reader = _reader(request)
    if reader is None:
        raise Http404
    now = timezone.now()
    results: list[Result] = []
    which = request.POST.get("loan", "all")
    override = request.POST.get("override", "")
    if which == "all":
        renewed, refused = services.loans_renew_all(reader=reader, at=now, by=request.user)
        results += [
            Result(ok=True, text=_("Продлено до %(due)s: «%(title)s».")
                   % {"due": _due(loan), "title": loan.item.record.title})
            for loan in renewed
        ]  # fmt: skip
        results += [
            Result(ok=False, text=f"«{loan.item.record.title}»: {why}", barcode=loan.item.barcode)
            for loan, why in refused
        ]
    else:
        loan = get_object_or_404(
            Loan.objects.select_related("item__record"), pk=which, reader=reader
        )
        try:
            loan = services.loan_renew(loan=loan, at=now, by=request.user, override=override)
        except CirculationError as error:
            results.append(_refused(error, loan.item.barcode, f"renew:{loan.pk}"))
        else:
            results.append(
                Result(ok=True, text=_("Продлено до %(due)s: «%(title)s».")
                       % {"due": _due(loan), "title": loan.item.record.title})
            )  # fmt: skip
    return _respond(request, branch, reader, results, changed=any(r.ok for r in results))


@require_POST
@desk_view
def lost(request: HttpRequest) -> HttpResponse:
    """Mark a loan lost, or record how a lost copy was made good (replacement or payment)."""
    branch = _branch(request)
    reader = _reader(request)
    loan = get_object_or_404(
        Loan.objects.select_related("item__record"), pk=request.POST.get("loan", 0), reader=reader
    )
    now = timezone.now()
    settlement = request.POST.get("settlement", "")
    try:
        if settlement:
            services.loan_settle(
                loan=loan, settlement=settlement, amount=_amount(request.POST.get("amount", "")),
                by=request.user, at=now, note=request.POST.get("note", ""),
            )  # fmt: skip
            text = _("Возмещение записано: «%(title)s».")
        else:
            services.loan_lose(loan=loan, by=request.user, at=now)
            text = _("Отмечено как утерянное: «%(title)s».")
    except (CirculationError, ValueError) as refused:
        result = Result(ok=False, text=str(refused))
    else:
        result = Result(ok=True, text=text % {"title": loan.item.record.title})
    return _respond(request, branch, reader, [result], changed=result.ok)


def _amount(value: str) -> Decimal | None:
    try:
        return Decimal(value.replace(",", ".")) if value.strip() else None
    except InvalidOperation:
        return None


@require_POST
@desk_view
def use(request: HttpRequest) -> HttpResponse:
    branch = _branch(request)
    reader = _reader(request)
    barcode = request.POST.get("barcode", "").strip()
    try:
        item = services.item_use_record(
            barcode=barcode, branch=branch, by=request.user, at=timezone.now(), reader=reader
        )
    except CirculationError as refused:
        result = _refused(refused, barcode, "use")
    else:
        result = Result(
            ok=True,
            text=_("Учтено в читальном зале: «%(title)s».") % {"title": item.record.title},
            barcode=barcode,
        )
    # A reading-room use changes nothing the summary shows.
    return _respond(request, branch, reader, [result], changed=False)


@require_POST
@desk_view
def visit(request: HttpRequest) -> HttpResponse:
    branch = _branch(request)
    reader = _reader(request)
    services.visit_record(reader=reader, branch=branch, by=request.user, at=timezone.now())
    visited = [Result(ok=True, text=_("Посещение учтено."))]
    return _respond(request, branch, reader, visited, changed=False)


@desk_view
def receipt(request: HttpRequest) -> HttpResponse:
    branch = _branch(request)
    reader = _reader(request)
    if reader is None:
        raise Http404
    today = timezone.localdate()
    loans = selectors.loans_today(reader=reader, branch=branch, on=today)
    context = {"reader": reader, "branch": branch, "loans": loans, "today": today}
    return render(request, "circulation/receipt.html", context)


@desk_view
def transit_slip(request: HttpRequest, transit_id: int) -> HttpResponse:
    transit = selectors.transit_for_slip(transit_id=transit_id)
    if transit is None:
        raise Http404
    return render(request, "circulation/transit_slip.html", {"transit": transit})


@desk_view
def holds_list(request: HttpRequest) -> HttpResponse:
    branch = _branch(request)
    today = timezone.localdate()
    context = {
        "branch": branch,
        "branches": _branches(request),
        "today": today,
        "day": selectors.holds_list(branch=branch, on=today),
    }
    return render(request, "circulation/holds_list.html", context)
