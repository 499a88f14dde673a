"""The demo portal's public pages pass axe-core, and the events filter works by keyboard."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from polka.events.models import Event

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db: None) -> None:
    call_command("demo", "--records", "20", stdout=StringIO())


@pytest.mark.parametrize("path", ["/", "/events/", "event"], ids=["home", "events", "event"])
def test_demo_public_page_has_no_serious_or_critical_accessibility_violations(
    demo, page, axe, path
):
    if path == "event":
        path = f"/events/{Event.objects.order_by('starts_at').first().pk}/"
    response = page.goto(path)
    assert response is not None and response.ok
    axe(page)


def test_a_reader_filters_the_events_by_keyboard(demo, page):
    page.goto("/events/")
    page.get_by_label("Для кого").focus()
    page.keyboard.press("End")  # the last audience in the list: specialists
    page.get_by_role("button", name="Показать").press("Enter")
    page.wait_for_url("**/events/?*audience=professionals*")
    titles = page.locator(".event-list h2").all_inner_texts()
    assert titles and all("библиотекар" in t for t in titles)
