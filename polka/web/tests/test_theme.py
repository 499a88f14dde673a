"""The network's identity from settings: the accent keeps 4.5:1 with white whatever is set,
and the generated covers' colours keep white text readable."""

import pytest

from polka.catalog.covers import PALETTE
from polka.web.theme import DEFAULT_ACCENT, contrast, readable_on_white, theme_current


@pytest.mark.parametrize("colour", ["#ffcc00", "#7fd4ff", "#ff6600", "#ccc", "#00ff00"])
def test_a_light_accent_is_darkened_until_it_reads_on_white(colour):
    assert contrast(readable_on_white(colour), "#ffffff") >= 4.5


def test_a_dark_enough_accent_is_kept_and_nonsense_falls_back_to_the_default():
    assert readable_on_white("#0b5394") == "#0b5394"
    assert readable_on_white("not a colour") == DEFAULT_ACCENT


@pytest.mark.parametrize("colour", PALETTE)
def test_every_cover_colour_keeps_white_text_readable(colour):
    assert contrast(colour, "#ffffff") >= 4.5


def test_name_and_accent_come_from_settings(settings):
    settings.POLKA_SITE_NAME = "Библиотеки Светлоярска"
    settings.POLKA_ACCENT_COLOR = "#ffcc00"
    theme = theme_current(network_name="ЦБС")
    assert theme.name == "Библиотеки Светлоярска" and theme.customised
    settings.POLKA_SITE_NAME = ""
    assert theme_current(network_name="ЦБС").name == "ЦБС"


@pytest.mark.django_db
def test_a_custom_accent_reaches_every_page(client, settings):
    settings.POLKA_ACCENT_COLOR = "#8b1e3f"
    assert "--color-accent: #8b1e3f" in client.get("/").content.decode()
