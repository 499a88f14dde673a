"""A member of staff logs in through the login form, by keyboard, and lands in the staff area."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from polka.org import services
from polka.org.models import Role

AT = datetime(2026, 1, 1, tzinfo=UTC)

pytestmark = pytest.mark.browser


def test_staff_member_logs_in_through_the_form_and_lands_on_the_staff_area(page, live_server):
    # Staff are people with a role (org.StaffRole), not Django's is_staff flag.
    network = services.network_create(name="ЦБС", at=AT)
    branch = services.branch_create(network=network, code="central", name="ЦБ", at=AT)
    services.staff_user_create(
        username="desk", password="a-long-test-password", roles={Role.DESK: [branch]}, at=AT
    )
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill("desk")
    page.get_by_label("Пароль").fill("a-long-test-password")
    page.get_by_label("Пароль").press("Enter")

    page.wait_for_url(f"{live_server.url}/staff/")
    assert page.get_by_role("heading", level=1).inner_text() == "Рабочее место"


def test_wrong_password_keeps_the_person_on_the_login_form_with_an_accessible_error(page, axe):
    get_user_model().objects.create_user(username="desk", password="a-long-test-password")
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill("desk")
    page.get_by_label("Пароль").fill("not-the-password")
    page.get_by_role("button", name="Войти").click()

    page.wait_for_load_state()
    assert page.url.endswith("/accounts/login/")
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Имя пользователя").input_value() == "desk"
    axe(page)
