"""In a real browser: a cataloguer fixes a title and readers see it; the pages pass axe."""

import re

import pytest

from polka.catalog import services
from polka.catalog.tests.standins import marc
from polka.catalog.tests.views.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def record(at, central):
    record = services.record_create(marc=marc("Москва и москвичи"), flavour="marc21", at=at)
    services.item_add(
        record=record, branch=central, barcode="0001", by=None, at=at, shelf_mark="84(2)1 Г47"
    )
    return record


def _log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_label("Пароль").press("Enter")
    page.wait_for_url("**/staff/")


def test_a_cataloguer_edits_the_title_and_sees_it_on_the_public_page(
    page, live_server, cataloguer, record
):
    _log_in(page, "cataloguer")
    page.goto(f"/staff/catalog/records/{record.pk}/edit/")
    page.get_by_role("textbox", name=re.compile("^Заглавие")).fill("Москва и москвичи. Очерки")
    page.get_by_role("button", name="Сохранить").click()

    page.wait_for_url(f"**/catalog/records/{record.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Москва и москвичи. Очерки"
    assert "Москва и москвичи. Очерки" in page.locator(".gost-description").inner_text()


def test_the_record_page_and_the_selection_pass_axe(page, axe, record):
    page.goto(f"/catalog/records/{record.pk}/")
    axe(page)
    page.get_by_label("выбрать").check()
    page.get_by_role("button", name="Сохранить выбор").click()
    page.goto("/catalog/selection/")
    assert (
        page.get_by_label("Список для копирования").input_value().startswith("1. Москва и москвичи")
    )
    axe(page)


def test_the_staff_editor_pages_pass_axe(page, axe, cataloguer, record):
    _log_in(page, "cataloguer")
    for part in ("edit", "marc", "history", "items"):
        page.goto(f"/staff/catalog/records/{record.pk}/{part}/")
        axe(page)
