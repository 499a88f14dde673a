"""Sign-in failures and lockouts go to the audit log (AuditEntry), readable in the admin."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from polka.org.services import signin_event_record


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


@receiver(user_login_failed, dispatch_uid="polka.org.signin_failed")
def _signin_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any
) -> None:
    signin_event_record(
        event="signin_failed",
        username=credentials.get("username"),
        ip_address=_address(request),
        at=timezone.now(),
    )


@receiver(user_locked_out, dispatch_uid="polka.org.signin_locked")
def _signin_locked(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **_: Any,
) -> None:
    signin_event_record(
        event="signin_locked",
        username=username,
        ip_address=ip_address or _address(request),
        at=timezone.now(),
    )
