"""Projects, exhibitions and reading programmes: public pages and the methodists' pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polka.catalog.forms import BookByNumberForm
from polka.catalog.models import Record
from polka.catalog.selectors import record_or_none
from polka.core.antispam import client_ip
from polka.core.publicforms import RateLimit, back, submit
from polka.core.staff import staff_required
from polka.org.services import personal_data_viewed
from polka.programmes import selectors, services
from polka.programmes.errors import ProgrammeError
from polka.programmes.forms import (
    BookForm,
    DiarySearchForm,
    ExhibitionForm,
    JoinForm,
    MaterialForm,
    ProgrammeForm,
    ProjectForm,
)
from polka.programmes.models import Exhibition, ExhibitionItem, Participant, Programme, Project

JOIN_FIELDS = ("child_name", "child_age", "guardian_name", "guardian_email")
JOIN = RateLimit(
    "programmes.join",
    10,
    dt.timedelta(hours=1),
    gettext_lazy("Слишком много заявок подряд. Попробуйте позже."),
)


# --- public ------------------------------------------------------------------------------


def project_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "projects": selectors.projects_public(),
        "exhibitions": selectors.exhibitions_current(today=today),
        "programmes": selectors.programmes_current(today=today),
    }
    return render(request, "programmes/project_list.html", context)


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(selectors.projects_public(), slug=slug)
    page = selectors.project_page(project=project, now=timezone.now())
    return render(request, "programmes/project_detail.html", {"page": page})


def exhibition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exhibition = get_object_or_404(selectors.exhibitions_published(), slug=slug)
    books = selectors.exhibition_books(exhibition=exhibition)
    return render(
        request, "programmes/exhibition_detail.html", {"exhibition": exhibition, "books": books}
    )


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(selectors.programmes_published(), slug=slug)
    form = JoinForm(request.POST or None)

    def accept(now: dt.datetime) -> HttpResponse:
        participant = services.participant_join(
            programme=programme,
            **{k: form.cleaned_data[k] for k in JOIN_FIELDS},
            ip_address=client_ip(request),
            language=translation.get_language() or "ru",
            at=now,
        )
        messages.success(
            request, _("Ребёнок записан в программу. Ссылка на дневник чтения пришла вам на почту.")
        )
        return redirect("programmes:progress", token=participant.token)

    bot = back("programmes:programme", slug=slug)
    done = submit(request, form, JOIN, bot=bot, accept=accept, errors=ProgrammeError)
    if done is not None:
        return done
    meetings = selectors.programme_meetings(programme=programme, published=True)
    context = {"programme": programme, "form": form, "meetings": meetings}
    status = 400 if form.errors else 200
    return render(request, "programmes/programme_detail.html", context, status=status)


def _participant(token: str) -> Participant:
    participant = selectors.participant_by_token(token=token)
    if participant is None:
        raise Http404
    return participant


def progress(request: HttpRequest, token: str) -> HttpResponse:
    """The guardian's reading diary: books read, meetings attended, the certificate."""
    participant = _participant(token)
    today = timezone.localdate()
    form = BookForm(request.POST or None, initial={"read_on": today})
    search = DiarySearchForm(request.GET or None)
    hits = selectors.diary_search(text=search.cleaned_data["q"]) if search.is_valid() else []
    if request.method == "POST" and form.is_valid():
        record = record_or_none(record_id=form.cleaned_data["record"])
        try:
            services.book_record(
                participant=participant,
                record=record,
                title=form.cleaned_data["title"],
                read_on=form.cleaned_data["read_on"],
            )
        except ProgrammeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Книга добавлена в дневник чтения."))
            return redirect("programmes:progress", token=token)
    diary = selectors.participant_diary(participant=participant)
    context = {
        "progress": diary.progress,
        "books": diary.books,
        "meetings": diary.meetings,
        "form": form,
        "search": search,
        "hits": hits,
        "today": today,
    }
    return render(request, "programmes/progress.html", context)


def certificate(request: HttpRequest, token: str) -> HttpResponse:
    progress = selectors.participant_progress(participant=_participant(token))
    if not progress.complete:
        raise Http404
    return render(request, "programmes/certificate.html", {"progress": progress})


# --- staff -------------------------------------------------------------------------------


methodist = staff_required("events.manage")


@methodist
def staff_index(request: HttpRequest) -> HttpResponse:
    index = selectors.staff_index()
    context = {
        "projects": index.projects,
        "exhibitions": index.exhibitions,
        "programmes": index.programmes,
    }
    return render(request, "programmes/staff/index.html", context)


def _model_form(
    request: HttpRequest,
    form_class: Any,
    instance: Model | None,
    save: Callable[..., Model],
    title: str,
) -> HttpResponse:
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            save(request.user, form.cleaned_data)
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Сохранено."))
            return redirect("programmes:staff")
    context = {
        "form": form,
        "title": title,
        "back_url": reverse("programmes:staff"),
        "back_label": _("Проекты, программы, выставки"),
    }
    return render(request, "web/staff_form.html", context, status=400 if form.errors else 200)


@methodist
def staff_project(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk) if pk else None
    return _model_form(
        request,
        ProjectForm,
        project,
        lambda by, data: services.project_save(project=project, by=by, **data),
        project.title if project else _("Новый проект"),
    )


def _exhibition(request: HttpRequest, pk: int) -> Exhibition:
    """Another branch's exhibition is not found at all."""
    return get_object_or_404(selectors.exhibitions_editable(user=request.user), pk=pk)


@methodist
def staff_exhibition(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    exhibition = _exhibition(request, pk) if pk else None
    return _model_form(
        request,
        ExhibitionForm,
        exhibition,
        lambda by, data: services.exhibition_save(exhibition=exhibition, by=by, **data),
        exhibition.title if exhibition else _("Новая выставка"),
    )


@methodist
def staff_programme(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk) if pk else None
    return _model_form(
        request,
        ProgrammeForm,
        programme,
        lambda by, data: services.programme_save(programme=programme, by=by, **data),
        programme.title if programme else _("Новая программа"),
    )


@methodist
def staff_materials(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.material_add(
            project=project, by=request.user, at=timezone.now(), **form.cleaned_data
        )
        messages.success(request, _("Материал добавлен."))
        return redirect("programmes:staff-materials", pk=project.pk)
    context = {"project": project, "form": form, "materials": project.materials.all()}
    return render(request, "programmes/staff/materials.html", context)


@methodist
def staff_exhibition_books(request: HttpRequest, pk: int) -> HttpResponse:
    exhibition = _exhibition(request, pk)
    form = BookByNumberForm(request.POST or None)

    def put(record: Record, annotation: str) -> None:
        services.exhibition_item_add(
            exhibition=exhibition, record=record, annotation=annotation, by=request.user
        )

    if request.method == "POST" and form.is_valid() and form.add(put):
        messages.success(request, _("Книга добавлена на выставку."))
        return redirect("programmes:staff-exhibition-books", pk=exhibition.pk)
    items = selectors.exhibition_items(exhibition=exhibition)
    context = {"exhibition": exhibition, "form": form, "items": items}
    return render(request, "programmes/staff/exhibition_books.html", context)


@methodist
@require_POST
def staff_exhibition_book_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    item = get_object_or_404(ExhibitionItem, pk=item_id, exhibition=_exhibition(request, pk))
    services.exhibition_item_remove(item=item, by=request.user)
    return redirect("programmes:staff-exhibition-books", pk=pk)


@methodist
def staff_participants(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    meetings = list(selectors.programme_meetings(programme=programme))
    participants = selectors.programme_participants(programme=programme)
    personal_data_viewed(
        by=request.user,
        page="programmes.staff-participants",
        subjects=[f"participant {p.pk}" for p in participants],
        at=timezone.now(),
    )
    if request.method == "POST":
        for participant in participants:
            marked = set(request.POST.getlist(f"came-{participant.pk}"))
            for event in meetings:
                services.meeting_mark(
                    participant=participant,
                    event=event,
                    attended=str(event.pk) in marked,
                    by=request.user,
                )
        messages.success(request, _("Посещения сохранены."))
        return redirect("programmes:staff-participants", pk=pk)
    context = {
        "programme": programme,
        "meetings": meetings,
        "rows": selectors.participants_attendance(participants=participants, meetings=meetings),
        "read_most": selectors.programme_books_read_most(programme=programme),
    }
    return render(request, "programmes/staff/participants.html", context)
