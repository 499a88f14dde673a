"""Record and withdraw consents. Forms use ConsentField (polka.consents.forms)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from polka.consents.models import Channel, ConsentRecord
from polka.consents.texts import TEXTS
from polka.core.audit import object_key
from polka.core.sanitize import clean_text


def consent_record(
    *,
    purpose: str,
    at: dt.datetime,
    ip_address: str | None = None,
    name: str = "",
    email: str = "",
    user: AbstractBaseUser | AnonymousUser | None = None,
    context: str = "",
    channel: str = Channel.ONLINE,
    taken_by: AbstractBaseUser | AnonymousUser | None = None,
) -> ConsentRecord:
    """Record that someone agreed to the current text for `purpose` (call inside the change's
    transaction, so no data is kept without its consent and no consent without its data)."""
    if purpose not in TEXTS:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    if channel not in Channel.values:
        raise ValueError(f"unknown consent channel {channel!r}")
    return ConsentRecord.objects.create(
        purpose=purpose,
        text_version=TEXTS[purpose].version,
        given_at=at,
        ip_address=ip_address or None,
        name=name[:200],
        email=email,
        user_id=user.pk if user is not None and user.is_authenticated else None,
        context=context[:100],
        channel=channel,
        taken_by_id=taken_by.pk if taken_by is not None and taken_by.is_authenticated else None,
    )


def consent_withdraw(*, record: ConsentRecord, at: dt.datetime) -> None:
    if record.withdrawn_at is None:
        record.withdrawn_at = at
        record.save(update_fields=["withdrawn_at"])


@dataclass(frozen=True)
class Signer:
    name: str  # as typed, cleaned (one line, bounded)
    consent: ConsentRecord


def consent_to_sign_up(
    *,
    purpose: str,
    about: Model,
    name: str,
    email: str,
    at: dt.datetime,
    ip_address: str | None = None,
    user: AbstractBaseUser | AnonymousUser | None = None,
    name_length: int = 200,
) -> Signer:
    """The one shape of a public sign-up (an event, a course, a programme): the signer's name
    cleaned, and their consent to `purpose` recorded for the row they sign up to (context
    "app.model:pk"). Call inside the sign-up's transaction."""
    clean = clean_text(name, max_length=name_length, multiline=False)
    consent = consent_record(
        purpose=purpose,
        at=at,
        ip_address=ip_address,
        name=clean,
        email=email,
        user=user,
        context=object_key(about),
    )
    return Signer(clean, consent)
