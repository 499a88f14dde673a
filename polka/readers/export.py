"""The readers' own sections of a reader's export: the record, guardians and wards, consents,
registrations, the record-view log and the login. Registered in ReadersConfig.ready()."""

from __future__ import annotations

import datetime as dt
from typing import Any

from polka.accounts.models import User
from polka.readers.models import Guardian, Reader, ReaderConsent, RecordView, Registration
from polka.readers.registry import export_section_register


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _reader(reader: Reader) -> list[dict[str, Any]]:
    return [
        {
            "card_number": reader.card_number,
            "last_name": reader.last_name,
            "first_name": reader.first_name,
            "middle_name": reader.middle_name,
            "birth_date": _when(reader.birth_date),
            "email": reader.email,
            "phone": reader.phone,
            "address": reader.address,
            "category": reader.category.name,
            "home_branch": reader.home_branch.name,
            "registered_at": _when(reader.registered_at),
            "keep_history": reader.keep_history,
            "erasure_requested_at": _when(reader.erasure_requested_at),
        }
    ]


def _guardians(reader: Reader) -> list[dict[str, Any]]:
    rows = Guardian.objects.filter(child=reader).select_related("reader").order_by("pk")
    wards = Guardian.objects.filter(reader=reader).select_related("child").order_by("pk")
    return [
        {
            "role": "guardian",
            "name": g.display_name,
            "card_number": g.reader.card_number if g.reader else None,
            "phone": g.phone,
            "email": g.email,
            "relation": g.relation,
            "added_at": _when(g.added_at),
        }
        for g in rows
    ] + [
        {"role": "ward", "name": w.child.full_name, "card_number": w.child.card_number}
        for w in wards
    ]


def _consents(reader: Reader) -> list[dict[str, Any]]:
    links = (
        ReaderConsent.objects.filter(reader=reader)
        .select_related("record", "guardian__reader")
        .order_by("record__given_at", "pk")
    )
    return [
        {
            "purpose": link.record.purpose,
            "text_version": link.record.text_version,
            "given_at": _when(link.record.given_at),
            "channel": link.record.channel,
            "ip_address": link.record.ip_address,
            "given_by": link.guardian.display_name if link.guardian else link.record.name,
            "withdrawn_at": _when(link.record.withdrawn_at),
        }
        for link in links
    ]


def _registrations(reader: Reader) -> list[dict[str, Any]]:
    rows = Registration.objects.filter(reader=reader).select_related("branch").order_by("at")
    return [
        {"year": r.year, "at": _when(r.at), "branch": r.branch.name, "first": r.is_new}
        for r in rows
    ]


def _record_views(reader: Reader) -> list[dict[str, Any]]:
    rows = RecordView.objects.filter(reader=reader).select_related("viewer").order_by("at")
    return [
        {
            "at": _when(v.at),
            "by": (v.viewer.get_full_name() or v.viewer.username) if v.viewer else None,
        }
        for v in rows
    ]


def _account(reader: Reader) -> list[dict[str, Any]]:
    if reader.user_id is None:
        return []
    user = User.objects.get(pk=reader.user_id)
    return [
        {
            "login": user.username,
            "email": user.email,
            "created_at": _when(user.date_joined),
            "last_login": _when(user.last_login),
        }
    ]


def register() -> None:
    export_section_register(name="reader", covers=("readers.Reader",), rows=_reader)
    export_section_register(name="guardians", covers=("readers.Guardian",), rows=_guardians)
    export_section_register(
        name="consents", covers=("readers.ReaderConsent", "consents.ConsentRecord"), rows=_consents
    )
    export_section_register(
        name="registrations", covers=("readers.Registration",), rows=_registrations
    )
    export_section_register(name="record_views", covers=("readers.RecordView",), rows=_record_views)
    export_section_register(name="account", covers=("accounts.User",), rows=_account)
