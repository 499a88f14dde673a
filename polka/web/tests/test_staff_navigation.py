"""No dead ends in the staff area: every link a role's panel shows, and every staff link on
the pages it leads to, opens for that role (the demo's staff, one per role and scope)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin, urlsplit

import pytest

from polka.accounts.models import User
from polka.cli.demo import vocabulary as v
from polka.cli.demo.generator import demo_load

AT = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
HREF = re.compile(r'href="([^"#]+)"')
# Links that leave the page's own business: the site's header and footer, files, logout.
SKIP = re.compile(r"^/(static|media|i18n|accounts/logout)/|\.(css|js|ico|svg|png)$")


@pytest.fixture
def demo_db(db):
    demo_load(seed=1, records=20, at=AT)


def _main(html: str) -> str:
    """The page's own content: the header and footer are checked by the public page tests."""
    start, end = html.find("<main"), html.rfind("</main>")
    return html[start:end] if start >= 0 else html


def _links(html: str, base: str) -> list[str]:
    found = []
    for href in HREF.findall(_main(html)):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or SKIP.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def test_every_link_of_every_role_panel_opens_for_that_role(demo_db, client):
    """One demo, every role (the demo has one user per role; desk staff differ by branch)."""
    for spec in v.STAFF[:6]:
        client.force_login(User.objects.get(username=spec.username))
        _walk(client, spec.username)


def _walk(client, username: str) -> None:
    home = client.get("/staff/")
    assert home.status_code == 200
    panel_links = _links(home.content.decode(), "/staff/")
    assert panel_links, username
    seen: set[str] = set()
    for url in panel_links:
        if url in seen:
            continue
        seen.add(url)
        page = client.get(url)
        assert page.status_code == 200, (username, url, page.status_code)
        if "/staff/" not in url:
            continue
        # One level deeper inside the staff area: the links a role's own pages offer.
        for deeper in _links(page.content.decode(), url):
            # One page per kind: /events/staff/1/ stands for every event's page.
            kind = re.sub(r"\d+", "N", deeper)
            if kind in seen or "/staff/" not in deeper:
                continue
            seen.add(kind)
            answer = client.get(deeper)
            assert answer.status_code == 200, (username, url, "→", deeper, answer.status_code)


def test_no_panel_shows_a_section_without_a_page(demo_db, client):
    for spec in v.STAFF[:6]:
        client.force_login(User.objects.get(username=spec.username))
        assert "Раздел готовится" not in client.get("/staff/").content.decode()
