"""Widgets inside a page of another origin (a second local server) in Chromium: they load,
and axe-core finds no serious violation in them."""

from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from polka.events.services import event_create
from polka.promotion.tests.test_widgets import next_open_start

pytestmark = pytest.mark.browser


def partner_site(html: str) -> ThreadingHTTPServer:
    class Page(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            data = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_widgets_work_inside_a_partner_page(
    transactional_db, branch_a, page, live_server, axe, settings
):
    settings.POLKA_SITE_URL = ""  # links go where the widget was served from
    starts = next_open_start(branch_a)
    event_create(
        title="Квиз по Пушкину", branch=branch_a, starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1), audience="teens", age_mark="12+",
        at=timezone.now(), pushkin_card=True, ticket_url="https://tickets.example.ru/1",
    )  # fmt: skip
    base = live_server.url.replace("127.0.0.1", "localhost")  # another origin than the partner
    frames = [
        ("events", "/widgets/events/", 420),
        ("new", "/widgets/new/?lang=en", 420),
        ("search", "/widgets/search/?vision=low", 130),
    ]
    iframes = "".join(
        f'<iframe name="{name}" src="{base}{url}" width="320" height="{height}" '
        f'title="{name}"></iframe>'
        for name, url, height in frames
    )
    html = (
        '<!doctype html><html lang="ru"><head><title>Школа</title></head>'
        f"<body><main><h1>Школа № 5</h1>{iframes}</main></body></html>"
    )
    server = partner_site(html)
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        page.wait_for_load_state("load")
        events = page.frame(name="events")
        assert events is not None
        assert "Квиз по Пушкину" in events.locator("body").inner_text()
        assert "«Пушкинская карта»" in events.locator("body").inner_text()
        new = page.frame(name="new")
        assert new is not None and new.locator("html").get_attribute("lang") == "en"
        search = page.frame(name="search")
        assert search is not None and "lv" in (search.locator("body").get_attribute("class") or "")
        for frame in (events, new, search):
            axe(frame)
        search.get_by_label("Поиск книг в библиотеке").fill("Пушкин")
        search.get_by_role("button", name="Найти").click()
        page.wait_for_url(lambda url: url.startswith(f"{base}/search/?q="))
    finally:
        server.shutdown()
        server.server_close()
