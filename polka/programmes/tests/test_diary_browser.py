"""A guardian finds a library book in the catalogue from the child's reading diary and adds
it, by keyboard alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from polka.catalog.tests.gost.factories import make_record
from polka.org.models import Role
from polka.org.services import staff_user_create
from polka.programmes import services
from polka.search.indexing import index_records

pytestmark = pytest.mark.browser


def test_a_guardian_adds_a_catalogue_book_to_the_diary_by_keyboard(
    transactional_db, branch_a, page, axe
):
    today = timezone.localdate()
    methodist, _ = staff_user_create(username="m", roles={Role.METHODIST: "all"}, at=timezone.now())
    programme = services.programme_save(
        programme=None, by=methodist, slug="chitaem", title="Читаем вместе",
        starts_on=today - dt.timedelta(days=10), ends_on=today + dt.timedelta(days=60),
        min_books=2, min_meetings=0,
    )  # fmt: skip
    child = services.participant_join(
        programme=programme, child_name="Лиза", guardian_name="Ольга",
        guardian_email="o@example.org", at=timezone.now(),
    )  # fmt: skip
    book = make_record(title="Денискины рассказы")
    index_records([book.pk])

    page.goto(f"/projects/reading/{child.token}/")
    axe(page)
    page.get_by_label("Найти книгу в каталоге библиотеки").focus()
    page.keyboard.type("денискины")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    hit = page.locator(".diary-hits li").first
    assert "Денискины рассказы" in hit.inner_text()
    axe(page)
    hit.get_by_label("Когда прочитана").focus()
    for _ in range(5):  # past the date's day, month and year parts to the button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "В дневник":
            break
    assert page.evaluate("document.activeElement.textContent") == "В дневник"
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Книга добавлена в дневник чтения" in page.locator(".messages").inner_text()
    assert "Прочитано 1 из 2 книг" in page.locator(".status").inner_text()
    assert child.books.get().record_id == book.pk
