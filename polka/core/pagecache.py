"""Whole public pages kept for visitors who are not signed in, as Varnish or Wagtail's page
cache would keep them, but never stale for what changed.

A page is drawn once and then served from Django's default cache to every visitor with the same
address, language and low-vision settings, until the public content changes: every key holds
the content generation, a random token in the database itself (ContentState) replaced in the
same transaction as any write to what public pages show (a save or delete of a model outside
QUIET, and every search index change, which covers imports), so a cached page never outlives
what it showed. A view may add a version of its own (the record page: its copies' places and
statuses, which change at every loan without touching the catalogue): rows read in the same
statement as the kept page, whose text is kept with the page and must match to serve it. A
page also lives at most POLKA_PAGE_CACHE_SECONDS (default 60): the bound for what changes with
the clock (upcoming events, who is open today) and for writes that send no signal.

Only requests that can see nothing personal: GET, no session cookie (so no reader, staff
member or visitor's selection), no pending messages, not htmx. The page's CSRF token is not
kept: each answer gets the visitor's own.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.http import HttpRequest, HttpResponse

# Private, but the one way to tell this request's tokens from other 64-character strings.
from django.middleware.csrf import _unmask_cipher_token, get_token  # type: ignore[attr-defined]

from polka.core.dbcache import GENERATION
from polka.core.lowvision import low_vision, serialise
from polka.core.models import ContentState
from polka.core.prepared import Statement

View = Callable[..., HttpResponse]
Version = Callable[..., Statement]

# Writes that never show on a cached page: people's own records (readers, loans, consents,
# logins), the engines' own bookkeeping, logs. Anything else invalidates the pages.
# Other libraries' models (sessions, login attempts, migrations) never count.
QUIET_APPS = frozenset({
    "accounts", "api", "circulation", "consents", "notices", "protocols", "readers", "search",
    "statistics",
})  # fmt: skip
# A copy's status changes at every loan: the record page keys on its copies instead.
QUIET_MODELS = frozenset({
    "core.contentstate", "core.rateevent", "org.auditentry", "catalog.item", "catalog.itemevent",
    "elibrary.eloan", "elibrary.platformlogin", "promotion.attempt",
})  # fmt: skip

PLACEHOLDER = b"\x00polka-csrf\x00"
# Django's masked CSRF tokens: 64 letters and digits between quotes.
_TOKEN = re.compile(rb'(?<=")[A-Za-z0-9]{64}(?=")')
_MESSAGES_COOKIE = "messages"


def _seconds() -> int:
    return int(getattr(settings, "POLKA_PAGE_CACHE_SECONDS", 60))


def content_generation() -> str:
    """The current generation (one indexed row read per cached page, or none: _kept)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT generation FROM core_contentstate WHERE id = 1")
        row = cursor.fetchone()
    return str(row[0]) if row else content_changed()


def content_changed() -> str:
    """Start a new generation inside the caller's transaction: visible to other connections
    exactly when the change commits, gone if it rolls back."""
    token = uuid.uuid4().hex
    if not ContentState.objects.filter(pk=1).update(generation=token):
        ContentState.objects.get_or_create(pk=1, defaults={"generation": token})
    return token


def content_write(sender: type[models.Model], **signal: Any) -> None:
    """post_save, post_delete and m2m_changed of any model: a new generation unless quiet."""
    if str(signal.get("action", "post_")).startswith("pre_"):
        return  # m2m_changed comes before and after: the change is the latter
    if not sender.__module__.startswith("polka."):
        return  # another library's rows (and a migration's historical models, "__fake__")
    meta = sender._meta
    if meta.app_label in QUIET_APPS or meta.label_lower in QUIET_MODELS:
        return
    content_changed()


def _cacheable(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in cookies
        and _MESSAGES_COOKIE not in cookies
        and "HTTP_HX_REQUEST" not in request.META
    )


def _digest(request: HttpRequest) -> str:
    # The language and low-vision settings as the page uses them, not the cookies as sent: a
    # made-up cookie value shares its variant's entry instead of adding one.
    chosen = low_vision(request)
    parts = (
        request.build_absolute_uri(),
        getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        serialise(chosen) if chosen else "",
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def _kept(digest: str, version: Statement | None) -> tuple[str, str, Any, str]:
    """The current generation, the page's key in it, what the cache keeps under it and the
    page's version as it is now (its rows as one text, "" without one): one query on the
    database cache (polka.core.dbcache), two or three on another."""
    joined = getattr(cache, "get_in_generation", None)
    found = joined(f"polka:page:{GENERATION}:{digest}", version) if joined is not None else None
    if found is not None:
        generation, kept, shown = found
    else:
        generation = content_generation()
        kept = cache.get(f"polka:page:{generation}:{digest}")
        shown = version.read_text() if version is not None else ""
    return generation, f"polka:page:{generation}:{digest}", kept, shown


def request_generation(request: HttpRequest) -> str | None:
    """The content generation this request's page was looked up in (public_page), if any: what
    the page draws from the public content may be kept per process for that generation."""
    return getattr(request, "_polka_content_generation", None)


def _without_token(request: HttpRequest, body: bytes) -> bytes:
    """The page with the CSRF tokens drawn into it replaced by PLACEHOLDER (only the tokens of
    this request's secret: any other 64-character string stays)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return body

    def swap(match: re.Match[bytes]) -> bytes:
        token = match.group().decode()
        return PLACEHOLDER if _unmask_cipher_token(token) == secret else match.group()

    return _TOKEN.sub(swap, body)


def public_page(version: Version | None = None) -> Callable[[View], View]:
    """Serve the view's page from the cache to visitors who are not signed in. `version`
    (called with the view's arguments) is a statement whose rows are what else the page shows
    that the content generation does not follow: a page kept with other rows is drawn anew."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            seconds = _seconds()
            if seconds <= 0 or not _cacheable(request):
                return view(request, *args, **kwargs)
            statement = version(request, *args, **kwargs) if version else None
            generation, key, kept, shown = _kept(_digest(request), statement)
            request._polka_content_generation = generation  # type: ignore[attr-defined]
            # (content type, page, version); anything else is a miss (a value kept by older code)
            if isinstance(kept, tuple) and len(kept) == 3 and kept[2] == shown:
                content_type, body, _shown = kept
                if PLACEHOLDER in body:
                    body = body.replace(PLACEHOLDER, get_token(request).encode())
                return HttpResponse(body, content_type=content_type)
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not response.has_header("Cache-Control")
            ):
                body = _without_token(request, response.content)
                cache.set(key, (response["Content-Type"], body, shown), seconds)
            return response

        return wrapped

    return decorate
