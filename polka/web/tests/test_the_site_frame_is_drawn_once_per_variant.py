"""The frame around every page (the header with the low-vision bar and the language menu, the
footer) is drawn once per variant and process (polka_chrome.site_frame): later pages take the
kept copy with their own address and CSRF token put in, and a reader with other settings, a
signed-in visitor or another language gets a frame of their own."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]
from django.test import Client
from django.utils.html import escape

from polka.core.lowvision import COOKIE
from polka.web.templatetags import polka_chrome

pytestmark = pytest.mark.django_db

FRAME = ("web/_header.html", "web/_footer.html")


@pytest.fixture(autouse=True)
def _nothing_kept():
    polka_chrome._frames.clear()


def _drawn(response) -> set[str]:
    return {t.name for t in response.templates} & set(FRAME)


def test_a_second_page_takes_the_kept_frame_with_its_own_address(client):
    assert _drawn(client.get("/events/")) == set(FRAME)
    path = '/search/?q=a"b&c=<d>'
    response = client.get(path)
    assert _drawn(response) == set()  # nothing of the frame drawn again
    html = response.content.decode()
    here = response.wsgi_request.get_full_path()  # '/search/?q=a%22b&c=%3Cd%3E'
    assert "&" in here
    assert f'name="next" type="hidden" value="{escape(here)}"' in html  # the language menu
    assert f"/low-vision/?next={quote(here, safe='/')}" in html
    assert "polkaframe" not in html  # no stand-in left
    assert 'value="/events/"' not in html and "next=/events/" not in html  # nor the first page's


def test_each_visitor_gets_a_csrf_token_of_their_own_secret(client):
    pages = []
    for visitor in (client, Client()):
        response = visitor.get("/branches/")
        secret = response.cookies["csrftoken"].value
        tokens = set(re.findall(r'"X-CSRFToken": "([A-Za-z0-9]{64})"', response.content.decode()))
        tokens |= set(re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"',
                                 response.content.decode()))  # fmt: skip
        assert tokens and {_unmask_cipher_token(t) for t in tokens} == {secret}
        pages.append(secret)
    assert pages[0] != pages[1]
    # The kept frame's token works: the language menu's form is accepted.
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302


def test_low_vision_settings_a_signed_in_visitor_and_a_language_each_get_their_own_frame(
    client, settings
):
    plain = client.get("/").content.decode()
    assert "Версия для слабовидящих" in plain and "Вход для сотрудников и читателей" in plain
    client.cookies[COOKIE] = "size=200;scheme=wb"
    response = client.get("/")
    assert _drawn(response) == set(FRAME)
    html = response.content.decode()
    assert 'class="lv lv-size-200' in html and "Обычная версия сайта" in html
    del client.cookies[COOKIE]
    assert "Обычная версия сайта" not in client.get("/branches/").content.decode()
    client.force_login(get_user_model().objects.create_user("frame-reader", password="x" * 20))
    signed_in = client.get("/branches/").content.decode()
    assert "Рабочее место" in signed_in and "Вход для сотрудников и читателей" not in signed_in
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/branches/").content.decode()
    assert ">Catalogue</a>" in english and ">Каталог</a>" not in english
