"""Issue, check and revoke API tokens (bearer tokens for the JSON API)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from polka.accounts.models import User
from polka.api.models import ApiToken
from polka.core.audit import audit
from polka.org.policies import staff_require
from polka.readers.models import Reader
from polka.readers.services import REGISTER, reader_account_ensure

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


# --- staff: a reader's tokens (the reader's own app) -------------------------------------


def reader_tokens(*, reader: Reader) -> list[ApiToken]:
    """The tokens issued to a reader's login, newest first (revoked ones too)."""
    if reader.user_id is None:
        return []
    return list(ApiToken.objects.filter(user_id=reader.user_id).order_by("-created_at", "-pk"))


def reader_token_issue(*, reader: Reader, by: User, at: dt.datetime, name: str = "") -> str:
    """Staff who register readers in the reader's branch issue a token for the reader's app;
    the returned value is shown once and never stored."""
    staff_require(user=by, action=REGISTER, branch=reader.home_branch)
    with transaction.atomic():
        key = token_issue(user=reader_account_ensure(reader=reader), at=at, name=name)
        audit(at=at, by=by, action="api.token_issue", obj=reader, branch=reader.home_branch)
    return key


def reader_token_revoke(*, reader: Reader, token_id: int, by: User, at: dt.datetime) -> bool:
    staff_require(user=by, action=REGISTER, branch=reader.home_branch)
    if reader.user_id is None:
        return False
    with transaction.atomic():
        revoked = ApiToken.objects.filter(
            pk=token_id, user_id=reader.user_id, revoked_at__isnull=True
        ).update(revoked_at=at)
        if revoked:
            audit(
                at=at, by=by, action="api.token_revoke", obj=reader, branch=reader.home_branch,
                details={"token": token_id},
            )  # fmt: skip
    return bool(revoked)
