"""Ask a librarian: the public form, the asker's private page, the archive, the staff queue."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polka.catalog.gost import describe_parts
from polka.catalog.models import Record
from polka.core.antispam import client_ip
from polka.core.publicforms import RateLimit, back, submit
from polka.core.staff import require_staff
from polka.org.errors import NotPermitted
from polka.org.models import Role, StaffRole
from polka.org.policies import staff_branches, staff_can
from polka.org.services import personal_data_viewed
from polka.reference import selectors, services
from polka.reference.errors import ReferenceServiceError
from polka.reference.forms import (
    AnswerForm,
    AskForm,
    AssignForm,
    FollowUpForm,
    NoteForm,
    PublishForm,
    RateForm,
    StatsForm,
    answer_templates,
)
from polka.reference.models import Question, State, Topic
from polka.search.backends.base import SearchRequest
from polka.search.selectors import search_records

ASK = RateLimit(
    "reference.ask",
    5,
    dt.timedelta(hours=1),
    gettext_lazy("Слишком много вопросов подряд. Попробуйте через час."),
)
ASK_FIELDS = (
    "text",
    "question_type",
    "purpose",
    "depth",
    "email",
    "name",
    "branch",
    "allow_publication",
)


# --- public ------------------------------------------------------------------------------


def ask(request: HttpRequest) -> HttpResponse:
    form = AskForm(request.POST or None)

    def accept(now: dt.datetime) -> HttpResponse:
        question = services.question_ask(
            **{k: form.cleaned_data[k] for k in ASK_FIELDS},
            ip_address=client_ip(request),
            language=translation.get_language() or "ru",
            at=now,
        )
        messages.success(request, _("Вопрос принят. Ссылка на эту страницу пришла вам на почту."))
        return redirect("reference:private", token=question.token)

    bot = back("reference:thanks")  # a bot: say thanks, keep nothing
    done = submit(request, form, ASK, bot=bot, accept=accept, errors=ReferenceServiceError)
    return done if done is not None else render(request, "reference/ask.html", {"form": form})


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/thanks.html")


def _question_or_404(token: str) -> Question:
    question = selectors.question_by_token(token=token)
    if question is None:
        raise Http404
    return question


def private(request: HttpRequest, token: str) -> HttpResponse:
    question = _question_or_404(token)
    context = {
        "question": question,
        "thread": selectors.thread_public(question=question),
        "follow_up": FollowUpForm(),
        "rate": RateForm(),
    }
    return render(request, "reference/private.html", context)


@require_POST
def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    question = _question_or_404(token)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.question_follow_up(
                question=question, text=form.cleaned_data["text"], at=timezone.now()
            )
        except ReferenceServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Уточнение отправлено библиотекарю."))
            return redirect("reference:private", token=token)
    context = {
        "question": question,
        "thread": selectors.thread_public(question=question),
        "follow_up": form,
        "rate": RateForm(),
    }
    return render(request, "reference/private.html", context, status=400)


@require_POST
def rate(request: HttpRequest, token: str) -> HttpResponse:
    question = _question_or_404(token)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.question_rate(
                question=question,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                at=timezone.now(),
            )
        except ReferenceServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Спасибо за оценку!"))
    return redirect("reference:private", token=token)


def archive(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:200]
    topic = request.GET.get("topic") or None
    context: dict[str, Any] = {"q": text, "topic": topic, "topics": Topic.objects.all()}
    if text:
        context["found"] = selectors.archive_search(text=text, topic=topic)
    else:
        questions = selectors.archive_questions().order_by("-published_at")
        if topic:
            questions = questions.filter(topic__slug=topic)
        context["page"] = Paginator(questions, 20).get_page(request.GET.get("page"))
    return render(request, "reference/archive.html", context)


def archive_detail(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(selectors.archive_questions(), pk=question_id)
    return render(request, "reference/archive_detail.html", {"question": question})


# --- staff -------------------------------------------------------------------------------


def _staff_only(request: HttpRequest) -> None:
    require_staff(request, "reference.answer")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    queue = request.GET.get("queue", "new")
    if queue not in selectors.QUEUES:
        queue = "new"
    today = timezone.localdate()
    branches = staff_branches(user=request.user, action="reference.answer")
    branch = branches.filter(code=request.GET.get("branch", "")).first()
    questions = selectors.questions_queue(user=request.user, queue=queue, on=today, branch=branch)
    context = {
        "queue": queue,
        "counts": selectors.queue_counts(user=request.user, on=today, branch=branch),
        "page": Paginator(questions, 30).get_page(request.GET.get("page")),
        "branches": branches,
        "branch": branch,
        "today": today,
        "sees_figures": _sees_figures(request),  # no link to a page that would answer 403
    }
    return render(request, "reference/staff/inbox.html", context)


def _staff_question(request: HttpRequest, question_id: int) -> Question:
    _staff_only(request)
    return get_object_or_404(selectors.questions_for_staff(user=request.user), pk=question_id)


def _colleagues(question: Question) -> Any:
    """Reference librarians who work for the question's branch."""
    roles = StaffRole.objects.filter(role=Role.REFERENCE).filter(
        Q(all_branches=True) | Q(branches=question.branch)
    )
    return get_user_model().objects.filter(staff_roles__in=roles).distinct().order_by("username")


def _question_page(
    request: HttpRequest, question: Question, status: int = 200, **forms: Any
) -> HttpResponse:
    draft = selectors.answer_draft(question=question)
    personal_data_viewed(
        by=request.user,
        page="reference.question",
        subjects=[f"question {question.pk}"],
        at=timezone.now(),
        branch=question.branch,
    )
    context = {
        "question": question,
        "thread": selectors.thread_staff(question=question),
        "transitions": question.transitions.select_related("by"),
        "note_form": forms.get("note_form") or NoteForm(),
        "answer_form": forms.get("answer_form")
        or AnswerForm(initial={"body": draft.body if draft else ""}),
        "assign_form": forms.get("assign_form") or AssignForm(people=_colleagues(question)),
        "publish_form": forms.get("publish_form")
        or PublishForm(
            initial={
                "title": question.public_title or question.text[:100],
                "public_question": question.public_question or question.text,
                "public_answer": question.public_answer or _last_answer(question),
                "topic": question.topic,
            }
        ),
        "templates": answer_templates(),
        "is_open": question.state in (State.NEW, State.ASSIGNED, State.IN_WORK),
        "today": timezone.localdate(),
    }
    return render(request, "reference/staff/question.html", context, status=status)


def _last_answer(question: Question) -> str:
    answer = question.messages.filter(kind="answer").order_by("-created_at").first()
    return answer.body if answer else ""


@login_required
def staff_question(request: HttpRequest, question_id: int) -> HttpResponse:
    return _question_page(request, _staff_question(request, question_id))


@login_required
@require_POST
def staff_action(request: HttpRequest, question_id: int, action: str) -> HttpResponse:
    question = _staff_question(request, question_id)
    now, user = timezone.now(), request.user
    forms: dict[str, Any] = {}
    form: Any
    try:
        if action == "take":
            services.question_take(question=question, by=user, at=now)
        elif action == "assign":
            form = AssignForm(request.POST, people=_colleagues(question))
            forms["assign_form"] = form
            if not form.is_valid():
                return _question_page(request, question, 400, **forms)
            services.question_assign(question=question, to=form.cleaned_data["to"], by=user, at=now)
        elif action == "note":
            form = NoteForm(request.POST)
            forms["note_form"] = form
            if not form.is_valid():
                return _question_page(request, question, 400, **forms)
            text = form.cleaned_data["text"]
            services.question_note(question=question, text=text, by=user, at=now)
        elif action in ("draft", "answer", "decline"):
            form = AnswerForm(request.POST)
            forms["answer_form"] = form
            if not form.is_valid():
                return _question_page(request, question, 400, **forms)
            body = form.cleaned_data["body"]
            if action == "draft":
                services.answer_draft_save(question=question, body=body, by=user, at=now)
                messages.success(request, _("Черновик сохранён."))
            elif action == "answer":
                services.question_answer(question=question, body=body, by=user, at=now)
                messages.success(request, _("Ответ отправлен читателю."))
            else:
                services.question_decline(question=question, body=body, by=user, at=now)
                messages.success(request, _("Читателю отправлен отказ."))
        elif action == "publish":
            form = PublishForm(request.POST)
            forms["publish_form"] = form
            if not form.is_valid():
                return _question_page(request, question, 400, **forms)
            services.question_publish(
                question=question,
                title=form.cleaned_data["title"],
                public_question=form.cleaned_data["public_question"],
                public_answer=form.cleaned_data["public_answer"],
                topic=form.cleaned_data["topic"],
                by=user,
                at=now,
            )
            messages.success(request, _("Вопрос опубликован в архиве."))
        elif action == "unpublish":
            services.question_unpublish(question=question, by=user, at=now)
        else:
            raise Http404
    except (ReferenceServiceError, NotPermitted) as error:
        messages.error(request, str(error))
        question.refresh_from_db()
        return _question_page(request, question, 400, **forms)
    return redirect("reference:staff-question", question_id=question.pk)


@login_required
def catalog_search(request: HttpRequest) -> HttpResponse:
    """htmx: catalogue hits for the answer editor, each with its ГОСТ description to insert."""
    _staff_only(request)
    text = request.GET.get("q", "").strip()[:200]
    entries: list[tuple[Record, Any]] = []
    if text:
        results = search_records(request=SearchRequest(text=text, per_page=10, facets=False))
        by_id = Record.objects.in_bulk([h.record_id for h in results.hits])
        records = [by_id[h.record_id] for h in results.hits if h.record_id in by_id]
        entries = [(r, describe_parts(r)) for r in records]
    context = {"entries": entries, "q": text, "site": request.build_absolute_uri("/")[:-1]}
    return render(request, "reference/staff/_catalog_hits.html", context)


def _sees_figures(request: HttpRequest) -> bool:
    return staff_can(user=request.user, action="reports.view") or staff_can(
        user=request.user, action="reference.answer", network_wide=True
    )


def _figures_or_403(request: HttpRequest) -> None:
    if not _sees_figures(request):
        raise PermissionDenied


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    _figures_or_403(request)
    today = timezone.localdate()
    form = StatsForm(request.GET or {"start": today.replace(day=1), "end": today})
    figures = None
    if form.is_valid():
        figures = selectors.service_figures(
            start=form.cleaned_data["start"], end=form.cleaned_data["end"], on=today
        )
        if request.GET.get("format") == "csv":
            return _figures_csv(figures)
    return render(request, "reference/staff/stats.html", {"form": form, "figures": figures})


def _figures_csv(figures: selectors.ServiceFigures) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="reference-{figures.start}-{figures.end}.csv"'
    )
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
    writer = csv.writer(response, delimiter=";")
    rows = [
        (_("Период"), f"{figures.start} – {figures.end}"),
        (_("Поступило вопросов"), figures.asked),
        (_("Отвечено"), figures.answered),
        (_("Отклонено"), figures.declined),
        (_("Отвечено с опозданием"), figures.answered_late),
        (_("Просрочено сейчас"), figures.overdue_open),
        (_("Среднее время ответа, ч"), _round(figures.mean_hours)),
        (_("90-й процентиль времени ответа, ч"), _round(figures.p90_hours)),
        (_("Средняя оценка"), _round(figures.mean_rating)),
        (_("Оценок"), figures.ratings),
    ]
    rows += [(_("Тип: %(type)s") % {"type": name}, n) for name, n in figures.by_type]
    rows += [(_("Библиотека: %(branch)s") % {"branch": name}, n) for name, n in figures.by_branch]
    writer.writerows(rows)
    return response


def _round(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"
