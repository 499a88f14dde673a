"""One guard for staff pages: login, then a capability (polka.org.policies) somewhere; a
NotPermitted raised by a service below becomes 403 with its message."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from polka.org.errors import NotPermitted
from polka.org.policies import staff_can

View = Callable[..., HttpResponse]


def staff_required(action: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not staff_can(user=request.user, action=action):
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except NotPermitted as refused:
                raise PermissionDenied(str(refused)) from refused

        return wrapped

    return decorate
