"""Branch pages and the staff area pass axe-core and work by keyboard."""

import pytest

from polka.org import services
from polka.org.models import Role
from polka.org.testing import AT

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


@pytest.fixture
def calendar(branch_a, branch_b):
    services.branch_update(branch=branch_a, phone="+7 (812) 555-01-02", by=None, at=AT)
    services.network_holidays_load(year=AT.year, at=AT)
    services.branch_sanitary_days_load(branch=branch_b, year=AT.year, at=AT)
    return branch_a


@pytest.mark.parametrize("path", ["/branches/", "/branches/a/"], ids=["list", "detail"])
def test_branch_pages_have_no_serious_accessibility_violations(page, axe, calendar, path):
    response = page.goto(path)
    assert response is not None and response.ok
    axe(page)


def test_a_desk_librarian_reaches_the_role_page_by_keyboard(page, axe, branch_a):
    services.staff_user_create(
        username="desk", password=PASSWORD, roles={Role.DESK: [branch_a]}, at=AT
    )
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill("desk")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_label("Пароль").press("Enter")
    page.wait_for_url("**/staff/")
    axe(page)

    link = page.get_by_role("link", name="Библиотекарь абонемента")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/desk/")
    assert page.get_by_role("heading", level=1).inner_text() == "Библиотекарь абонемента"
    axe(page)
