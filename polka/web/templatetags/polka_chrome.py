"""The site's frame, navigation and language menu, drawn once per variant and process.

Every page draws the public sections twice (header and footer): sixteen URL reversals and
sixteen translations, about 1.4 ms of the 3–4 ms the site's frame costs a page. The links
depend only on the language and the URL prefix, so the drawn list is kept per both; a change
of URLs or languages (tests, in practice) forgets it.

The frame around them (`site_frame`: the header with the low-vision bar, the site's name and
the language menu; the footer) was still drawn for each page, 0.25–0.3 ms of a drawn record
page. What it shows besides the language depends on few things: the low-vision settings,
whether the visitor is signed in, the site's name and logo and the network's city. It is kept
per those, drawn with stand-ins where each request's own CSRF token and address go.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_drawn: dict[tuple[str | None, str, str], SafeString] = {}

# Stand-ins drawn into a kept frame where each request's own values go: letters and digits
# only, which no escaping or filter changes; all replaced in one pass, so an address that
# holds one is not rewritten again.
_STAND_IN = "polkaframe{}7c1e0d"
_STAND_INS = re.compile(_STAND_IN.format("(csrf|here|query)"))
_PARTS = {"csrf_token": "csrf", "here": "here", "here_query": "query"}
_frames: dict[tuple[Any, ...], str] = {}
# Variants a process keeps at most: languages × low-vision settings × signed in or not.
_FRAMES_KEPT = 512


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


@register.simple_tag(takes_context=True)
def site_frame(context: template.Context, template_name: str) -> SafeString:
    """`template_name` (web/_header.html, web/_footer.html) as this request would draw it,
    from the process's copy of its variant."""
    request = context.get("request")
    token = context.get("csrf_token")
    frame = context.template.engine.get_template(template_name)  # type: ignore[union-attr]
    if request is None or token is None:  # drawn outside a request: nothing to keep it for
        here = request.get_full_path() if request is not None else ""
        with context.push(here=here, here_query=urlencode(here)):
            return frame.render(context)
    theme, network, user = context.get("theme"), context.get("network"), context.get("user")
    key = (
        template_name,
        get_language(),
        get_script_prefix(),
        context.get("low_vision_classes") or "",  # empty without low-vision settings
        bool(getattr(user, "is_authenticated", False)),
        getattr(theme, "name", ""),
        getattr(theme, "logo", ""),
        str(getattr(network, "city", "") or ""),
    )
    drawn = _frames.get(key)
    if drawn is None:
        stand_ins = {name: _STAND_IN.format(part) for name, part in _PARTS.items()}
        with context.push(**stand_ins):
            drawn = str(frame.render(context))
        if len(_frames) >= _FRAMES_KEPT:
            _frames.clear()
        _frames[key] = drawn
    here = request.get_full_path()
    own = {"csrf": str(token), "here": escape(here), "query": urlencode(here)}
    # Drawn by the template engine; the address escaped as {{ here }} and |urlencode would.
    return mark_safe(_STAND_INS.sub(lambda found: own[found.group(1)], drawn))  # noqa: S308


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: object) -> None:
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _drawn.clear()
        _frames.clear()
    elif setting in {"STATIC_URL", "STORAGES", "POLKA_SITE_NAME", "POLKA_SITE_LOGO"}:
        _frames.clear()
