"""In a real browser: a work's editions open from its one entry, by keyboard too; axe passes."""

import pytest

from polka.conftest import REPO_ROOT
from polka.search.tests.factories import ON_LOAN, ON_SHELF, make_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"


def test_a_reader_opens_the_editions_of_a_work_with_the_keyboard(page, axe, live_server):
    for year, publisher in ((1957, "Гослитиздат"), (2020, "Эксмо"), (2012, "Азбука")):
        make_record(
            "Война и мир", authors=("Толстой, Лев Николаевич",), year=year, publisher=publisher,
            copies=(("central", ON_SHELF), ("north", ON_LOAN)),
        )  # fmt: skip
    make_record("Война и мир", authors=("Прудон, Пьер Жозеф",), year=2000)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/search/?q=война+и+мир")
        work = page.locator(".search-work")
        assert work.count() == 1 and page.locator(".search-hit").count() == 2
        editions = work.get_by_role("link", name="1957, Гослитиздат")
        assert not editions.is_visible()
        work.locator("summary").focus()
        page.keyboard.press("Enter")
        assert editions.is_visible()
        assert page.evaluate(OVERFLOW) <= 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"search-works-{width}.png"), full_page=True)
        axe(page)
