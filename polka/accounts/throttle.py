"""Login throttling: django-axes counting failures per username (across addresses: one
account guessed from many machines) and per address (across usernames: one machine trying
many accounts), each with its own limit.

Axes compares one number with one limit; this handler scales each counter so that it reaches
AXES_FAILURE_LIMIT exactly when it reaches its own limit in POLKA_LOGIN_LIMITS.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def parameter_key(parameter: str | list[str]) -> str:
    """ "username", "ip_address" or "username+ip_address": the key of POLKA_LOGIN_LIMITS."""
    return parameter if isinstance(parameter, str) else "+".join(parameter)


class LoginThrottle(AxesDatabaseHandler):  # type: ignore[misc]
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        base: int = get_failure_limit(request, credentials)
        limits: dict[str, int] = settings.POLKA_LOGIN_LIMITS
        counters = zip(
            get_lockout_parameters(request, credentials),
            self.get_user_attempts(request, credentials),
            strict=True,
        )
        worst = 0
        for parameter, attempts in counters:
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            limit = limits.get(parameter_key(parameter), base)
            worst = max(worst, failures * base // limit)
        return worst

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """A success clears only this username's failures from this address: logging in to
        one account must not wipe the failures counted against others or from elsewhere."""
        username = get_client_username(request, credentials)
        count: int = AccessAttempt.objects.filter(
            username=username, ip_address=getattr(request, "axes_ip_address", None)
        ).delete()[0]
        return count
