"""One guard for staff pages: login, then a capability somewhere (polka.core.permissions, i.e.
org's table); a refusal raised by a service below becomes 403 with its message."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from polka.core.errors import PermissionRefused, error_message
from polka.core.permissions import can

View = Callable[..., HttpResponse]


def staff_required(action: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not can(user=request.user, action=action):
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except PermissionRefused as refused:
                raise PermissionDenied(error_message(refused)) from refused

        return wrapped

    return decorate


def require_staff(request: HttpRequest, action: str, *, branch: Any = None) -> None:
    """The same check inside a view (where the branch is known only after a lookup)."""
    if not can(user=request.user, action=action, branch=branch):
        raise PermissionDenied
