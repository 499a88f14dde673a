"""The site's navigation and language menu, drawn once per language and process.

Every page draws the public sections twice (header and footer): sixteen URL reversals and
sixteen translations, about 1.4 ms of the 3–4 ms the site's frame costs a page. The links
depend only on the language and the URL prefix, so the drawn list is kept per both; a change
of URLs or languages (tests, in practice) forgets it.
"""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

_drawn: dict[tuple[str | None, str, str], SafeString] = {}


def _kept(template_name: str) -> SafeString:
    key = (get_language(), get_script_prefix(), template_name)
    found = _drawn.get(key)
    if found is None:
        found = _drawn[key] = render_to_string(template_name)
    return found


@register.simple_tag
def public_nav() -> SafeString:
    return _kept("web/_nav_public.html")


@register.simple_tag
def language_options() -> SafeString:
    """The language menu's options, the current language selected (0.3 ms a page drawn)."""
    return _kept("web/_language_options.html")


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: object) -> None:
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _drawn.clear()
