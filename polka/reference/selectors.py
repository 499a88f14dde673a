"""Reads of the reference service: the librarians' queue, the asker's thread, the archive and
the head of service's figures."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from polka.core.sanitize import clean_text
from polka.org.models import Branch
from polka.org.policies import staff_scope
from polka.reference.models import CONTENT_KIND, Message, MessageKind, Question, QuestionType, State
from polka.reference.states import OPEN_STATES
from polka.search.content import ContentText, content_search

AnyUser = AbstractBaseUser | AnonymousUser
QUEUES = ("new", "mine", "due_soon", "overdue", "all_open", "answered")
DUE_SOON_DAYS = 1


def questions_for_staff(*, user: AnyUser) -> QuerySet[Question]:
    """Questions of the branches where `user` answers questions."""
    return staff_scope(
        Question.objects.select_related("branch", "assigned_to"),
        user=user,
        action="reference.answer",
        via="branch",
    )


def questions_queue(
    *, user: AnyUser, queue: str, on: dt.date, branch: Branch | None = None
) -> QuerySet[Question]:
    """One tab of the queue: new, mine, due soon, overdue, all open, answered."""
    questions = questions_for_staff(user=user)
    if branch is not None:
        questions = questions.filter(branch=branch)
    open_ = questions.filter(state__in=OPEN_STATES)
    if queue == "new":
        return open_.filter(state=State.NEW)
    if queue == "mine":
        return open_.filter(assigned_to_id=user.pk)
    if queue == "due_soon":
        return open_.filter(due_on__gte=on, due_on__lte=on + dt.timedelta(days=DUE_SOON_DAYS))
    if queue == "overdue":
        return open_.filter(due_on__lt=on)
    if queue == "answered":
        return questions.exclude(state__in=OPEN_STATES).order_by("-answered_at", "-pk")
    return open_


def queue_counts(*, user: AnyUser, on: dt.date, branch: Branch | None = None) -> dict[str, int]:
    return {
        name: questions_queue(user=user, queue=name, on=on, branch=branch).count()
        for name in QUEUES
    }


def questions_needing_reminder(*, on: dt.date) -> QuerySet[Question]:
    return Question.objects.filter(
        state__in=OPEN_STATES,
        assigned_to__isnull=False,
        due_on__lte=on + dt.timedelta(days=DUE_SOON_DAYS),
    ).select_related("assigned_to", "branch")


def question_by_token(*, token: str) -> Question | None:
    if not token or len(token) > 64:
        return None
    return Question.objects.filter(token=token).select_related("branch").first()


def thread_public(*, question: Question) -> QuerySet[Message]:
    """What the asker sees: their words, the answers and refusals; never notes or drafts."""
    return question.messages.exclude(kind__in=[MessageKind.NOTE, MessageKind.DRAFT])


def thread_staff(*, question: Question) -> QuerySet[Message]:
    return question.messages.exclude(kind=MessageKind.DRAFT).select_related("author")


def answer_draft(*, question: Question) -> Message | None:
    return question.messages.filter(kind=MessageKind.DRAFT).first()


# --- the public archive --------------------------------------------------------------------


def archive_questions() -> QuerySet[Question]:
    return Question.objects.filter(published=True).select_related("topic")


@dataclass(frozen=True)
class ArchivePage:
    questions: list[Question]
    total: int
    suggestion: str | None = None


def archive_search(
    *, text: str, topic: str | None = None, page: int = 1, per_page: int = 20
) -> ArchivePage:
    """Published questions found with the catalogue's search engines (any word form)."""

    found = content_search(kind=CONTENT_KIND, text=text, tag=topic, page=page, per_page=per_page)
    by_id = archive_questions().in_bulk(found.ids)
    return ArchivePage([by_id[i] for i in found.ids if i in by_id], found.total, found.suggestion)


# --- the head of service's figures -------------------------------------------------------


@dataclass
class ServiceFigures:
    start: dt.date
    end: dt.date
    asked: int = 0
    answered: int = 0
    declined: int = 0
    overdue_open: int = 0
    answered_late: int = 0
    mean_hours: float | None = None
    p90_hours: float | None = None
    mean_rating: float | None = None
    ratings: int = 0
    by_type: list[tuple[str, int]] = field(default_factory=list)
    by_branch: list[tuple[str, int]] = field(default_factory=list)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    # Nearest-rank: the smallest value with at least `share` of the values at or below it.
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def service_figures(
    *, start: dt.date, end: dt.date, on: dt.date, branch: Branch | None = None
) -> ServiceFigures:
    """Questions asked in [start, end]: answered, declined, time to answer (mean and 90th
    percentile, in hours), late answers, still overdue, ratings, by type and by branch."""
    asked = Question.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
    if branch is not None:
        asked = asked.filter(branch=branch)
    figures = ServiceFigures(start=start, end=end, asked=asked.count())
    answered: list[tuple[dt.datetime, dt.datetime, dt.date]] = [
        (q.created_at, q.answered_at, q.due_on)
        for q in asked.filter(
            state__in=[State.ANSWERED, State.CLOSED], answered_at__isnull=False
        ).only("created_at", "answered_at", "due_on")
        if q.answered_at is not None
    ]
    figures.answered = len(answered)
    figures.declined = asked.filter(state=State.DECLINED).count()
    hours = [(done - asked_at).total_seconds() / 3600 for asked_at, done, _due in answered]
    if hours:
        figures.mean_hours = sum(hours) / len(hours)
        figures.p90_hours = _percentile(hours, 0.9)
    figures.answered_late = len(
        [1 for _asked, done, due in answered if timezone.localdate(done) > due]
    )
    figures.overdue_open = asked.filter(state__in=OPEN_STATES, due_on__lt=on).count()
    rated = [r for r in asked.values_list("rating", flat=True) if r is not None]
    figures.ratings = len(rated)
    if rated:
        figures.mean_rating = sum(rated) / len(rated)
    labels = dict(QuestionType.choices)
    figures.by_type = [
        (str(labels.get(row["question_type"], row["question_type"])), row["n"])
        for row in asked.values("question_type").annotate(n=Count("pk")).order_by("-n")
    ]
    figures.by_branch = [
        (row["branch__name"], row["n"])
        for row in asked.values("branch__name").annotate(n=Count("pk")).order_by("-n")
    ]
    return figures


def reference_services_count(*, start: dt.date, end: dt.date, branch: Branch | None = None) -> int:
    """Reference services for the statistics: questions answered in [start, end]."""
    answered = Q(state__in=[State.ANSWERED, State.CLOSED])
    rows = Question.objects.filter(
        answered, answered_at__date__gte=start, answered_at__date__lte=end
    )
    return (rows.filter(branch=branch) if branch is not None else rows).count()


def question_content_text(question: Question) -> ContentText:
    """What site search indexes of a published question: its public title, question and
    answer, and its topic."""
    topic = question.topic
    return ContentText(
        object_id=question.pk,
        title=question.public_title,
        body=question.public_question + "\n" + clean_text(question.public_answer),
        tags=[topic.slug] if topic else (),
    )


def questions_content_texts() -> Iterator[ContentText]:
    """Every question in the public archive, for site search."""
    questions = Question.objects.filter(published=True).select_related("topic").order_by("pk")
    for question in questions.iterator(chunk_size=500):
        yield question_content_text(question)
