"""In a real browser: a methodist of the network opens form 6-НК from the reports page, drills
into a computed cell to see the facts it counts, and downloads the form as XLSX."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from openpyxl import load_workbook

from polka.circulation.services import visit_record
from polka.readers.models import ReaderCategory
from polka.readers.services import CONSENT_PERSONAL_DATA, GuardianData, reader_register

pytestmark = pytest.mark.browser

YEAR = 2025
PASSWORD = "a-long-test-password"  # the statistics conftest's methodist


@pytest.fixture
def visits(transactional_db, branch_a, branch_b, everything):
    """Visits of a child and an adult in both branches on weekdays of March; returns what the
    network's row 404 (visits) counts: all, and those of children (column 4)."""
    # An earlier transactional test may have flushed the categories the migration seeds.
    for code, name in (("adult", "взрослый"), ("child", "ребёнок")):
        ReaderCategory.objects.get_or_create(code=code, defaults={"name": name})
    child = reader_register(
        last_name="Петрова", first_name="Аня", home_branch=branch_a,
        consents=[CONSENT_PERSONAL_DATA], birth_date=dt.date(YEAR - 9, 5, 1), category="child",
        guardians=[GuardianData(full_name="Петрова Мария")],
        at=dt.datetime(YEAR, 3, 1, 9, tzinfo=dt.UTC), by=everything,
    )  # fmt: skip
    adult = reader_register(
        last_name="Иванов", first_name="Пётр", home_branch=branch_b,
        consents=[CONSENT_PERSONAL_DATA], birth_date=dt.date(YEAR - 40, 1, 1),
        at=dt.datetime(YEAR, 3, 1, 9, tzinfo=dt.UTC), by=everything,
    )  # fmt: skip
    counted: Counter[str] = Counter()
    for n, (reader, branch) in enumerate(
        [(child, branch_a)] * 3 + [(adult, branch_b)] * 2 + [(None, branch_a)]
    ):
        at = dt.datetime(YEAR, 3, 3 + n, 10, tzinfo=dt.UTC)  # 3–8 March, Monday on
        visit_record(reader=reader, branch=branch, by=everything, at=at)
        counted["all"] += 1
        counted["children"] += reader is child
    return counted


def test_a_methodist_opens_the_form_drills_into_a_cell_and_exports_it(
    page, live_server, methodist, visits, axe, tmp_path
):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "methodist")
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/staff/**")

    page.goto(f"/staff/reports/6nk/{YEAR}/")
    page.get_by_role("heading", level=1).filter(has_text=f"Форма 6-НК за {YEAR} год").wait_for()
    axe(page)
    cell = page.get_by_role("link", name=f"404: {visits['all']} — из чего сложилось")
    assert cell.count() == 1
    child_cell = page.locator("a[href$='/cell/404.4/']")
    assert child_cell.inner_text() == str(visits["children"])

    cell.click()
    page.wait_for_url(f"**/6nk/{YEAR}/cell/404.3/")
    assert page.locator(".cell-total strong").inner_text() == str(visits["all"])
    facts = page.locator("table.drill tbody tr")
    assert facts.count() == visits["all"]
    assert facts.filter(has_text="посещение").count() == visits["all"]
    axe(page)

    page.get_by_role("link", name=f"Форма 6-НК за {YEAR} год").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Выгрузить в XLSX").click()
    path = tmp_path / "6nk.xlsx"
    info.value.save_as(path)
    sheet = load_workbook(path)["Раздел 4"]
    rows = {row[1]: row[2:] for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert rows["404"][0] == visits["all"]
    assert rows["404"][1] == visits["children"]
