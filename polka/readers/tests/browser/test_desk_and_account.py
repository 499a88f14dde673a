"""In a real browser: the desk registers a reader by keyboard alone; a reader downloads their
data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from polka.consents.texts import PERSONAL_DATA
from polka.readers.models import Reader
from polka.readers.services import reader_categories_ensure, reader_password_set
from polka.readers.tests.conftest import PASSWORD, desk_user, register

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def categories(transactional_db):
    # A transactional test starts from flushed tables: the migration's categories are gone.
    reader_categories_ensure()


def tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the field called `name` has the focus (keyboard only, no clicks)."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement && document.activeElement.name") == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {name}")


def type_into(page, name: str, text: str) -> None:
    tab_to(page, name)
    page.keyboard.type(text)


def test_the_desk_registers_a_reader_by_keyboard_alone(page, live_server, branch_a, axe):
    desk_user("desk", branch_a)
    page.goto("/accounts/login/")
    type_into(page, "username", "desk")
    type_into(page, "password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/staff/")

    page.goto("/readers/register/")
    axe(page)
    page.keyboard.type("Сидорова")  # the surname has the focus
    type_into(page, "first_name", "Вера")
    type_into(page, "middle_name", "Ивановна")
    type_into(page, "birth_date", "02.04.1985")
    type_into(page, "phone", "+7 900 111-22-33")
    type_into(page, "email", "vera@example.org")
    type_into(page, "address", "ул. Мира, 5")
    tab_to(page, "consent_personal_data")
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    errors = page.locator(".errorlist, .form-errors").all_inner_texts()
    assert not errors, errors
    page.wait_for_url(re.compile(r"/readers/[0-9]+/$"))
    reader = Reader.objects.get()
    assert reader.birth_date is not None and reader.birth_date.isoformat() == "1985-04-02"
    assert page.get_by_role("heading", level=1).inner_text() == "Сидорова Вера Ивановна"
    assert reader.card_number in page.content()
    axe(page)


def test_a_reader_logs_in_with_the_card_and_downloads_their_data(page, live_server, branch_a, axe):
    reader = register(branch_a, email="anna@example.org", consents=[PERSONAL_DATA])
    reader_password_set(reader=reader, password="a-long-reader-password")
    page.goto("/account/login/")
    page.get_by_label("Номер билета или электронная почта").fill(reader.card_number)
    page.get_by_label("Пароль").fill("a-long-reader-password")
    page.get_by_label("Пароль").press("Enter")
    page.wait_for_url(f"{live_server.url}/account/")
    axe(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать мои данные (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["card_number"] == reader.card_number
    assert data["sections"]["reader"][0]["email"] == "anna@example.org"
