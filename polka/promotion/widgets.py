"""Widgets partners embed (the municipal portal, schools, museums): small script-free pages for
an iframe — the events calendar, new arrivals, a search box — and a JSON feed of upcoming events.

Only these responses may be framed by other sites (frame-ancestors from
POLKA_WIDGET_FRAME_ANCESTORS, no X-Frame-Options); every other page keeps "frame-ancestors
'none'". Language and low-vision settings come from the embedding code (?lang=, ?vision=low),
else from the visitor's own choices on the portal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.clickjacking import xframe_options_exempt

from polka.catalog import selectors
from polka.catalog.gost import describe_parts
from polka.core import lowvision
from polka.events.models import Audience, Event, EventType
from polka.events.selectors import events_upcoming
from polka.notices.site import site_url
from polka.org.models import Branch

LIMIT, MAX_LIMIT = 5, 50
NEW_ARRIVALS_DAYS = 180
View = Callable[..., HttpResponse]


def frame_policy() -> str:
    """The site's Content-Security-Policy with framing allowed to the configured ancestors."""
    ancestors = getattr(settings, "POLKA_WIDGET_FRAME_ANCESTORS", "*")
    parts = [
        f"frame-ancestors {ancestors}" if part.strip().startswith("frame-ancestors") else part
        for part in settings.POLKA_CONTENT_SECURITY_POLICY.split(";")
    ]
    return ";".join(parts)


def widget(view: View) -> View:
    """Framable by partners, in the language and low-vision mode the embedding page asked for."""

    @xframe_options_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        supported = {code for code, _name in settings.LANGUAGES}
        language = request.GET.get("lang", "")
        language = language if language in supported else getattr(request, "LANGUAGE_CODE", "ru")
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = frame_policy()
        response["Content-Language"] = language
        return response

    return wrapped


def _vision(request: HttpRequest) -> str:
    if request.GET.get("vision") == "low":
        return lowvision.body_classes(lowvision.from_form(request.GET.dict()))
    if request.GET.get("vision") == "normal":
        return ""
    return lowvision.body_classes(lowvision.low_vision(request))


def _choice(request: HttpRequest, name: str, choices: Any) -> str:
    value = request.GET.get(name, "")
    return value if value in {code for code, _label in choices} else ""


def _limit(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("limit", LIMIT)), MAX_LIMIT))
    except ValueError:
        return LIMIT


def _events(request: HttpRequest) -> tuple[list[Event], Branch | None]:
    branch = Branch.objects.filter(code=request.GET.get("branch", "")).first()
    events = events_upcoming(
        on=timezone.now(), branch=branch, audience=_choice(request, "audience", Audience.choices)
    )
    kind = _choice(request, "kind", EventType.choices)
    if kind:
        events = events.filter(event_type=kind)
    return list(events[: _limit(request)]), branch


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A page for an iframe, or with ?fragment=1 the bare HTML for a partner's server to include
    into its own page (no frame, no script; absolute links)."""
    fragment = request.GET.get("fragment") == "1"
    base = "promotion/widgets/fragment.html" if fragment else "promotion/widgets/base.html"
    context = {**context, "base": base, "vision_classes": _vision(request), "site": site_url()}
    response = render(request, f"promotion/widgets/{template}", context)
    if fragment:
        response["Access-Control-Allow-Origin"] = "*"
    return response


@widget
def events_widget(request: HttpRequest) -> HttpResponse:
    events, branch = _events(request)
    return _render(request, "events.html", {"events": events, "branch": branch})


@widget
def new_arrivals_widget(request: HttpRequest) -> HttpResponse:
    branch = Branch.objects.filter(code=request.GET.get("branch", "")).first()
    since = timezone.localdate() - dt.timedelta(days=NEW_ARRIVALS_DAYS)
    records = selectors.new_arrivals(branch=branch, since=since, limit=_limit(request))
    entries = [(r, describe_parts(r)) for r in records]
    return _render(request, "new_arrivals.html", {"entries": entries, "branch": branch})


@widget
def search_widget(request: HttpRequest) -> HttpResponse:
    return _render(request, "search.html", {})


def _event_json(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "title": event.title,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "branch": {"code": event.branch.code, "name": event.branch.name},
        "place": event.place,
        "address": event.branch.address,
        "audience": event.audience,
        "kind": event.event_type,
        "age_mark": event.age_mark,
        "registration": event.registration,
        "pushkin_card": event.pushkin_card,
        "ticket_url": event.ticket_url or None,
        "url": site_url() + reverse("events:detail", args=[event.pk]),
    }


def events_feed(request: HttpRequest) -> JsonResponse:
    """Upcoming events as JSON (the same filters as the widget), readable from any site."""
    events, _branch = _events(request)
    response = JsonResponse(
        {"events": [_event_json(e) for e in events]}, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def widgets_help(request: HttpRequest) -> HttpResponse:
    """For partners: the embedding code of every widget, with its size and parameters."""
    context = {
        "site": site_url(),
        "branches": Branch.objects.order_by("name"),
        "audiences": Audience.choices,
        "kinds": EventType.choices,
        "languages": settings.LANGUAGES,
    }
    return render(request, "promotion/widgets/help.html", context)
