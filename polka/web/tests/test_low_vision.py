"""The low-vision version: first link in every page's header, settings kept in a cookie and
applied by the server (no JavaScript), bad cookie values ignored, one link back."""

from __future__ import annotations

import re

import pytest

from polka.core.lowvision import COOKIE

pytestmark = pytest.mark.django_db


def _body_class(html: str) -> str:
    found = re.search(r"<body[^>]*?(?: class=\"([^\"]*)\")?>", html)
    assert found
    return found.group(1) or ""


def test_every_page_offers_the_low_vision_version_first_in_its_header(client):
    for path in ("/", "/events/", "/search/", "/branches/"):
        html = client.get(path).content.decode()
        header = html[html.index("<header") :]
        first_link = re.search(r'<a href="([^"]+)">([^<]+)</a>', header)
        assert first_link and first_link.group(2) == "Версия для слабовидящих", path
        assert first_link.group(1).startswith("/low-vision/?next=")


def test_chosen_settings_apply_on_every_page_without_javascript(client):
    form = {"size": "200", "scheme": "wb", "images": "off", "spacing": "wide", "font": "serif",
            "next": "/events/"}  # fmt: skip
    response = client.post("/low-vision/", form)
    assert response.status_code == 302 and response["Location"] == "/events/"
    classes = _body_class(client.get("/branches/").content.decode()).split()
    assert {"lv", "lv-size-200", "lv-scheme-wb", "lv-images-off", "lv-spacing-wide"} <= set(classes)
    settings_page = client.get("/low-vision/").content.decode()
    assert 'value="wb" checked' in settings_page


def test_unknown_values_fall_back_and_a_foreign_next_is_refused(client):
    response = client.post(
        "/low-vision/", {"size": "9000", "scheme": "<x>", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    classes = _body_class(client.get("/").content.decode()).split()
    assert "lv-size-130" in classes and "lv-scheme-bw" in classes


def test_one_link_switches_back_to_the_usual_site(client):
    client.cookies[COOKIE] = "size=160;scheme=blue"
    html = client.get("/news/").content.decode()
    assert "Обычная версия сайта" in html and "lv-scheme-blue" in _body_class(html)
    response = client.post("/low-vision/off/", {"next": "/news/"})
    assert response["Location"] == "/news/"
    assert _body_class(client.get("/news/").content.decode()) == ""
