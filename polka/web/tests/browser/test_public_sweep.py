"""Every public page, crawled from the home page of the demo library, in one browser and on one
set of data: axe-core finds no serious or critical violation in the usual version nor in any
low-vision colour scheme; nothing scrolls sideways at 360 px nor at 200 % zoom of a 1280 px
window. Screenshots of the main pages at 360 and 1280 px go to test-results/screenshots/
(git-ignored) for a reviewer to look at.

Pages are deduplicated by their URL route (/events/12/ and /events/13/, /branches/f1/ and
/branches/f2/ are one page each), so the sweep stays near two minutes however large the demo
grows. The other languages are swept cheaply: at 360 px each page, in English, Uzbek, Tajik or
Kyrgyz in turn (the home page in all four; every page in every language with
POLKA_SWEEP_ALL_LANGUAGES=1), must declare its language, fit the screen and pass axe's rules
about names, labels and language (translations change words and their lengths, not colours,
so the colour rules run in Russian only)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from io import StringIO
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve

from polka.conftest import AXE_JS, REPO_ROOT, axe_blocking_report, axe_violations

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"
MAX_PAGES = 45
# Not public pages, or not HTML: staff, admin, accounts, feeds and files.
SKIPPED = re.compile(
    r"^/(staff|admin|accounts|api|static|media|metrics|i18n|health)\b"
    r"|/(feed|rss|atom|opds|ical|export|download|print)\b|\.(ics|xml|json|csv|pdf|txt|epub|mrc)$"
)
MAIN_PAGES = {
    "home": "/",
    "search": "/search/?q=%D0%B8",
    "events": "/events/",
    "event": "/events/1/",
    "branches": "/branches/",
    "ask": "/ask/",
    "news": "/news/",
    "reading-list": "/recommends/chitaem-letom/",
    "calendar": "/calendar/",
    "join": "/readers/join/",
    "low-vision": "/low-vision/",
}
# The other languages (Russian is the crawl's own): in each, the rules a translation can break.
OTHER_LANGUAGES = ("en", "uz", "tg", "ky")
LANGUAGE_RULES = (
    "html-has-lang", "html-lang-valid", "valid-lang", "document-title", "button-name",
    "link-name", "label", "select-name", "empty-heading", "aria-valid-attr-value",
)  # fmt: skip
SCHEMES = ("bw", "wb", "blue", "brown")
# A scheme changes colours and sizes only, so in the schemes axe runs the rules about colour
# (the usual version runs every rule); this keeps the sweep near two minutes.
COLOUR_RULES = ("color-contrast", "link-in-text-block")
# The schemes are checked on the pages found first: the home page and every section's front
# page, which between them use every component the other pages are built from.
SCHEME_PAGES = 16
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
STYLED = "() => [...document.querySelectorAll('link[rel=stylesheet]')].every(link => link.sheet)"


@pytest.fixture
def demo_site(transactional_db: None, live_server: Any) -> str:
    call_command("demo", "--records", "20", stdout=StringIO())
    return str(live_server.url)


@pytest.fixture
def contexts(browser: Browser, demo_site: str) -> Iterator[dict[str, BrowserContext]]:
    def context(width: int, height: int, scale: int = 1, axe: bool = False) -> BrowserContext:
        viewport = {"width": width, "height": height}
        made = browser.new_context(
            base_url=demo_site, locale="ru-RU", viewport=viewport, device_scale_factor=scale
        )
        if axe:  # loaded by Chromium with each page, while the page loads: half the cost
            made.add_init_script(script=AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
        return made

    # "zoom": 200 % of a 1280 × 800 window is a 640 px wide layout viewport at twice the pixels.
    made = {
        "phone": context(360, 740),
        "zoom": context(640, 400, 2),
        "desktop": context(1280, 800, axe=True),
        "schemes": context(640, 400, 2, axe=True),
        "languages": context(360, 740, axe=True),
    }
    for context in made.values():
        context.set_default_timeout(10_000)
    try:
        yield made
    finally:
        for context in made.values():
            context.close()


def _shape(path: str) -> str:
    """The page's URL route: one page per view and template, whatever its slug or number."""
    try:
        return resolve(unquote(path)).route
    except Resolver404:
        return re.sub(r"\d+", "N", path)


def _public_links(page: Page, origin: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if (
            f"{parts.scheme}://{parts.netloc}" != origin
            or parts.query
            or SKIPPED.search(parts.path)
        ):
            continue
        found.append(parts.path)
    return found


def _crawl(page: Page, origin: str) -> list[str]:
    """Public pages reachable from the home page, one per shape, in the order found."""
    queue, pages = ["/", "/low-vision/"], []  # the settings page is linked with ?next=
    seen_shapes = {_shape(path) for path in queue}
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        response = page.goto(path)
        if response is None or not response.ok:
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        pages.append(path)
        for link in _public_links(page, origin):
            if _shape(link) not in seen_shapes:
                seen_shapes.add(_shape(link))
                queue.append(link)
    return pages


def _low_vision_on(page: Page, scheme: str) -> None:
    """Chosen through the settings form, as a reader would."""
    page.goto("/low-vision/")
    page.check(f"input[name=scheme][value={scheme}]")
    page.check("input[name=size][value='200']")
    page.get_by_role("button", name="Применить").click()
    page.wait_for_load_state()


def test_every_public_page_is_accessible_and_fits_phones_and_zoom(contexts, demo_site):
    if not AXE_JS.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    started = time.monotonic()
    problems: list[str] = []
    paths = _crawl(contexts["zoom"].new_page(), demo_site)  # a context without axe: faster
    desktop = contexts["desktop"].new_page()
    phases = {"crawl": time.monotonic()}
    print(f"crawled {len(paths)} pages in {time.monotonic() - started:.0f} s: {paths}")
    assert len(paths) >= 15, paths  # the crawl reached the public sections

    for path in paths:
        desktop.goto(path)
        report = axe_blocking_report(path, axe_violations(desktop))
        if report:
            problems.append(report)

    phases["axe"] = time.monotonic()

    for name in ("phone", "zoom"):
        narrow = contexts[name].new_page()
        for path in paths:
            narrow.goto(path)
            overflow = narrow.evaluate(OVERFLOW)
            if overflow > 0:
                problems.append(f"{path}: {overflow} px of sideways scrolling ({name})")

    phases["overflow"] = time.monotonic()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, path in MAIN_PAGES.items():
        for name, width in (("phone", 360), ("desktop", 1280)):
            shot = contexts[name].pages[0] if contexts[name].pages else contexts[name].new_page()
            shot.goto(path)
            shot.screenshot(path=str(SCREENSHOTS / f"{label}-{width}.png"), full_page=True)

    phases["screenshots"] = time.monotonic()

    scheme_page = contexts["schemes"].new_page()
    for scheme in SCHEMES:
        _low_vision_on(scheme_page, scheme)
        for path in paths[:SCHEME_PAGES]:
            scheme_page.goto(path)
            report = axe_blocking_report(
                f"{path} [{scheme}]", axe_violations(scheme_page, only=COLOUR_RULES)
            )
            if report:
                problems.append(report)
        scheme_page.screenshot(path=str(SCREENSHOTS / f"low-vision-{scheme}.png"))

    phases["schemes"] = time.monotonic()

    _sweep_languages(contexts["languages"], demo_site, paths, problems)
    phases["languages"] = time.monotonic()

    elapsed = time.monotonic() - started
    marks = [started, *phases.values()]
    spans = zip(phases, marks[:-1], marks[1:], strict=True)
    print("phases: " + ", ".join(f"{name} {end - start:.0f} s" for name, start, end in spans))
    assert not problems, "\n".join(problems)
    print(f"the sweep took {elapsed:.0f} s over {len(paths)} pages")


def _sweep_languages(
    context: BrowserContext, origin: str, paths: list[str], problems: list[str]
) -> None:
    """Pages in the other languages, at 360 px: their lang, width, names and labels.

    By default each page is checked in one other language in turn (the home page in all four),
    which keeps the sweep's time; POLKA_SWEEP_ALL_LANGUAGES=1 checks every page in every one."""
    every = os.environ.get("POLKA_SWEEP_ALL_LANGUAGES") == "1"
    page = context.new_page()
    for turn, language in enumerate(OTHER_LANGUAGES):
        cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": origin}
        context.add_cookies([cookie])  # type: ignore[list-item]
        for index, path in enumerate(paths):
            if not (every or index == 0 or index % len(OTHER_LANGUAGES) == turn):
                continue
            # The DOM and the stylesheets are all these checks need; images may still load.
            page.goto(path, wait_until="domcontentloaded")
            page.wait_for_function(STYLED)
            where = f"{path} [{language}]"
            if page.get_attribute("html", "lang") != language:
                problems.append(f"{where}: the page is not in {language}")
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                problems.append(f"{where}: {overflow} px of sideways scrolling (phone)")
            report = axe_blocking_report(where, axe_violations(page, only=LANGUAGE_RULES))
            if report:
                problems.append(report)
            if path == "/":
                page.screenshot(path=str(SCREENSHOTS / f"home-360-{language}.png"))
    context.clear_cookies()
    page.close()


def test_low_vision_is_switched_on_and_off_without_javascript_and_kept_across_pages(
    browser, live_server, transactional_db
):
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/events/")
        page.get_by_role("link", name="Версия для слабовидящих").click()
        page.check("input[name=scheme][value=wb]")
        page.check("input[name=size][value='160']")
        page.get_by_role("button", name="Применить").click()
        page.wait_for_url("**/events/")
        for path in ("/events/", "/branches/", "/news/"):
            page.goto(path)
            classes = page.get_attribute("body", "class") or ""
            assert {"lv", "lv-scheme-wb", "lv-size-160"} <= set(classes.split()), path
        page.get_by_role("button", name="Обычная версия сайта").click()
        page.wait_for_url("**/news/")
        assert not (page.get_attribute("body", "class") or "")
        page.goto("/branches/")
        assert not (page.get_attribute("body", "class") or "")
    finally:
        context.close()
