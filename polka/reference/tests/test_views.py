"""The public form, the private page, the archive and the staff pages over HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from polka.reference import services
from polka.reference.models import Question
from polka.reference.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db

FORM = {
    "text": "Подберите, пожалуйста, литературу о местных ремёслах",
    "question_type": "literature",
    "purpose": "study",
    "depth": "few",
    "email": "reader@example.org",
    "consent": "on",
}


def test_a_question_sent_through_the_form_leads_to_its_private_page(
    client, branch_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reference:ask"), FORM, follow=True)
    question = Question.objects.get()
    assert response.redirect_chain[-1][0] == reverse("reference:private", args=[question.token])
    assert "ремёслах" in response.content.decode()
    assert len(mail.outbox) == 1


def test_a_form_with_an_error_keeps_what_was_typed(client, branch_a):
    response = client.post(reverse("reference:ask"), {**FORM, "consent": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "Без этого согласия" in html
    assert "литературу о местных ремёслах" in html and "reader@example.org" in html
    assert Question.objects.count() == 0


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_kept(client, branch_a):
    response = client.post(reverse("reference:ask"), {**FORM, "website": "http://spam"})
    assert response.status_code == 302 and response["Location"] == reverse("reference:thanks")
    assert Question.objects.count() == 0 and mail.outbox == []


def test_a_flood_from_one_address_is_stopped_with_a_clear_message(client, branch_a):
    for _ in range(5):
        client.post(reverse("reference:ask"), FORM)
    response = client.post(reverse("reference:ask"), FORM)
    assert "Слишком много вопросов подряд" in response.content.decode()
    assert Question.objects.count() == 5


def test_a_wrong_private_link_finds_nothing(client):
    assert client.get(reverse("reference:private", args=["nope"])).status_code == 404


def test_the_asker_email_never_appears_in_the_archive(client, ask, librarian):
    question = ask(text="Нужны книги о ремёслах, пишите на reader@example.org")
    services.question_answer(question=question, body="<p>Книги</p>", by=librarian, at=MONDAY)
    services.question_publish(
        question=question,
        title="Книги о ремёслах",
        public_question=question.text,
        public_answer="<p>Книги</p>",
        topic=None,
        by=librarian,
        at=MONDAY,
    )
    for url in (
        reverse("reference:archive"),
        reverse("reference:archive") + "?q=ремесло",
        reverse("reference:archive-detail", args=[question.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Книги о ремёслах" in html and "reader@example.org" not in html


def test_staff_pages_are_for_reference_librarians_only(client, ask, librarian, django_user_model):
    assert client.get(reverse("reference:inbox")).status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user(username="reader"))
    assert client.get(reverse("reference:inbox")).status_code == 403
    client.force_login(librarian)
    question = ask()
    html = client.get(reverse("reference:inbox")).content.decode()
    assert "литературу по истории" in html
    page = client.get(reverse("reference:staff-question", args=[question.pk]))
    assert page.status_code == 200


def test_an_overdue_question_is_highlighted_in_the_queue(client, ask, librarian):
    question = ask()
    Question.objects.filter(pk=question.pk).update(due_on=dt.date(2020, 1, 1))
    client.force_login(librarian)
    html = client.get(reverse("reference:inbox") + "?queue=overdue").content.decode()
    assert 'class="overdue"' in html and "просрочен" in html


def test_the_catalogue_search_in_the_editor_offers_gost_descriptions(client, librarian):
    from polka.catalog.tests.gost.factories import make_record
    from polka.search.indexing import index_records

    record = make_record(title="Москва и москвичи", year=2017)
    index_records([record.pk])
    client.force_login(librarian)
    html = client.get(reverse("reference:catalog-search"), {"q": "москвичи"}).content.decode()
    assert "Москва и москвичи" in html and f"/catalog/records/{record.pk}/" in html


def test_the_head_of_service_exports_the_figures(client, ask, librarian, django_user_model):
    question = ask()
    services.question_answer(
        question=question, body="<p>ответ</p>", by=librarian, at=MONDAY + dt.timedelta(hours=5)
    )
    from polka.org.models import Role
    from polka.org.services import staff_user_create

    head, _ = staff_user_create(username="head", roles={Role.MANAGER: "all"}, at=MONDAY)
    client.force_login(head)
    url = reverse("reference:stats") + "?start=2026-03-01&end=2026-03-31"
    assert "Поступило вопросов" in client.get(url).content.decode()
    csv_text = client.get(url + "&format=csv").content.decode("utf-8-sig")
    assert "Поступило вопросов;1" in csv_text and "Среднее время ответа, ч;5.0" in csv_text
    client.force_login(librarian)  # a branch librarian sees no network figures
    assert client.get(url).status_code == 403
