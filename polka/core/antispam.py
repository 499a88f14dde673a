"""Spam defences shared by every public form: a honeypot field and rate limits.

A tripped honeypot is refused quietly (the view shows its usual "thank you", stores nothing);
a rate limit gives a clear message. Limits count in the database so they hold across
processes (gunicorn workers).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from polka.core.models import RateEvent

HONEYPOT_FIELD = "website"


class HoneypotMixin(forms.Form):
    """Adds a field people never see (display: none in polka.css) but naive bots fill in."""

    website = forms.CharField(
        required=False,
        label=_("Оставьте это поле пустым"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "tabindex": "-1", "class": "hp-field"}
        ),
    )

    def honeypot_tripped(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address. Behind a proxy, configure it to set REMOTE_ADDR (no header trust)."""
    return request.META.get("REMOTE_ADDR") or None


def rate_limit_hit(
    *, scope: str, key: str, limit: int, window: dt.timedelta, now: dt.datetime
) -> bool:
    """Count one attempt of `key` in `scope`; True when it goes over `limit` within `window`
    (the attempt is then not counted, so a blocked client is let in again once the window
    passes). Old hits of the scope are swept as we go."""
    since = now - window
    RateEvent.objects.filter(scope=scope, at__lt=since).delete()
    recent = RateEvent.objects.filter(scope=scope, key=key, at__gte=since).count()
    if recent >= limit:
        return True
    RateEvent.objects.create(scope=scope, key=key[:200], at=now)
    return False
