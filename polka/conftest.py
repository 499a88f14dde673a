"""Shared fixtures: a headless Chromium driven by Playwright, and an axe-core accessibility check.

Browser tests (`@pytest.mark.browser`) use `page`, which is opened on pytest-django's
`live_server` (so they get a transactional database), and `axe` to check a page.
Chromium is Debian's /usr/bin/chromium (browsers cannot be downloaded here); axe-core comes
from npm (`make test` runs `npm ci`). When either is missing the tests are skipped locally
but fail on CI (CI=true), where a missing dependency must never pass silently.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("POLKA_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
]
BLOCKING_IMPACTS = ("serious", "critical")


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _missing(what: str) -> None:
    message = f"{what} (run `make test`, which installs it)"
    if _on_ci():
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _russian_again_after_each_test() -> Iterator[None]:
    """A request activates the visitor's language for the whole thread; a later test that renders
    a lazy string must not inherit it (a test run's order is not the file order)."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run; each test gets its own context."""
    if not CHROMIUM.exists():
        _missing(f"Chromium is not installed at {CHROMIUM} (Debian package: chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A fresh page (own cookies) whose relative URLs go to the live test server."""
    context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} serious/critical violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            target = " ".join(json.dumps(t, ensure_ascii=False) for t in node["target"])
            lines.append(f"    at {target}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


AxeCheck = Callable[..., list[dict[str, Any]]]


def axe_violations(
    page: Page, *, disable: tuple[str, ...] | list[str] = (), only: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Every violation axe-core finds on the page (any impact), without failing the test;
    `only` runs just those rules."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the site's Content-Security-Policy
        # (no inline script) does not block, unlike an injected <script> element.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    if only:
        options["runOnly"] = {"type": "rule", "values": list(only)}
    results = page.evaluate("options => window.axe.run(document, options)", options)
    violations: list[dict[str, Any]] = results["violations"]
    return violations


def axe_blocking_report(url: str, violations: list[dict[str, Any]]) -> str | None:
    """A readable report of the serious and critical violations, or None when there are none."""
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    return _format_violations(url, blocking) if blocking else None


@pytest.fixture(scope="session")
def axe() -> AxeCheck:
    """`axe(page)` runs axe-core on the page and fails on serious or critical violations.

    Returns every violation found (of any impact) for tests that want to look closer.
    `disable=["rule-id"]` switches rules off; say why in the test when you use it.
    """
    if not AXE_JS.exists():
        _missing(f"axe-core is not installed at {AXE_JS} (npm ci)")

    def check(page: Page, *, disable: tuple[str, ...] | list[str] = ()) -> list[dict[str, Any]]:
        violations = axe_violations(page, disable=disable)
        report = axe_blocking_report(page.url, violations)
        if report:
            pytest.fail(report, pytrace=False)
        return violations

    return check
