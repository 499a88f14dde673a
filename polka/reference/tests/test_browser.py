"""A visitor asks, a librarian answers with a catalogue record inserted, the visitor reads the
answer through the private link and asks a follow-up."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from polka.catalog.tests.gost.factories import make_record
from polka.org.models import Role
from polka.org.services import staff_user_create
from polka.reference.models import Question, State
from polka.reference.tests.conftest import MONDAY
from polka.search.indexing import index_records

pytestmark = pytest.mark.browser


@pytest.fixture
def setup(transactional_db, branch_a):
    record = make_record(
        title="Москва и москвичи",
        responsibility="Владимир Гиляровский",
        year=2017,
        people=(("Гиляровский, Владимир Алексеевич", "aut"),),
    )
    index_records([record.pk])
    user, password = staff_user_create(
        username="ref", roles={Role.REFERENCE: [branch_a]}, password="Spravka-2026-ok", at=MONDAY
    )
    return user, password


def test_a_question_answered_with_a_record_and_followed_up(setup, page, browser, live_server, axe):
    page.goto("/ask/")
    axe(page)
    page.get_by_label("Ваш вопрос").fill("Какие книги рассказывают о старой Москве и москвичах?")
    page.get_by_label("Тип вопроса").select_option("literature")
    page.get_by_label("Электронная почта").fill("reader@example.org")
    page.get_by_label("Согласие на обработку данных для ответа на вопрос").check()
    page.get_by_role("button", name="Отправить вопрос").click()
    page.wait_for_url("**/ask/q/**")
    assert "новый" in page.locator(".status").inner_text()
    link = re.search(r"https?://\S+/ask/q/\S+/", mail.outbox[0].body)
    assert link is not None
    private_path = "/" + link.group(0).split("/", 3)[3]

    staff = browser.new_context(base_url=live_server.url, locale="ru-RU")
    librarian = staff.new_page()
    librarian.goto("/accounts/login/")
    librarian.get_by_label("Имя пользователя").fill("ref")
    librarian.get_by_label("Пароль").fill(setup[1])
    librarian.get_by_role("button", name="Войти").click()
    librarian.goto("/ask/staff/")
    librarian.get_by_role("link", name=re.compile("старой Москве")).click()
    # htmx (a deferred script) must be running before the search box is typed into.
    librarian.wait_for_url("**/ask/staff/*/")
    librarian.wait_for_load_state("load")
    librarian.get_by_label("Поиск в каталоге").fill("москвичи")
    librarian.get_by_label("Поиск в каталоге").press("Enter")
    librarian.get_by_role("button", name=re.compile("Вставить в ответ")).first.click()
    body = librarian.locator("#answer-body")
    assert "Гиляровский" in body.input_value() and "/catalog/records/" in body.input_value()
    body.press("End")
    body.type("\n<p>Загляните также в краеведческий отдел.</p>")
    librarian.get_by_role("button", name="Отправить ответ").click()
    librarian.wait_for_load_state()
    staff.close()
    assert Question.objects.get().state == State.ANSWERED

    page.goto(private_path)
    answer = page.locator(".thread-answer")
    assert "Гиляровский" in answer.inner_text()
    record_link = answer.get_by_role("link", name="Запись в каталоге")
    assert "/catalog/records/" in (record_link.get_attribute("href") or "")
    page.get_by_role("textbox", name="Уточняющий вопрос").fill(
        "А есть ли что-то о московских трактирах?"
    )
    page.get_by_role("button", name="Отправить").click()
    page.wait_for_load_state()
    assert "в работе" in page.locator(".status").inner_text()
    assert "трактирах" in page.locator(".thread").inner_text()
    assert Question.objects.get().state == State.IN_WORK
