"""In a real browser: a full desk session by keyboard alone, and a reader's hold from the
record page to "ready". The branches open every day here, because the desk reads the clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from polka.catalog.models import ItemStatus
from polka.circulation import services
from polka.circulation.tests.conftest import (
    PASSWORD,
    desk_user,
    make_item,
    make_reader,
    make_record,
)
from polka.org import services as org
from polka.readers.services import reader_categories_ensure, reader_password_set

pytestmark = pytest.mark.browser
EVERY_DAY = {wd: (dt.time(0, 0), dt.time(23, 59)) for wd in range(7)}


@pytest.fixture(autouse=True)
def open_every_day(transactional_db, branch_a, branch_b):
    reader_categories_ensure()
    for branch in (branch_a, branch_b):
        org.opening_hours_set(branch=branch, week=EVERY_DAY, by=None, at=timezone.now())


def tab_to(page, name: str, limit: int = 60) -> None:
    for _ in range(limit):
        if page.evaluate("() => document.activeElement && document.activeElement.name") == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {name}")


def scan(page, name: str, code: str) -> None:
    """A scanner types the code and Enter into the focused field."""
    tab_to(page, name)
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_a_full_desk_session_by_keyboard_alone(page, live_server, branch_a, branch_b, axe):
    desk = desk_user("desk", branch_a)
    reader = make_reader(branch_a)
    waiting = make_reader(branch_a)
    books = [make_item(make_record(f"Книга {n}"), branch_a, barcode=f"20{n}") for n in range(3)]
    lent_before = make_item(make_record("Ждут в филиале"), branch_a, barcode="300")
    services.loan_checkout(
        barcode=lent_before.barcode, reader=reader, branch=branch_a, by=desk, at=timezone.now()
    )
    services.hold_place(
        reader=waiting, record=lent_before.record, pickup_branch=branch_b, at=timezone.now()
    )
    withdrawn = make_item(
        make_record("Списанная"), branch_a, barcode="999", status=ItemStatus.WITHDRAWN
    )

    page.goto("/accounts/login/")
    scan(page, "username", "desk")
    tab_to(page, "password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/staff/")

    page.goto("/circulation/desk/")
    page.keyboard.type(reader.card_number)  # the card field has the focus
    page.keyboard.press("Enter")
    page.wait_for_selector("#lend-barcode")
    axe(page)
    for n, book in enumerate(books[:2]):
        page.keyboard.type(book.barcode)  # the lend field has the focus, and keeps it
        page.keyboard.press("Enter")
        page.wait_for_selector(f"#results li:nth-child(1):has-text('Книга {n}')")
    page.keyboard.type(withdrawn.barcode)
    page.keyboard.press("Enter")
    page.wait_for_selector("#results li.desk-refused:has-text('списан')")
    page.keyboard.type(books[2].barcode)
    page.keyboard.press("Enter")
    page.wait_for_selector("#results li:has-text('Книга 2')")
    page.wait_for_selector("#summary:has-text('Книг на руках: 4')")
    # Each copy lent after the first added its row in place, after the loans already there.
    rows = page.locator("#desk-loans tr td:nth-child(2)").all_inner_texts()
    assert rows == [lent_before.barcode, books[0].barcode, books[1].barcode, books[2].barcode]

    page.keyboard.press("Tab")  # the «Выдать» button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "return-barcode"
    page.keyboard.type(lent_before.barcode)
    page.keyboard.press("Enter")
    slip = page.wait_for_selector("#results a:has-text('Транспортный ярлык')")
    with page.expect_popup() as popup:
        slip.focus()
        page.keyboard.press("Enter")
    printed = popup.value
    printed.wait_for_load_state()
    assert "Библиотека-филиал № 2" in printed.content()
    assert waiting.card_number in printed.content()
    assert lent_before.__class__.objects.get(pk=lent_before.pk).status == ItemStatus.IN_TRANSIT


def test_a_reader_reserves_from_the_record_page_and_sees_it_ready(page, live_server, branch_a, axe):
    desk = desk_user("desk", branch_a)
    reader = make_reader(branch_a)
    reader_password_set(reader=reader, password=PASSWORD)
    item = make_item(make_record("Мастер и Маргарита"), branch_a, barcode="777")
    other = make_reader(branch_a)
    services.loan_checkout(
        barcode=item.barcode, reader=other, branch=branch_a, by=desk, at=timezone.now()
    )

    page.goto(f"/catalog/records/{item.record_id}/")
    page.get_by_role("link", name="Забронировать").click()
    page.wait_for_url("**/account/login/**")
    page.get_by_label("Номер билета или электронная почта").fill(reader.card_number)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/circulation/reserve/?record=*")
    axe(page)
    page.get_by_role("button", name="Забронировать").click()
    page.wait_for_url("**/account/loans/")
    assert "вы 1-й в очереди" in page.content()
    axe(page)

    services.loan_checkin(barcode=item.barcode, branch=branch_a, by=desk, at=timezone.now())
    page.reload()
    assert "ждёт вас до" in page.content()
