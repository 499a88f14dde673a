"""The one shape of a public form's POST: valid → honeypot → rate limit → the service, whose
domain error is shown on the form. Every public form (ask a question, sign up, apply, join,
request access, comment) runs through `screen` and, where it answers with a redirect, through
`submit`."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from polka.core.antispam import client_ip, rate_limit_hit
from polka.core.errors import PolkaError, form_error

E = TypeVar("E", bound=PolkaError)


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` submissions per visitor address in `window`; `message` (lazy text) is
    shown above the form when the visitor goes over."""

    scope: str
    limit: int
    window: dt.timedelta
    message: Any


class Screen(enum.Enum):
    BOT = "bot"  # the honeypot was filled: answer as if nothing happened, store nothing
    LIMITED = "limited"  # over the rate limit: the message is on the form
    PASSED = "passed"


def screen(request: HttpRequest, form: Any, limit: RateLimit, *, now: dt.datetime) -> Screen:
    """Check a valid form against the honeypot, then count it against the rate limit."""
    if form.honeypot_tripped():
        return Screen.BOT
    if rate_limit_hit(
        scope=limit.scope,
        key=client_ip(request) or "-",
        limit=limit.limit,
        window=limit.window,
        now=now,
    ):
        form.add_error(None, limit.message)
        return Screen.LIMITED
    return Screen.PASSED


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    limit: RateLimit,
    *,
    bot: Callable[[], HttpResponse],
    accept: Callable[[dt.datetime], HttpResponse | None],
    errors: type[E],
    refused: Callable[[Any, E], None] = form_error,
) -> HttpResponse | None:
    """Run a public form's POST. `accept(now)` calls the service and answers (a redirect), or
    None after putting its own error on the form; `errors` raised by it are shown on the form
    (through `refused`). None: show the form again (not a POST, invalid, over the limit or
    refused)."""
    if request.method != "POST" or not form.is_valid():
        return None
    now = timezone.now()
    verdict = screen(request, form, limit, now=now)
    if verdict is Screen.BOT:
        return bot()
    if verdict is Screen.LIMITED:
        return None
    try:
        return accept(now)
    except errors as error:
        refused(form, error)
        return None


def back(to: str, **kwargs: Any) -> Callable[[], HttpResponse]:
    """The quiet answer to a bot: the page it came from, as after a real submission."""
    return lambda: redirect(to, **kwargs)
