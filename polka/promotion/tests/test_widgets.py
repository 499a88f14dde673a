"""Widgets partners embed: only they may be framed by other sites; they filter, follow the
language and low-vision settings asked for, and the JSON feed lists upcoming events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from polka.events.services import event_create
from polka.org.testing import next_open_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(branch_a, branch_b):
    starts = next_open_start(branch_a, branch_b)
    made = []
    for title, branch, audience, kind in [
        ("Квиз для подростков", branch_a, "teens", "holiday"),
        ("Лекция о Бунине", branch_a, "adults", "lecture"),
        ("Сказки в филиале", branch_b, "children", "reading"),
    ]:
        made.append(
            event_create(
                title=title,
                branch=branch,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=1),
                audience=audience,
                age_mark="6+",
                event_type=kind,
                at=timezone.now(),
            )
        )
    return made


def test_widgets_may_be_framed_by_other_sites_and_other_pages_may_not(client, events):
    for name in ("widgets:events", "widgets:new-arrivals", "widgets:search"):
        answer = client.get(reverse(name))
        assert answer.status_code == 200
        assert "X-Frame-Options" not in answer.headers
        policy = answer.headers["Content-Security-Policy"]
        assert "frame-ancestors *" in policy and "script-src 'self'" in policy
        assert "<script" not in answer.content.decode()
    home = client.get(reverse("web:home"))
    assert home.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]


def test_the_framing_sites_can_be_listed(client, settings, events):
    settings.POLKA_WIDGET_FRAME_ANCESTORS = "https://portal.example.ru"
    policy = client.get(reverse("widgets:events")).headers["Content-Security-Policy"]
    assert "frame-ancestors https://portal.example.ru" in policy


def test_the_events_widget_filters_by_branch_audience_and_kind(client, events, branch_a):
    url = reverse("widgets:events")
    page = client.get(url, {"branch": branch_a.code}).content.decode()
    assert "Квиз для подростков" in page and "Лекция о Бунине" in page
    assert "Сказки в филиале" not in page
    page = client.get(url, {"audience": "teens"}).content.decode()
    assert "Квиз для подростков" in page and "Лекция о Бунине" not in page
    page = client.get(url, {"kind": "lecture"}).content.decode()
    assert "Лекция о Бунине" in page and "Квиз для подростков" not in page
    page = client.get(url, {"kind": "nonsense"}).content.decode()
    assert "Сказки в филиале" in page


def test_a_widget_speaks_the_language_and_low_vision_mode_asked_for(client, events):
    answer = client.get(reverse("widgets:search"), {"lang": "en", "vision": "low", "size": "200"})
    page = answer.content.decode()
    assert '<html lang="en">' in page
    assert answer.headers["Content-Language"] == "en"
    assert "Find books in the library" in page
    assert "lv-size-200" in page
    assert "lv-size" not in client.get(reverse("widgets:search")).content.decode()


def test_the_fragment_variant_is_bare_html_without_script(client, events):
    page = client.get(reverse("widgets:events"), {"fragment": "1"}).content.decode()
    assert page.lstrip().startswith('<section class="polka-widget"')
    assert "<html" not in page and "<script" not in page
    assert "http://testserver/events/" in page or "/events/" in page


def test_the_json_feed_lists_upcoming_events_for_any_site(client, events, branch_a):
    answer = client.get(reverse("widgets:events-feed"), {"branch": branch_a.code, "limit": "1"})
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    [event] = answer.json()["events"]
    assert event["branch"]["code"] == branch_a.code
    assert {"title", "starts_at", "ends_at", "place", "audience", "kind", "age_mark", "url"} <= set(
        event
    )
    assert event["pushkin_card"] is False


def test_the_partners_help_page_gives_the_embedding_code(client, events):
    page = client.get(reverse("widgets:help")).content.decode()
    assert "&lt;iframe" in page and 'height="420"' in page.replace("&quot;", '"')
