"""E-library reads: the staff page's access requests and login register (each limited to the
readers of the branches where the user manages the e-library), the platforms, the published
local-history documents and the reader a visitor names."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from polka.elibrary.models import AccessState, LocalDocument, Platform, PlatformLogin
from polka.org.policies import AnyUser, staff_scope
from polka.readers.models import Reader

MANAGE = "elibrary.manage"


def platform_logins_visible(*, user: AnyUser) -> QuerySet[PlatformLogin]:
    """Every access row of the readers whose home branch the user serves."""
    return staff_scope(
        PlatformLogin.objects.select_related("reader", "platform", "issued_by", "consent"),
        user=user,
        action=MANAGE,
        via="reader__home_branch",
    )


def access_requests_open(*, user: AnyUser) -> QuerySet[PlatformLogin]:
    return platform_logins_visible(user=user).filter(state=AccessState.REQUESTED)


def login_register(*, user: AnyUser) -> QuerySet[PlatformLogin]:
    return platform_logins_visible(user=user).exclude(state=AccessState.REQUESTED)


def platforms_all() -> QuerySet[Platform]:
    return Platform.objects.all()


def documents_published() -> QuerySet[LocalDocument]:
    return LocalDocument.objects.filter(is_published=True)


def documents_of_subject(*, subject: str) -> QuerySet[LocalDocument]:
    return documents_published().filter(subject=subject)


def document_subjects() -> list[str]:
    """The subjects of the published documents, sorted (one OPDS subsection each)."""
    return sorted(set(documents_published().values_list("subject", flat=True)))


def documents_updated(*, now: dt.datetime) -> dt.datetime:
    """When the collection last changed: the newest document's date, or `now` when empty."""
    latest = documents_published().order_by("-added_at").first()
    return latest.added_at if latest else now


def reader_by_card_and_surname(*, card_number: str, last_name: str) -> Reader | None:
    """The reader a visitor names by card number and surname, or None when they do not match."""
    reader = Reader.objects.filter(card_number=card_number.strip()).first()
    # SQLite compares only ASCII letters case-insensitively: compare the surname here.
    if reader is not None and reader.last_name.casefold() != last_name.strip().casefold():
        return None
    return reader
