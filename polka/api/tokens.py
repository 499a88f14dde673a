"""Issue, check and revoke API tokens (bearer tokens for the JSON API)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone

from polka.accounts.models import User
from polka.api.models import ApiToken

PREFIX = "polka_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, user: User, at: dt.datetime, name: str = "") -> str:
    """A new token for `user`; the returned value is the only copy of it."""
    key = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(key), name=name[:100], created_at=at)
    return key


def token_login(*, request: HttpRequest, login: str, password: str, name: str = "") -> str | None:
    """A token for whoever logs in with these credentials (a reader by card number or
    e-mail, staff by user name), through the same backends and lockouts as the site's login."""
    user = authenticate(request, username=login, password=password)
    if not isinstance(user, User) or not user.is_active:
        return None
    return token_issue(user=user, at=timezone.now(), name=name)


def token_user(*, key: str, on: dt.date) -> User | None:
    """The active user holding this (unrevoked) token; notes the day it was last used."""
    if not key.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_on != on:
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=on)
    return token.user


def token_revoke(*, key: str, at: dt.datetime) -> bool:
    return bool(
        ApiToken.objects.filter(key_hash=_hash(key), revoked_at__isnull=True).update(revoked_at=at)
    )
