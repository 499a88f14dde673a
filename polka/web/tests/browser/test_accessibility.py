"""Public pages pass axe-core with no serious or critical violations, and work by keyboard."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/accounts/login/"], ids=["home", "login"])
def test_public_page_has_no_serious_or_critical_accessibility_violations(page, axe, path):
    response = page.goto(path)
    assert response is not None and response.ok
    axe(page)


def test_page_is_in_russian(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "ru"


def test_skip_link_is_the_first_thing_tab_reaches_and_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            return {cls: el.className, href: el.getAttribute('href'),
                    visible: el.getBoundingClientRect().left >= 0};
        }"""
    )
    assert focused == {"cls": "skip-link", "href": "#main", "visible": True}

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


@pytest.mark.parametrize("path", ["/", "/accounts/login/"], ids=["home", "login"])
def test_public_page_fits_a_phone_screen_without_sideways_scrolling(page, axe, path):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(path)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    axe(page)
