"""Reads of readers: the desk's scope (branches a member of staff may see), search, likely
duplicates, consents and the reminder at 14, the record-view log, the reader's export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from polka.consents.models import ConsentRecord
from polka.consents.texts import PERSONAL_DATA, TEXTS
from polka.core.prepared import Prepared
from polka.org.policies import AnyUser, staff_branches, staff_can
from polka.readers import policies
from polka.readers.models import (
    PreRegistration,
    Reader,
    ReaderCategory,
    ReaderConsent,
    RecordView,
    Registration,
)
from polka.readers.registry import export_sections

SEARCH_LIMIT = 50


def name_normalise(value: str) -> str:
    """Names as the desk types them, in one form: single spaces, and a name typed all in one
    case gets capitals (so «иванова» and «ИВАНОВА» find «Иванова» on every engine)."""
    value = " ".join(value.split())
    if value.islower() or value.isupper():
        value = value.title()
    return value


def reader_categories() -> QuerySet[ReaderCategory]:
    return ReaderCategory.objects.filter(is_active=True).order_by("position", "name")


def readers_for_staff(*, user: AnyUser, action: str = "readers.view") -> QuerySet[Reader]:
    """The readers `user` may see: those whose home branch is in the user's scope."""
    return Reader.objects.filter(home_branch__in=staff_branches(user=user, action=action))


def readers_search(*, user: AnyUser, query: str) -> list[Reader]:
    """Card number (exact), surname (beginning), phone or e-mail, within the user's scope."""
    query = query.strip()
    if not query:
        return []
    wanted = (
        Q(card_number=query)
        | Q(last_name__startswith=name_normalise(query))
        | Q(email__iexact=query)
        | Q(phone=query)
    )
    return list(
        readers_for_staff(user=user)
        .filter(wanted)
        .select_related("home_branch", "category")
        .order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT]
    )


def reader_by_card(*, user: AnyUser, card_number: str) -> Reader | None:
    return (
        readers_for_staff(user=user)
        .filter(card_number=policies.card_number_normalise(card_number))
        .select_related("home_branch", "category")
        .first()
    )


def preregistration_by_number(*, number: str, at: dt.datetime) -> PreRegistration | None:
    """A pre-registration still waiting for its visit to a desk."""
    return (
        PreRegistration.objects.filter(number=number.strip().upper(), expires_at__gt=at)
        .select_related("home_branch")
        .first()
    )


def _by_card(card_number: str) -> QuerySet[Reader]:
    # Card numbers are unique: no ORDER BY (first() would add one to every scan).
    return Reader.objects.filter(card_number=card_number)[:1]


def _by_card_related(card_number: str) -> QuerySet[Reader]:
    return Reader.objects.select_related("home_branch", "category").filter(card_number=card_number)[
        :1
    ]


def _by_id_related(pk: int) -> QuerySet[Reader]:
    return Reader.objects.select_related("home_branch", "category").filter(pk=pk)[:1]


# Every scan at a desk or a kiosk reads its reader: compiled once (polka.core.prepared).
_CARD = Prepared(_by_card, card_number=str)
_CARD_RELATED = Prepared(_by_card_related, card_number=str)
_ID_RELATED = Prepared(_by_id_related, pk=int)


def reader_at_desk(*, user: AnyUser, card_number: str, related: bool = True) -> Reader | None:
    """The reader whose card is scanned at a lending desk of any branch: one card works in the
    whole network. Only by the exact card number (no browsing), only for staff who lend
    somewhere; the record itself stays within the home branch's scope. `related=False` leaves
    out the home branch and category rows (a self-service station shows neither)."""
    if not staff_can(user=user, action="circulation.checkout"):
        return None
    query = _CARD_RELATED if related else _CARD
    found = query.rows(card_number=policies.card_number_normalise(card_number))
    return found[0] if found else None


def reader_on_desk(*, user: AnyUser, reader_id: int) -> Reader | None:
    """The reader a desk is serving (its form carries their id between scans), on the same
    terms as reader_at_desk."""
    if not staff_can(user=user, action="circulation.checkout"):
        return None
    found = _ID_RELATED.rows(pk=reader_id)
    return found[0] if found else None


def reader_for_link(*, card_number: str) -> Reader | None:
    """The reader with this card anywhere in the network, only to link them (as a child's
    guardian): the desk sees their name, not their record."""
    return Reader.objects.filter(card_number=policies.card_number_normalise(card_number)).first()


def reader_by_login(*, login: str) -> Reader | None:
    """The reader a login names: a card number or an e-mail address."""
    login = login.strip()
    if not login:
        return None
    return (
        Reader.objects.filter(Q(card_number=login) | (~Q(email="") & Q(email__iexact=login)))
        .select_related("user")
        .first()
    )


def reader_duplicates(
    *,
    last_name: str,
    first_name: str,
    birth_date: dt.date | None,
    phone: str = "",
    email: str = "",
    exclude: Reader | None = None,
) -> list[Reader]:
    """Readers who may be the same person: same name and birth date, or same phone or e-mail.

    Network-wide (one card for the whole network): the desk sees only card number, name and
    home branch of a match in another branch."""
    same = Q()
    if birth_date is not None:
        same |= Q(
            last_name=name_normalise(last_name),
            first_name=name_normalise(first_name),
            birth_date=birth_date,
        )
    if phone.strip():
        same |= Q(phone=phone.strip())
    if email.strip():
        same |= Q(email__iexact=email.strip())
    if not same:
        return []
    found = Reader.objects.filter(same).select_related("home_branch").order_by("pk")
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return list(found[:10])


@dataclass(frozen=True)
class ReaderConsentView:
    record: ConsentRecord
    guardian_name: str

    @property
    def active(self) -> bool:
        return self.record.withdrawn_at is None

    @property
    def title(self) -> str:
        text = TEXTS.get(self.record.purpose)
        return str(text.title) if text is not None else self.record.purpose

    @property
    def withdrawable(self) -> bool:
        return self.active and self.record.purpose != PERSONAL_DATA


def reader_consents(*, reader: Reader) -> list[ReaderConsentView]:
    links = (
        ReaderConsent.objects.filter(reader=reader)
        .select_related("record", "guardian__reader")
        .order_by("record__given_at", "pk")
    )
    return [
        ReaderConsentView(
            record=link.record,
            guardian_name=link.guardian.display_name if link.guardian is not None else "",
        )
        for link in links
    ]


def reader_needs_own_consent(*, reader: Reader, on: dt.date) -> bool:
    """At 14 a reader registered by a guardian confirms their own consent at the next visit:
    true from that birthday until they have."""
    if reader.birth_date is None or policies.needs_guardian(birth_date=reader.birth_date, on=on):
        return False
    return not ReaderConsent.objects.filter(
        reader=reader,
        guardian__isnull=True,
        record__purpose=PERSONAL_DATA,
        record__withdrawn_at__isnull=True,
    ).exists()


def reader_record_views(*, reader: Reader) -> QuerySet[RecordView]:
    return RecordView.objects.filter(reader=reader).select_related("viewer").order_by("-at", "-pk")


def reader_registered_in(*, reader: Reader, year: int) -> bool:
    return Registration.objects.filter(reader=reader, year=year).exists()


def registrations_count(*, year: int, branch_id: int | None = None) -> int:
    """Readers registered or re-registered in `year` (the annual statistics' users)."""
    rows = Registration.objects.filter(year=year)
    if branch_id is not None:
        rows = rows.filter(branch_id=branch_id)
    return rows.count()


EXPORT_FORMAT = "polka.reader-export/1"


def reader_export(*, reader: Reader, at: dt.datetime | None = None) -> dict[str, Any]:
    """Everything held about the reader, machine-readable (one section per registered exporter;
    polka.readers.export registers the readers' own)."""
    generated = at or timezone.now()
    return {
        "format": EXPORT_FORMAT,
        "generated_at": generated.isoformat(),
        "card_number": reader.card_number,
        "sections": {section.name: section.rows(reader) for section in export_sections()},
    }
