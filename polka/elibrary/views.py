"""E-library pages: platforms and access requests, the local-history collection with its OPDS
1.2 catalogue, and the staff page (imports, the login register, e-loan reports, uploads)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polka.core.antispam import client_ip
from polka.core.publicforms import RateLimit, back, submit
from polka.core.staff import staff_required
from polka.elibrary import opds, selectors, services
from polka.elibrary.errors import ElibraryError
from polka.elibrary.forms import AccessForm, EloanForm, ImportForm, IssueForm, LocalDocumentForm
from polka.org.services import personal_data_viewed

OPDS_TYPE = "application/atom+xml;profile=opds-catalog"
ACCESS = RateLimit(
    "elibrary.access",
    10,
    dt.timedelta(hours=1),
    gettext_lazy("Слишком много запросов подряд. Попробуйте позже."),
)


def index(request: HttpRequest) -> HttpResponse:
    form = AccessForm(request.POST or None)

    def accept(now: dt.datetime) -> HttpResponse | None:
        data = form.cleaned_data
        reader = selectors.reader_by_card_and_surname(
            card_number=data["card_number"], last_name=data["last_name"]
        )
        if reader is None:
            form.add_error(None, _("Читатель с таким номером билета и фамилией не найден."))
            return None
        services.access_request(
            platform=data["platform"], reader=reader, at=now, ip_address=client_ip(request)
        )
        messages.success(request, _("Запрос принят: библиотекарь выдаст логин и напишет вам."))
        return redirect("elibrary:index")

    done = submit(
        request, form, ACCESS, bot=back("elibrary:index"), accept=accept, errors=ElibraryError
    )
    if done is not None:
        return done
    context = {
        "platforms": selectors.platforms_all(),
        "form": form,
        "documents": selectors.documents_published()[:20],
    }
    return render(request, "elibrary/index.html", context, status=400 if form.errors else 200)


def document(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.documents_published(), pk=pk)
    return render(request, "elibrary/document.html", {"document": item})


def _opds(data: bytes, kind: str) -> HttpResponse:
    return HttpResponse(data, content_type=f"{OPDS_TYPE};kind={kind};charset=utf-8")


def opds_root(request: HttpRequest) -> HttpResponse:
    """The navigation feed: new documents, and one subsection per subject."""
    data = opds.navigation_feed(
        absolute=request.build_absolute_uri,
        subjects=selectors.document_subjects(),
        updated=selectors.documents_updated(now=timezone.now()),
    )
    return _opds(data, "navigation")


def _acquisition(request: HttpRequest, documents: Any, path: str, title: str) -> HttpResponse:
    data = opds.acquisition_feed(
        absolute=request.build_absolute_uri,
        documents=list(documents),
        path=path,
        title=title,
        updated=selectors.documents_updated(now=timezone.now()),
    )
    return _opds(data, "acquisition")


def opds_new(request: HttpRequest) -> HttpResponse:
    documents = selectors.documents_published()[:50]
    return _acquisition(request, documents, reverse("elibrary:opds-new"), _("Новые поступления"))


def opds_subject(request: HttpRequest, subject: str) -> HttpResponse:
    documents = selectors.documents_of_subject(subject=subject)
    return _acquisition(
        request, documents, reverse("elibrary:opds-subject", args=[subject]), subject
    )


# --- staff -------------------------------------------------------------------------------


def _import(request: HttpRequest, data: dict[str, Any], now: dt.datetime) -> None:
    report = services.ebooks_import(
        platform=data["platform"],
        data=data["file"].read(),
        format=data["format"],
        by=request.user,
        at=now,
    )
    messages.success(
        request,
        _("Новых книг: %(c)d, обновлено: %(u)d.") % {"c": report.created, "u": report.updated},
    )
    for problem in report.problems:
        messages.warning(request, problem)


def _eloans(request: HttpRequest, data: dict[str, Any], now: dt.datetime) -> None:
    report = services.eloans_import(
        platform=data["platform"], data=data["file"].read(), by=request.user, at=now
    )
    messages.success(request, _("Выдач загружено: %(c)d.") % {"c": report.created})
    for problem in report.problems:
        messages.warning(request, problem)


def _document(request: HttpRequest, data: dict[str, Any], now: dt.datetime) -> None:
    services.local_document_add(by=request.user, at=now, **data)
    messages.success(request, _("Документ опубликован."))


# action -> (the form's name on the page, its class, its prefix, what a valid one does)
STAFF_ACTIONS: dict[str, tuple[str, Any, str, Any]] = {
    "import": ("import_form", ImportForm, "imp", _import),
    "eloans": ("eloan_form", EloanForm, "loan", _eloans),
    "document": ("document_form", LocalDocumentForm, "doc", _document),
}


@staff_required("elibrary.manage")
def staff(request: HttpRequest) -> HttpResponse:
    now, user = timezone.now(), request.user
    forms = {
        name: form_class(prefix=prefix) for name, form_class, prefix, _run in STAFF_ACTIONS.values()
    }
    action = request.POST.get("action", "")
    if action in STAFF_ACTIONS:
        name, form_class, prefix, run = STAFF_ACTIONS[action]
        form = forms[name] = form_class(request.POST, request.FILES, prefix=prefix)
        try:
            if form.is_valid():
                run(request, form.cleaned_data, now)
                return redirect("elibrary:staff")
        except ElibraryError as error:
            messages.error(request, str(error))
    requests = list(selectors.access_requests_open(user=user))
    register = list(selectors.login_register(user=user)[:200])
    subjects = [a.reader.card_number for a in [*requests, *register]]
    personal_data_viewed(by=user, page="elibrary.staff", subjects=subjects, at=now)
    context = {**forms, "requests": requests, "register": register, "issue_form": IssueForm()}
    return render(request, "elibrary/staff/index.html", context)


@staff_required("elibrary.manage")
@require_POST
def staff_access(request: HttpRequest, pk: int) -> HttpResponse:
    # Another branch's reader is not found at all: their request is not this desk's to see.
    access = get_object_or_404(selectors.platform_logins_visible(user=request.user), pk=pk)
    now = timezone.now()
    action = request.POST.get("action")
    if action == "issue":
        form = IssueForm(request.POST)
        if form.is_valid():
            services.login_issue(
                access=access, login=form.cleaned_data["login"], by=request.user, at=now
            )
    elif action == "refuse":
        services.login_refuse(access=access, by=request.user, at=now)
    elif action == "revoke":
        services.login_revoke(access=access, by=request.user, at=now)
    return redirect("elibrary:staff")
