"""The desk's reader pages: register, find, open (logged), edit, re-register, print consents.

Scope is enforced below, in services and selectors; these views turn NotPermitted into 403
(staff_required) and ReaderError into a message beside the field. Every page is private."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from polka.consents.texts import PERSONAL_DATA, TEXTS
from polka.core.staff import staff_required
from polka.org.models import Branch
from polka.org.policies import staff_branches
from polka.readers import selectors, services
from polka.readers.errors import (
    ErasureBlocked,
    GuardianRequired,
    PossibleDuplicates,
    ReaderError,
    ReaderNotFound,
)
from polka.readers.forms import (
    CardForm,
    GuardianForm,
    ReaderEditForm,
    RegistrationForm,
    SearchForm,
    apply_error,
)
from polka.readers.models import PreRegistration, Reader, ReaderConsent

View = Callable[..., HttpResponse]
private = cache_control(private=True, no_store=True)


def desk(action: str) -> Callable[[View], View]:
    """Staff with `action` somewhere; the page is never cached."""

    def decorate(view: View) -> View:
        return private(staff_required(action)(view))

    return decorate


def _register_branches(request: HttpRequest) -> QuerySet[Branch]:
    return staff_branches(user=request.user, action=services.REGISTER)


def _open(request: HttpRequest, reader_id: int) -> Reader:
    try:
        return services.reader_record_open(reader_id=reader_id, by=request.user, at=timezone.now())
    except ReaderNotFound as missing:
        raise Http404 from missing


def _guardians(form: RegistrationForm | GuardianForm) -> list[services.GuardianData]:
    data = form.cleaned_data
    card = data.get("guardian_card", "").strip()
    if card:
        reader = selectors.reader_for_link(card_number=card)
        if reader is None:
            form.add_error("guardian_card", _("Читатель с таким билетом не найден."))
            return []
        return [services.GuardianData(reader=reader, relation=data["guardian_relation"])]
    if data.get("guardian_name", "").strip():
        return [
            services.GuardianData(
                full_name=data["guardian_name"],
                phone=data["guardian_phone"],
                relation=data["guardian_relation"],
            )
        ]
    return []


def _register(
    request: HttpRequest, form: RegistrationForm, pre: PreRegistration | None
) -> Reader | None:
    data = form.cleaned_data
    guardians = _guardians(form)
    if form.errors:
        return None
    values: dict[str, Any] = {
        "last_name": data["last_name"],
        "first_name": data["first_name"],
        "middle_name": data["middle_name"],
        "birth_date": data["birth_date"],
        "phone": data["phone"],
        "email": data["email"],
        "address": data["address"],
        "category": data["category"],
        "home_branch": data["home_branch"],
        "card_number": data["card_number"],
        "consents": form.consents(),
        "guardians": guardians,
        "duplicates_confirmed": data["confirm_duplicates"],
        "by": request.user,
        "at": timezone.now(),
    }
    if pre is not None:
        return services.preregistration_complete(
            preregistration=pre, identity_checked=data["identity_checked"], **values
        )
    return services.reader_register(**values)


def _preregistration(request: HttpRequest) -> PreRegistration | None:
    number = request.POST.get("preregistration", "")
    if not number:
        return None
    pre = selectors.preregistration_by_number(number=number, at=timezone.now())
    if pre is None:
        raise Http404
    return pre


def _register_page(
    request: HttpRequest, pre: PreRegistration | None, data: QueryDict | None
) -> HttpResponse:
    initial = RegistrationForm.initial_from(pre) if pre is not None else None
    form = RegistrationForm(data, initial=initial, branches=_register_branches(request))
    if pre is not None:
        form.fields["consent_personal_data"].required = False
        form.fields["identity_checked"].required = True
    duplicates: list[Reader] = []
    if data is not None and form.is_valid():
        try:
            reader = _register(request, form, pre)
        except PossibleDuplicates as found:
            duplicates = found.candidates
        except ReaderError as refused:
            apply_error(form, refused)
        else:
            if reader is not None:
                messages.success(request, _("Читатель записан, билет № %s.") % reader.card_number)
                return redirect("readers:detail", reader_id=reader.pk)
    status = 200 if data is None else 400
    context = {"form": form, "duplicates": duplicates, "preregistration": pre}
    return render(request, "readers/staff/register.html", context, status=status)


@desk(services.REGISTER)
def register(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    return _register_page(request, _preregistration(request), data)


@desk(services.VIEW)
def search(request: HttpRequest) -> HttpResponse:
    """Posted, never in the URL: what the desk types is personal data."""
    form = SearchForm(request.POST or None)
    found: list[Reader] = []
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"].strip()
        pre = selectors.preregistration_by_number(number=query, at=timezone.now())
        if pre is not None:
            return _register_page(request, pre, None)
        found = selectors.readers_search(user=request.user, query=query)
        if len(found) == 1 and found[0].card_number == query:
            return redirect("readers:detail", reader_id=found[0].pk)
    return render(request, "readers/staff/search.html", {"form": form, "found": found})


@desk(services.VIEW)
def detail(request: HttpRequest, reader_id: int) -> HttpResponse:
    reader = _open(request, reader_id)
    today = timezone.localdate()
    context = {
        "reader": reader,
        "guardians": reader.guardians.select_related("reader"),
        "guardian_form": GuardianForm(),
        "consents": selectors.reader_consents(reader=reader),
        "needs_own_consent": selectors.reader_needs_own_consent(reader=reader, on=today),
        "registered_this_year": selectors.reader_registered_in(reader=reader, year=today.year),
        "year": today.year,
    }
    return render(request, "readers/staff/detail.html", context)


@desk(services.REGISTER)
def edit(request: HttpRequest, reader_id: int) -> HttpResponse:
    reader = _open(request, reader_id)
    form = ReaderEditForm(
        request.POST or None,
        initial=ReaderEditForm.initial_for(reader),
        branches=_register_branches(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reader_update(
                reader=reader, changes=form.cleaned_data, at=timezone.now(), by=request.user
            )
        except ReaderError as refused:
            apply_error(form, refused)
        else:
            messages.success(request, _("Данные читателя сохранены."))
            return redirect("readers:detail", reader_id=reader.pk)
    context = {"form": form, "reader": reader, "title": _("Изменить данные читателя")}
    return render(request, "readers/staff/edit.html", context)


@desk(services.REGISTER)
def reregister(request: HttpRequest) -> HttpResponse:
    """Scan the card, confirm the data, done."""
    card = CardForm(request.POST or None)
    reader = None
    if card.is_valid():
        reader = selectors.reader_by_card(user=request.user, card_number=card.cleaned_data["card"])
        if reader is None:
            card.add_error("card", _("Читатель с таким билетом не найден в ваших библиотеках."))
    if reader is None:
        return render(request, "readers/staff/reregister.html", {"card": card})
    return redirect("readers:reregister-confirm", reader_id=reader.pk)


@desk(services.REGISTER)
def reregister_confirm(request: HttpRequest, reader_id: int) -> HttpResponse:
    reader = _open(request, reader_id)
    form = ReaderEditForm(
        request.POST or None,
        initial=ReaderEditForm.initial_for(reader),
        branches=_register_branches(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            _registration, created = services.reader_reregister(
                reader=reader,
                branch=reader.home_branch,
                changes=form.cleaned_data,
                at=timezone.now(),
                by=request.user,
            )
        except ReaderError as refused:
            apply_error(form, refused)
        else:
            done = _("Читатель перерегистрирован.") if created else _("Уже перерегистрирован.")
            messages.success(request, done)
            return redirect("readers:reregister")
    context = {"form": form, "reader": reader, "title": _("Перерегистрация")}
    return render(request, "readers/staff/edit.html", context)


@require_POST
@desk(services.REGISTER)
def consent_own(request: HttpRequest, reader_id: int) -> HttpResponse:
    """At 14: the reader signs their own consent to personal data."""
    reader = _open(request, reader_id)
    link = services.reader_consent_give(
        reader=reader, purpose=PERSONAL_DATA, at=timezone.now(), by=request.user
    )
    messages.success(request, _("Согласие читателя записано. Распечатайте его для подписи."))
    return redirect("readers:consent-print", reader_id=reader.pk, record_id=link.record_id)


@desk(services.VIEW)
def consent_print(request: HttpRequest, reader_id: int, record_id: int) -> HttpResponse:
    reader = _open(request, reader_id)
    link = get_object_or_404(
        ReaderConsent.objects.select_related("record", "guardian__reader", "record__taken_by"),
        reader=reader,
        record_id=record_id,
    )
    context: dict[str, Any] = {
        "reader": reader,
        "link": link,
        "record": link.record,
        "text": TEXTS[link.record.purpose],
    }
    return render(request, "readers/staff/consent_print.html", context)


@desk(services.REGISTER)
def erase(request: HttpRequest, reader_id: int) -> HttpResponse:
    """Erase a reader on their written request at the desk (irreversible, audited)."""
    reader = _open(request, reader_id)
    if request.method != "POST":
        return render(request, "readers/staff/erase.html", {"reader": reader})
    try:
        services.reader_erase(reader=reader, at=timezone.now(), by=request.user, on_request=True)
    except ErasureBlocked as blocked:
        messages.error(request, f"{blocked} {'; '.join(blocked.reasons)}")
        return redirect("readers:detail", reader_id=reader.pk)
    messages.success(request, _("Данные читателя удалены."))
    return redirect("readers:search")


@require_POST
@desk(services.REGISTER)
def guardian_add(request: HttpRequest, reader_id: int) -> HttpResponse:
    reader = _open(request, reader_id)
    form = GuardianForm(request.POST)
    guardians = _guardians(form) if form.is_valid() else []
    try:
        if not guardians:
            raise GuardianRequired()
        services.guardian_add(
            child=reader, guardian=guardians[0], at=timezone.now(), by=request.user
        )
    except ReaderError as refused:
        problems = [str(e) for e in form.errors.get("guardian_card", [])]
        messages.error(request, " ".join(problems) or str(refused))
    else:
        messages.success(request, _("Законный представитель записан."))
    return redirect("readers:detail", reader_id=reader.pk)
