"""The question's life: asked under consent, worked, answered, followed up, rated, published."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from polka.consents.models import ConsentRecord
from polka.org.errors import NotPermitted
from polka.org.models import Role
from polka.org.services import staff_user_create
from polka.reference import services
from polka.reference.errors import DailyCapReached, QuestionInvalid, TransitionNotAllowed
from polka.reference.models import BranchService, MessageKind, Question, State
from polka.reference.selectors import archive_search, thread_public
from polka.reference.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db(transaction=True)
LATER = MONDAY + dt.timedelta(hours=2)


def test_a_question_is_taken_with_its_consent_and_confirmed_with_a_private_link(ask):
    question = ask()
    assert question.state == State.NEW
    consent = ConsentRecord.objects.get(pk=question.consent_id)
    assert (consent.purpose, consent.ip_address, consent.email) == (
        "reference_question",
        "192.0.2.1",
        "reader@example.org",
    )
    assert len(mail.outbox) == 1
    assert f"/ask/q/{question.token}/" in mail.outbox[0].body
    assert len(question.token) >= 30


@pytest.mark.parametrize("text", ["", "   ", "коротко", "а" * 5001])
def test_empty_short_and_huge_questions_are_refused_and_nothing_is_kept(ask, text):
    with pytest.raises(QuestionInvalid):
        ask(text=text)
    assert Question.objects.count() == 0 and ConsentRecord.objects.count() == 0
    assert mail.outbox == []


def test_script_is_stripped_from_the_question(ask):
    question = ask(text="<script>alert(1)</script>Нужны книги о <b>Пушкине</b> и его эпохе")
    assert question.text == "Нужны книги о Пушкине и его эпохе"


def test_the_whole_life_of_a_question_is_audited(ask, librarian):
    question = ask()
    services.question_take(question=question, by=librarian, at=LATER)
    services.question_note(
        question=question, text="Проверить краеведческий фонд", by=librarian, at=LATER
    )
    services.answer_draft_save(question=question, body="<p>Черновик</p>", by=librarian, at=LATER)
    question = services.question_answer(
        question=question,
        body='<p>Вот список <a href="https://example.org" onclick="x()">источник</a></p>',
        by=librarian,
        at=LATER,
    )
    assert question.state == State.ANSWERED and question.assigned_to == librarian
    answer = question.messages.get(kind=MessageKind.ANSWER)
    assert "onclick" not in answer.body and 'href="https://example.org"' in answer.body
    assert not question.messages.filter(kind=MessageKind.DRAFT).exists()
    public_kinds = [m.kind for m in thread_public(question=question)]
    assert public_kinds == ["question", "answer"]  # the note stays inside
    assert (
        "Ответ на ваш вопрос" in mail.outbox[-1].subject and question.token in mail.outbox[-1].body
    )
    question = services.question_follow_up(
        question=question, text="А есть ли что-нибудь о заводах города?", at=LATER
    )
    assert question.state == State.IN_WORK
    services.question_answer(question=question, body="<p>Да, вот</p>", by=librarian, at=LATER)
    question = services.question_rate(question=question, rating=5, comment="Спасибо!", at=LATER)
    assert question.state == State.CLOSED and question.rating == 5
    actions = list(question.transitions.values_list("action", "to_state"))
    assert actions == [
        ("ask", "new"),
        ("take", "in_work"),
        ("answer", "answered"),
        ("reopen", "in_work"),
        ("answer", "answered"),
        ("close", "closed"),
    ]


def test_a_closed_transition_table_refuses_what_is_not_allowed(ask, librarian):
    question = ask()
    with pytest.raises(TransitionNotAllowed):
        services.question_rate(question=question, rating=4, at=LATER)
    with pytest.raises(TransitionNotAllowed):
        services.question_follow_up(question=question, text="Ещё один вопрос сюда", at=LATER)
    services.question_decline(
        question=question,
        body="<p>Мы не решаем домашние задания (п. 3 правил)</p>",
        by=librarian,
        at=LATER,
    )
    with pytest.raises(TransitionNotAllowed):
        services.question_answer(question=question, body="<p>ответ</p>", by=librarian, at=LATER)


def test_librarians_of_another_branch_cannot_touch_the_question(ask, branch_b):
    other, _ = staff_user_create(username="other", roles={Role.REFERENCE: [branch_b]}, at=MONDAY)
    question = ask()
    with pytest.raises(NotPermitted):
        services.question_take(question=question, by=other, at=LATER)


def test_a_branch_cap_refuses_questions_and_says_when_it_opens_again(ask, branch_a):
    BranchService.objects.create(branch=branch_a, daily_cap=1)
    ask()
    with pytest.raises(DailyCapReached) as refused:
        ask()
    assert refused.value.opens_on == dt.date(2026, 3, 3)
    assert "3 марта" in str(refused.value)
    assert Question.objects.count() == 1


def test_publishing_removes_contacts_and_makes_the_question_findable_by_another_word_form(
    ask, librarian
):
    question = ask(text="Где прочитать о сражениях под Смоленском? Пишите ira@example.org")
    services.question_answer(
        question=question, body="<p>Смотрите книги</p>", by=librarian, at=LATER
    )
    question = services.question_publish(
        question=question,
        title="Сражения под Смоленском",
        public_question=question.text + " тел. +7 912 345-67-89",
        public_answer="<p>Смотрите книги</p>",
        topic=None,
        by=librarian,
        at=LATER,
    )
    assert "ira@example.org" not in question.public_question
    assert "345-67-89" not in question.public_question
    assert [q.pk for q in archive_search(text="сражение смоленск").questions] == [question.pk]
    services.question_unpublish(question=question, by=librarian, at=LATER)
    assert archive_search(text="сражение").total == 0


def test_a_question_the_asker_kept_private_cannot_be_published(ask, librarian):
    question = ask(allow_publication=False)
    services.question_answer(question=question, body="<p>ответ</p>", by=librarian, at=LATER)
    with pytest.raises(QuestionInvalid):
        services.question_publish(
            question=question,
            title="x",
            public_question="y",
            public_answer="z",
            topic=None,
            by=librarian,
            at=LATER,
        )
