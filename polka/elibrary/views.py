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
from django.views.decorators.http import require_POST

from polka.core.antispam import client_ip, rate_limit_hit
from polka.core.staff import staff_required
from polka.elibrary import selectors, services
from polka.elibrary.errors import ElibraryError
from polka.elibrary.forms import AccessForm, EloanForm, ImportForm, IssueForm, LocalDocumentForm
from polka.elibrary.models import LocalDocument, Platform
from polka.interop.ebooks import ACQUISITION_FEED, NAVIGATION, FeedEntry, FeedLink, opds_feed
from polka.org.services import personal_data_viewed
from polka.readers.models import Reader

OPDS_TYPE = "application/atom+xml;profile=opds-catalog"


def index(request: HttpRequest) -> HttpResponse:
    form = AccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.honeypot_tripped():
            return redirect("elibrary:index")
        now = timezone.now()
        key = client_ip(request) or "-"
        if rate_limit_hit(
            scope="elibrary.access", key=key, limit=10, window=dt.timedelta(hours=1), now=now
        ):
            form.add_error(None, _("Слишком много запросов подряд. Попробуйте позже."))
        else:
            # SQLite compares only ASCII letters case-insensitively: compare the surname here.
            reader = Reader.objects.filter(
                card_number=form.cleaned_data["card_number"].strip()
            ).first()
            surname = form.cleaned_data["last_name"].strip().casefold()
            if reader is not None and reader.last_name.casefold() != surname:
                reader = None
            if reader is None:
                form.add_error(None, _("Читатель с таким номером билета и фамилией не найден."))
            else:
                try:
                    services.access_request(
                        platform=form.cleaned_data["platform"], reader=reader, at=now,
                        ip_address=client_ip(request),
                    )  # fmt: skip
                except ElibraryError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request, _("Запрос принят: библиотекарь выдаст логин и напишет вам.")
                    )
                    return redirect("elibrary:index")
    context = {
        "platforms": Platform.objects.all(),
        "form": form,
        "documents": LocalDocument.objects.filter(is_published=True)[:20],
    }
    return render(request, "elibrary/index.html", context, status=400 if form.errors else 200)


def document(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(LocalDocument, pk=pk, is_published=True)
    return render(request, "elibrary/document.html", {"document": item})


def _updated() -> dt.datetime:
    latest = LocalDocument.objects.filter(is_published=True).order_by("-added_at").first()
    return latest.added_at if latest else timezone.now()


def _opds(data: bytes, kind: str) -> HttpResponse:
    return HttpResponse(data, content_type=f"{OPDS_TYPE};kind={kind};charset=utf-8")


def opds_root(request: HttpRequest) -> HttpResponse:
    """The navigation feed: new documents, and one subsection per subject."""
    root = reverse("elibrary:opds")
    subjects = sorted(
        set(LocalDocument.objects.filter(is_published=True).values_list("subject", flat=True))
    )
    entries = [
        FeedEntry(
            id=request.build_absolute_uri(reverse("elibrary:opds-new")),
            title=_("Новые поступления"),
            updated=_updated(),
            links=[FeedLink("subsection", reverse("elibrary:opds-new"), ACQUISITION_FEED)],
        )
    ] + [
        FeedEntry(
            id=request.build_absolute_uri(reverse("elibrary:opds-subject", args=[s])),
            title=s,
            updated=_updated(),
            links=[
                FeedLink("subsection", reverse("elibrary:opds-subject", args=[s]), ACQUISITION_FEED)
            ],
        )
        for s in subjects
    ]
    data = opds_feed(
        id=request.build_absolute_uri(root),
        title=_("Краеведческая коллекция"),
        updated=_updated(),
        links=[FeedLink("self", root, NAVIGATION), FeedLink("start", root, NAVIGATION)],
        entries=entries,
    )
    return _opds(data, "navigation")


def _acquisition(request: HttpRequest, documents: Any, path: str, title: str) -> HttpResponse:
    root = reverse("elibrary:opds")
    entries = [
        FeedEntry(
            id=request.build_absolute_uri(reverse("elibrary:document", args=[d.pk])),
            title=d.title,
            updated=d.added_at,
            authors=[d.author] if d.author else [],
            summary=d.description,
            issued=str(d.year or ""),
            subjects=[d.subject],
            links=[
                FeedLink(
                    "http://opds-spec.org/acquisition/open-access", d.file.url, "application/pdf"
                ),
                FeedLink("alternate", reverse("elibrary:document", args=[d.pk]), "text/html"),
            ],
        )
        for d in documents
    ]
    data = opds_feed(
        id=request.build_absolute_uri(path),
        title=title,
        updated=_updated(),
        links=[
            FeedLink("self", path, ACQUISITION_FEED),
            FeedLink("start", root, NAVIGATION),
            FeedLink("up", root, NAVIGATION),
        ],
        entries=entries,
    )
    return _opds(data, "acquisition")


def opds_new(request: HttpRequest) -> HttpResponse:
    documents = LocalDocument.objects.filter(is_published=True)[:50]
    return _acquisition(request, documents, reverse("elibrary:opds-new"), _("Новые поступления"))


def opds_subject(request: HttpRequest, subject: str) -> HttpResponse:
    documents = LocalDocument.objects.filter(is_published=True, subject=subject)
    return _acquisition(
        request, documents, reverse("elibrary:opds-subject", args=[subject]), subject
    )


# --- staff -------------------------------------------------------------------------------


@staff_required("elibrary.manage")
def staff(request: HttpRequest) -> HttpResponse:
    now, user = timezone.now(), request.user
    forms: dict[str, Any] = {
        "import_form": ImportForm(prefix="imp"),
        "eloan_form": EloanForm(prefix="loan"),
        "document_form": LocalDocumentForm(prefix="doc"),
    }
    action = request.POST.get("action")
    form: Any
    try:
        if action == "import":
            form = forms["import_form"] = ImportForm(request.POST, request.FILES, prefix="imp")
            if form.is_valid():
                report = services.ebooks_import(
                    platform=form.cleaned_data["platform"],
                    data=form.cleaned_data["file"].read(),
                    format=form.cleaned_data["format"],
                    by=user,
                    at=now,
                )
                messages.success(
                    request,
                    _("Новых книг: %(c)d, обновлено: %(u)d.")
                    % {"c": report.created, "u": report.updated},
                )
                for problem in report.problems:
                    messages.warning(request, problem)
                return redirect("elibrary:staff")
        elif action == "eloans":
            form = forms["eloan_form"] = EloanForm(request.POST, request.FILES, prefix="loan")
            if form.is_valid():
                report = services.eloans_import(
                    platform=form.cleaned_data["platform"],
                    data=form.cleaned_data["file"].read(),
                    by=user,
                    at=now,
                )
                messages.success(request, _("Выдач загружено: %(c)d.") % {"c": report.created})
                for problem in report.problems:
                    messages.warning(request, problem)
                return redirect("elibrary:staff")
        elif action == "document":
            form = forms["document_form"] = LocalDocumentForm(
                request.POST, request.FILES, prefix="doc"
            )
            if form.is_valid():
                services.local_document_add(by=user, at=now, **form.cleaned_data)
                messages.success(request, _("Документ опубликован."))
                return redirect("elibrary:staff")
    except ElibraryError as error:
        messages.error(request, str(error))
    requests = list(selectors.access_requests_open(user=user))
    register = list(selectors.login_register(user=user)[:200])
    personal_data_viewed(
        by=user,
        page="elibrary.staff",
        subjects=[a.reader.card_number for a in [*requests, *register]],
        at=now,
    )
    context = {
        **forms,
        "requests": requests,
        "register": register,
        "issue_form": IssueForm(),
    }
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
