"""The reader's own account at /account/: contacts, consents, reading history choice, who looked
at the record, everything held (JSON and a page), erasure; login with card number or e-mail and
a password set by e-mail. Every page is private and never cached."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from polka.readers import selectors, services
from polka.readers.errors import ReaderError
from polka.readers.forms import (
    ContactsForm,
    HistoryForm,
    ReaderLoginForm,
    ReaderPasswordResetForm,
    apply_error,
)
from polka.readers.models import Reader

View = Callable[..., HttpResponse]
private = cache_control(private=True, no_store=True)


def reader_required(view: Callable[..., HttpResponse]) -> View:
    """A logged-in reader: the view gets their Reader; anyone else goes to the reader login."""

    @private
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        reader = None
        if request.user.is_authenticated:
            reader = (
                Reader.objects.filter(user_id=request.user.pk)
                .select_related("category", "home_branch")
                .first()
            )
        if reader is None:
            return redirect(f"{reverse('readers:login')}?next={request.path}")
        return view(request, reader, *args, **kwargs)

    return wrapped


class LoginView(auth_views.LoginView):
    template_name = "readers/account/login.html"
    authentication_form = ReaderLoginForm

    def get_default_redirect_url(self) -> str:
        return reverse("readers:account")


login_view = private(LoginView.as_view())
password_reset = private(
    auth_views.PasswordResetView.as_view(
        form_class=ReaderPasswordResetForm,
        template_name="readers/account/password_reset.html",
        email_template_name="readers/account/password_reset_email.txt",
        subject_template_name="readers/account/password_reset_subject.txt",
        success_url=reverse_lazy("readers:password-reset-done"),
    )
)
password_reset_done = private(
    auth_views.PasswordResetDoneView.as_view(
        template_name="readers/account/password_reset_done.html"
    )
)
password_reset_confirm = private(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="readers/account/password_reset_confirm.html",
        success_url=reverse_lazy("readers:password-reset-complete"),
    )
)
password_reset_complete = private(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="readers/account/password_reset_complete.html"
    )
)


def _page(
    request: HttpRequest, reader: Reader, contacts: ContactsForm | None = None
) -> HttpResponse:
    context = {
        "reader": reader,
        "contacts": contacts
        or ContactsForm(
            initial={"email": reader.email, "phone": reader.phone, "address": reader.address}
        ),
        "history": HistoryForm(initial={"keep_history": reader.keep_history}),
        "consents": selectors.reader_consents(reader=reader),
        "views": selectors.reader_record_views(reader=reader)[:50],
    }
    status = 400 if contacts is not None else 200
    return render(request, "readers/account/home.html", context, status=status)


@reader_required
def home(request: HttpRequest, reader: Reader) -> HttpResponse:
    return _page(request, reader)


@require_POST
@reader_required
def contacts(request: HttpRequest, reader: Reader) -> HttpResponse:
    form = ContactsForm(request.POST)
    if form.is_valid():
        try:
            services.reader_contacts_update(
                reader=reader, changes=form.cleaned_data, at=timezone.now()
            )
        except ReaderError as refused:
            apply_error(form, refused)
        else:
            messages.success(request, _("Контакты сохранены."))
            return redirect("readers:account")
    return _page(request, reader, contacts=form)


@require_POST
@reader_required
def history(request: HttpRequest, reader: Reader) -> HttpResponse:
    form = HistoryForm(request.POST)
    if form.is_valid():
        services.reader_keep_history_set(reader=reader, keep=form.cleaned_data["keep_history"])
        messages.success(request, _("Выбор сохранён."))
    return redirect("readers:account")


@require_POST
@reader_required
def consent_withdraw(request: HttpRequest, reader: Reader, record_id: int) -> HttpResponse:
    try:
        services.reader_consent_withdraw(reader=reader, record_id=record_id, at=timezone.now())
    except ReaderError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Согласие отозвано."))
    return redirect("readers:account")


@reader_required
def data_json(request: HttpRequest, reader: Reader) -> HttpResponse:
    export = selectors.reader_export(reader=reader, at=timezone.now())
    body = json.dumps(export, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="polka-my-data.json"'
    return response


@reader_required
def data_page(request: HttpRequest, reader: Reader) -> HttpResponse:
    export = selectors.reader_export(reader=reader, at=timezone.now())
    return render(request, "readers/account/data.html", {"reader": reader, "export": export})


@reader_required
def erase(request: HttpRequest, reader: Reader) -> HttpResponse:
    if request.method != "POST":
        return render(request, "readers/account/erase.html", {"reader": reader})
    erased = services.reader_erasure_request(reader=reader, at=timezone.now())
    if erased is None:
        messages.info(
            request,
            _("Данные будут удалены, как только вы вернёте книги и погасите задолженности."),
        )
        return redirect("readers:account")
    logout(request)
    messages.success(request, _("Ваши данные удалены."))
    return redirect("web:home")
