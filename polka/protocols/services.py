"""Writes of the protocol servers: the OAI-PMH tombstone a deleted record leaves behind, and the
SIP2 accounts of self-service stations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from polka.catalog.models import Record
from polka.org.models import Branch, Role
from polka.org.services import staff_user_create
from polka.protocols.models import MarcxmlCache, OaiTombstone, Sip2Encoding, Sip2Station
from polka.protocols.records import record_set_specs


def tombstone_on_delete(sender: Any, instance: Record, **kwargs: Any) -> None:
    """pre_delete of a record (its copies still exist): remember it and the sets it was in,
    in the same transaction as the delete, so harvesters learn that it is gone."""
    specs = record_set_specs([instance]).get(instance.pk, [])
    OaiTombstone.objects.update_or_create(
        record_id=instance.pk,
        defaults={"deleted_at": timezone.now(), "set_specs": f" {' '.join(specs)} "},
    )
    MarcxmlCache.objects.filter(record_id=instance.pk).delete()


def sip2_station_create(
    *,
    username: str,
    branch: Branch,
    at: dt.datetime,
    by: AbstractBaseUser | AnonymousUser | None = None,
    password: str | None = None,
    encoding: str = Sip2Encoding.UTF8,
    crlf: bool = False,
) -> tuple[Sip2Station, str]:
    """A station account for `branch`: a staff login with the desk role there (so it lends
    exactly what a desk of that branch may) and its SIP2 settings. Returns the station and its
    password (generated when not given; shown once, stored only as a hash)."""
    if encoding not in Sip2Encoding.values:
        raise ValueError(f"unknown SIP2 encoding {encoding!r}")
    with transaction.atomic():
        user, password = staff_user_create(
            username=username,
            full_name=f"SIP2: {username}",
            password=password,
            roles={Role.DESK: [branch]},
            by=by,
            at=at,
        )
        station = Sip2Station.objects.create(user=user, branch=branch, encoding=encoding, crlf=crlf)
    return station, password
