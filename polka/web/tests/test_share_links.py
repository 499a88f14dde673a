"""Share links on the pages readers pass on: plain links, no third-party script."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from polka.catalog.tests.gost.factories import make_record
from polka.events.tests.conftest import make_event
from polka.org.testing import next_open_start

pytestmark = pytest.mark.django_db


def _share_links(html: str) -> dict[str, dict[str, list[str]]]:
    start = html.index('<nav class="share"')
    nav = html[start : html.index("</nav>", start)]
    links = {}
    for href in nav.split('href="')[1:]:
        url = href.split('"', 1)[0].replace("&amp;", "&")
        parts = urlsplit(url)
        links[parts.netloc or parts.scheme] = parse_qs(parts.query)
    return links


def test_a_record_page_offers_vk_telegram_ok_and_email_without_scripts(client):
    record = make_record(title="Денискины рассказы")
    html = client.get(f"/catalog/records/{record.pk}/").content.decode()
    links = _share_links(html)
    assert set(links) == {"vk.com", "t.me", "connect.ok.ru", "mailto"}
    url = f"http://testserver/catalog/records/{record.pk}/"
    assert links["vk.com"]["url"] == [url] and links["vk.com"]["title"] == ["Денискины рассказы"]
    assert links["t.me"]["url"] == [url] and links["mailto"]["body"] == [url]
    assert "vk.com/js" not in html and "telegram.org/js" not in html


def test_an_event_page_shares_its_own_address(client, branch_a):
    starts = next_open_start(branch_a, after_days=2)
    event = make_event(branch_a, days=0, title="Клуб рукоделия", now=starts)
    links = _share_links(client.get(f"/events/{event.pk}/").content.decode())
    assert links["connect.ok.ru"]["url"] == [f"http://testserver/events/{event.pk}/"]
    assert links["connect.ok.ru"]["title"] == ["Клуб рукоделия"]
