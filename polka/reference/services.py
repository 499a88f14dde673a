"""Changes to reference questions: asking, the librarians' work, answers, the archive.

Every change of state goes through _transition (check → set → audit), inside the caller's
transaction, and the asker hears of it through notices (polka.notices).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from polka.consents.services import consent_record
from polka.consents.texts import REFERENCE_QUESTION
from polka.core.sanitize import clean_html, clean_text
from polka.core.states import transition
from polka.notices.services import notice_send
from polka.notices.site import site_url
from polka.org.models import Branch, BranchKind
from polka.org.policies import staff_require
from polka.org.selectors import branch_add_open_days, branch_next_open_day
from polka.reference.errors import (
    DailyCapReached,
    NoAnsweringBranch,
    QuestionInvalid,
    TransitionNotAllowed,
)
from polka.reference.models import CONTENT_KIND as CONTENT_KIND  # re-exported for the demo
from polka.reference.models import (
    BranchService,
    DeadlineRule,
    Message,
    MessageKind,
    Question,
    QuestionType,
    State,
    Topic,
    Transition,
)
from polka.reference.selectors import question_content_text
from polka.reference.states import QUESTION
from polka.search.content import content_index_text, content_unindex

AnyUser = AbstractBaseUser | AnonymousUser

MIN_LENGTH = 10
MAX_LENGTH = 5000
# Working days per question type when no DeadlineRule row says otherwise.
DEFAULT_DEADLINES: dict[str, int] = {
    QuestionType.LITERATURE: 5,
    QuestionType.CITATION: 3,
    QuestionType.FACTUAL: 3,
    QuestionType.LOCATION: 2,
    QuestionType.OTHER: 5,
}


def working_days_for(question_type: str) -> int:
    rule = DeadlineRule.objects.filter(question_type=question_type).first()
    return rule.working_days if rule else DEFAULT_DEADLINES.get(question_type, 5)


def question_due_on(*, branch: Branch, question_type: str, asked_on: dt.date) -> dt.date:
    """The deadline: N working days of the answering branch after the day of asking."""
    return branch_add_open_days(branch=branch, start=asked_on, days=working_days_for(question_type))


def _answering_branch(branch: Branch | None) -> Branch:
    if branch is not None:
        service = BranchService.objects.filter(branch=branch).first()
        if service is None or service.answers_questions:
            return branch
    silent = BranchService.objects.filter(answers_questions=False).values("branch_id")
    candidates = Branch.objects.exclude(pk__in=silent).order_by("pk")
    found = candidates.filter(kind=BranchKind.CENTRAL).first() or candidates.first()
    if found is None:
        raise NoAnsweringBranch()
    return found


def _check_cap(branch: Branch, at: dt.datetime) -> None:
    service = BranchService.objects.filter(branch=branch).first()
    if service is None or service.daily_cap is None:
        return
    today = timezone.localdate(at)
    taken = Question.objects.filter(branch=branch, created_at__date=today).count()
    if taken >= service.daily_cap:
        raise DailyCapReached(opens_on=branch_next_open_day(branch=branch, after=today))


def _transition(
    question: Question, action: str, *, by: AnyUser | None, at: dt.datetime, note: str = ""
) -> None:
    """One step of QUESTION on a row the caller has locked; the caller saves the other fields.
    The reference history (Transition, shown with the thread) is kept beside the audit log."""
    before = question.state
    transition(QUESTION, question, action, by=by, at=at, lock=False)
    Transition.objects.create(
        question=question,
        action=action,
        from_state=before,
        to_state=question.state,
        by_id=by.pk if by is not None and by.is_authenticated else None,
        at=at,
        note=note[:300],
    )


def _notify_asker(question: Question, template: str, at: dt.datetime) -> None:
    notice_send(
        kind=f"reference.{template}",
        to=question.email,
        template=f"reference/notices/{template}",
        context={"question": question, "link": site_url() + question_link(question)},
        at=at,
        language=question.language,
    )


def question_link(question: Question) -> str:
    """The asker's private page (a path; notices make it absolute with the site address)."""
    return reverse("reference:private", args=[question.token])


def _clean_question(text: str) -> str:
    cleaned = clean_text(text)
    if len(cleaned) < MIN_LENGTH:
        raise QuestionInvalid(_("Опишите вопрос подробнее: хотя бы несколько слов."))
    if len(cleaned) > MAX_LENGTH:
        raise QuestionInvalid(
            _("Вопрос слишком длинный: не больше %(max)d знаков.") % {"max": MAX_LENGTH}
        )
    return cleaned


@transaction.atomic
def question_ask(
    *,
    text: str,
    question_type: str,
    purpose: str,
    depth: str,
    email: str,
    at: dt.datetime,
    name: str = "",
    branch: Branch | None = None,
    allow_publication: bool = False,
    ip_address: str | None = None,
    language: str = "ru",
) -> Question:
    """Take a question (with its personal-data consent) and confirm it to the asker."""
    cleaned = _clean_question(text)
    answering = _answering_branch(branch)
    _check_cap(answering, at)
    consent = consent_record(
        purpose=REFERENCE_QUESTION,
        at=at,
        ip_address=ip_address,
        name=clean_text(name, max_length=100, multiline=False),
        email=email,
        context="reference.question",
    )
    question = Question.objects.create(
        token=secrets.token_urlsafe(24),
        branch=answering,
        question_type=question_type,
        purpose=purpose,
        depth=depth,
        text=cleaned,
        name=consent.name,
        email=email,
        language=language,
        consent=consent,
        allow_publication=allow_publication,
        state=State.NEW,
        created_at=at,
        due_on=question_due_on(
            branch=answering, question_type=question_type, asked_on=timezone.localdate(at)
        ),
    )
    Message.objects.create(
        question=question, kind=MessageKind.QUESTION, body=cleaned, created_at=at
    )
    Transition.objects.create(
        question=question, action="ask", from_state="", to_state=State.NEW, at=at
    )
    _notify_asker(question, "received", at)
    return question


def _require(user: AnyUser, question: Question) -> None:
    staff_require(user=user, action="reference.answer", branch=question.branch)


def _locked(question: Question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


@transaction.atomic
def question_assign(
    *, question: Question, to: AbstractBaseUser, by: AnyUser, at: dt.datetime
) -> Question:
    _require(by, question)
    question = _locked(question)
    _transition(question, "assign", by=by, at=at, note=str(to))
    question.assigned_to_id = to.pk
    question.save(update_fields=["state", "assigned_to"])
    return question


@transaction.atomic
def question_take(*, question: Question, by: AnyUser, at: dt.datetime) -> Question:
    _require(by, question)
    question = _locked(question)
    _transition(question, "take", by=by, at=at)
    question.assigned_to_id = by.pk
    question.save(update_fields=["state", "assigned_to"])
    return question


@transaction.atomic
def question_note(*, question: Question, text: str, by: AnyUser, at: dt.datetime) -> Message:
    """An internal note: staff only, never shown to the asker or published."""
    _require(by, question)
    body = clean_text(text, max_length=MAX_LENGTH)
    if not body:
        raise QuestionInvalid(_("Заметка пуста."))
    return Message.objects.create(
        question=question, kind=MessageKind.NOTE, body=body, author_id=by.pk, created_at=at
    )


@transaction.atomic
def answer_draft_save(*, question: Question, body: str, by: AnyUser, at: dt.datetime) -> Message:
    _require(by, question)
    draft, _created = Message.objects.update_or_create(
        question=question,
        kind=MessageKind.DRAFT,
        defaults={"body": clean_html(body), "author_id": by.pk, "created_at": at},
    )
    return draft


def _send(
    question: Question, action: str, kind: str, body: str, by: AnyUser, at: dt.datetime
) -> Question:
    _require(by, question)
    question = _locked(question)
    html = clean_html(body)
    if not clean_text(html):
        raise QuestionInvalid(_("Ответ пуст."))
    _transition(question, action, by=by, at=at)
    if question.assigned_to_id is None:
        question.assigned_to_id = by.pk
    question.answered_at = at
    question.save(update_fields=["state", "assigned_to", "answered_at"])
    Message.objects.filter(question=question, kind=MessageKind.DRAFT).delete()
    Message.objects.create(question=question, kind=kind, body=html, author_id=by.pk, created_at=at)
    return question


@transaction.atomic
def question_answer(*, question: Question, body: str, by: AnyUser, at: dt.datetime) -> Question:
    """Send the answer (sanitised HTML with sources) and tell the asker."""
    question = _send(question, "answer", MessageKind.ANSWER, body, by, at)
    _notify_asker(question, "answered", at)
    return question


@transaction.atomic
def question_decline(*, question: Question, body: str, by: AnyUser, at: dt.datetime) -> Question:
    """Refuse a question outside the service's rules, politely, citing the rule."""
    question = _send(question, "decline", MessageKind.DECLINE, body, by, at)
    _notify_asker(question, "declined", at)
    return question


@transaction.atomic
def question_follow_up(*, question: Question, text: str, at: dt.datetime) -> Question:
    """The asker asks more in the same thread: the question is reopened with a new deadline."""
    question = _locked(question)
    body = _clean_question(text)
    _transition(question, "reopen", by=None, at=at)
    question.due_on = question_due_on(
        branch=question.branch,
        question_type=question.question_type,
        asked_on=timezone.localdate(at),
    )
    question.closed_at = None
    question.save(update_fields=["state", "due_on", "closed_at"])
    Message.objects.create(question=question, kind=MessageKind.FOLLOW_UP, body=body, created_at=at)
    return question


@transaction.atomic
def question_rate(
    *, question: Question, rating: int, comment: str = "", at: dt.datetime
) -> Question:
    """The asker rates the answer; a rated answer is closed."""
    if not 1 <= rating <= 5:
        raise QuestionInvalid(_("Оценка — от 1 до 5."))
    question = _locked(question)
    if question.state == State.ANSWERED:
        _transition(question, "close", by=None, at=at, note=f"rating {rating}")
        question.closed_at = at
    elif question.state != State.CLOSED:
        raise TransitionNotAllowed(action="rate", state=str(question.get_state_display()))
    question.rating = rating
    question.rating_comment = clean_text(comment, max_length=2000)
    question.save(update_fields=["state", "closed_at", "rating", "rating_comment"])
    return question


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(\+?\d[\d\s()\-]{8,}\d)(?!\d)")


def strip_personal(text: str) -> str:
    """Email addresses and phone numbers removed (staff also edit names out by hand)."""
    return _PHONE.sub("[…]", _EMAIL.sub("[…]", text))


@transaction.atomic
def question_publish(
    *,
    question: Question,
    title: str,
    public_question: str,
    public_answer: str,
    topic: Topic | None,
    by: AnyUser,
    at: dt.datetime,
) -> Question:
    """Put an answered question in the public archive, as edited, if the asker allowed it."""
    _require(by, question)
    question = _locked(question)
    if not question.allow_publication:
        raise QuestionInvalid(_("Читатель не разрешил публиковать этот вопрос."))
    if question.state not in (State.ANSWERED, State.CLOSED):
        raise QuestionInvalid(_("Опубликовать можно только вопрос с ответом."))
    question.public_title = strip_personal(clean_text(title, max_length=300, multiline=False))
    question.public_question = strip_personal(clean_text(public_question))
    question.public_answer = strip_personal(clean_html(public_answer))
    if not (question.public_title and question.public_question and question.public_answer):
        raise QuestionInvalid(_("Для архива нужны заголовок, вопрос и ответ."))
    question.topic = topic
    question.published = True
    question.published_at = question.published_at or at
    question.save(
        update_fields=[
            "public_title",
            "public_question",
            "public_answer",
            "topic",
            "published",
            "published_at",
        ]
    )
    content_index_text(kind=CONTENT_KIND, text=question_content_text(question))
    return question


@transaction.atomic
def question_unpublish(*, question: Question, by: AnyUser, at: dt.datetime) -> Question:
    _require(by, question)
    question = _locked(question)
    question.published = False
    question.save(update_fields=["published"])
    content_unindex(kind=CONTENT_KIND, object_id=question.pk)
    return question


def reminders_queue(now: dt.datetime) -> int:
    """Tell the librarian working on each open question due tomorrow or overdue (once a day)."""
    from polka.reference.selectors import questions_needing_reminder

    count = 0
    for question in questions_needing_reminder(on=timezone.localdate(now)):
        notice = notice_send(
            kind="reference.due",
            to=question.assigned_to.email if question.assigned_to else "",
            template="reference/notices/due",
            context={"question": question},
            at=now,
            dedupe_key=f"reference.due:{question.pk}:{timezone.localdate(now)}",
        )
        count += notice is not None
    return count
