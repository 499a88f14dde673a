"""The site's address for links in emails: the POLKA_SITE_URL setting, else the address the
current request came in on (so `make run PORT=8001` or a LAN address give working links)."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FALLBACK = "http://127.0.0.1:8000"  # outside a request (a cron job) with no setting

_request_address: ContextVar[str | None] = ContextVar("polka_request_address", default=None)


def site_url() -> str:
    """Scheme and host, without a trailing slash."""
    configured = str(getattr(settings, "POLKA_SITE_URL", "") or "").rstrip("/")
    return configured or _request_address.get() or FALLBACK


class SiteAddressMiddleware:
    """Remembers the request's own address (its host already checked by ALLOWED_HOSTS)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_address.set(request.build_absolute_uri("/").rstrip("/"))
        try:
            return self.get_response(request)
        finally:
            _request_address.reset(token)
