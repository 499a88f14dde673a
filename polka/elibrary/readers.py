"""What the e-library holds about a reader: their platform logins, in the reader's export, and
removed (with the consents to pass data on) when the reader is erased."""

from __future__ import annotations

from typing import Any

from polka.consents.models import ConsentRecord
from polka.elibrary.models import PlatformLogin
from polka.readers.models import Reader
from polka.readers.registry import erasure_cleaner_register, export_section_register


def _rows(reader: Reader) -> list[dict[str, Any]]:
    logins = PlatformLogin.objects.filter(reader=reader).select_related("platform", "consent")
    return [
        {
            "platform": row.platform.name,
            "state": row.state,
            "login": row.login,
            "requested_at": row.requested_at.isoformat(),
            "issued_at": row.issued_at.isoformat() if row.issued_at else None,
            "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
            "consent_given_at": row.consent.given_at.isoformat(),
            "consent_text_version": row.consent.text_version,
        }
        for row in logins.order_by("requested_at", "pk")
    ]


def _erase(reader: Reader) -> dict[str, int]:
    logins = PlatformLogin.objects.filter(reader=reader)
    consent_ids = list(logins.values_list("consent_id", flat=True))
    removed = logins.delete()[0]
    consents = ConsentRecord.objects.filter(pk__in=consent_ids).delete()[0]
    return {"elibrary.PlatformLogin": removed, "consents.ConsentRecord (elibrary)": consents}


def register() -> None:
    export_section_register(name="elibrary_logins", covers=("elibrary.PlatformLogin",), rows=_rows)
    erasure_cleaner_register(_erase)
