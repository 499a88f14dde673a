import pytest

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_the_russian_portal(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="ru">' in response.content.decode()
    assert response["Content-Language"] == "ru"


def test_the_language_switch_choice_is_remembered(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert '<html lang="en">' in page.content.decode()


def test_an_unknown_language_cookie_falls_back_to_russian(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="ru">' in client.get("/").content.decode()


def test_the_navigation_drawn_once_per_language_follows_the_reader_s_language(client, settings):
    """The public sections are drawn once per language and kept (polka_chrome.public_nav)."""
    nav = '<li><a href="/">{}</a></li>'
    assert nav.format("Главная") in client.get("/search/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/search/").content.decode()
    assert english.count(nav.format("Home")) == 2  # header and footer
    assert "Главная" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert client.get("/search/").content.decode().count(nav.format("Главная")) == 2


def test_the_language_menu_drawn_once_per_language_selects_the_page_s_language(client, settings):
    """The menu's options are kept per language too (polka_chrome.language_options)."""
    chosen = '<option value="{0}" lang="{0}" selected>'
    for code in ("ru", "en", "uz", "ru"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
        page = client.get("/search/").content.decode()
        menu = page.split('id="language-select"')[1].split("</select>")[0]
        assert menu.count(" selected>") == 1 and chosen.format(code) in menu, code
        assert menu.count("<option value=") == len(settings.LANGUAGES)
