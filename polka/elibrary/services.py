"""E-library changes: importing platforms' records, access requests and the login register,
e-loan reports, the local-history collection."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from polka.catalog.models import Record, RecordIsbn
from polka.catalog.services import record_create, record_update
from polka.consents.services import consent_record
from polka.consents.texts import PLATFORM_TRANSFER
from polka.core.sanitize import clean_text
from polka.core.states import transition
from polka.elibrary.errors import AlreadyRequested, FileUnreadable
from polka.elibrary.models import (
    AccessState,
    Ebook,
    Eloan,
    LocalDocument,
    Platform,
    PlatformLogin,
)
from polka.elibrary.states import ACCESS
from polka.interop.ebooks import EbookEntry, parse_onix, parse_opds
from polka.interop.marc.record import Field, MarcRecord, Subfield
from polka.notices.services import notice_send
from polka.org.policies import AnyUser, staff_require
from polka.readers.models import Reader

LANGUAGES = {
    "ru": "rus",
    "en": "eng",
    "uz": "uzb",
    "tg": "tgk",
    "ky": "kir",
    "de": "ger",
    "fr": "fre",
}


def _require(by: AnyUser) -> None:
    staff_require(user=by, action="elibrary.manage")


def _require_for(by: AnyUser, access: PlatformLogin) -> None:
    """Logins are handed out by the reader's own branch only."""
    staff_require(user=by, action="elibrary.manage", branch=access.reader.home_branch)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)


def entry_marc(entry: EbookEntry, *, platform: Platform, at: dt.datetime) -> MarcRecord:
    """A MARC 21 record for an e-book: online resource (008/23 'o'), 856 "read" link."""
    language = LANGUAGES.get(entry.language.lower()[:2], entry.language.lower()[:3] or "und")
    year = f"{entry.year:04d}" if entry.year else "    "
    f008 = f"{at:%y%m%d}" + "s" + year + " " * 4 + "xx " + " " * 5 + "o" + " " * 11
    f008 += f"{language:3.3}" + " d"
    assert len(f008) == 40, len(f008)

    def data(tag: str, ind: str, *pairs: tuple[str, str]) -> Field:
        return Field(tag, ind, [Subfield(c, v) for c, v in pairs if v])

    fields = [
        Field("001", data=f"{platform.slug}-{entry.identifier}"[:100]),
        Field("008", data=f008),
    ]
    if entry.isbn:
        fields.append(data("020", "  ", ("a", entry.isbn)))
    if entry.authors:
        fields.append(data("100", "1 ", ("a", entry.authors[0])))
    fields.append(data("245", "10" if entry.authors else "00", ("a", entry.title)))
    fields.append(data("264", " 1", ("b", entry.publisher), ("c", str(entry.year or ""))))
    fields.append(data("337", "  ", ("a", "компьютер")))
    if entry.description:
        fields.append(data("520", "  ", ("a", entry.description[:2000])))
    fields += [data("650", " 4", ("a", s)) for s in entry.subjects[:10]]
    fields += [data("700", "1 ", ("a", a)) for a in entry.authors[1:5]]
    fields.append(data("856", "40", ("u", entry.read_url), ("y", f"Читать на «{platform.name}»")))
    if entry.cover_url:
        fields.append(data("856", "42", ("u", entry.cover_url), ("3", "Обложка")))
    return MarcRecord(leader="00000nam a2200000 i 4500", fields=fields)


@transaction.atomic
def ebooks_import(
    *, platform: Platform, data: bytes, format: str, by: AnyUser, at: dt.datetime
) -> ImportReport:
    """Import a platform's ONIX 3.0 or OPDS 1.2 file: new e-books become catalogue records
    with "read" links; a book seen before is updated, never duplicated; a bad entry is reported
    with its position and reason while the rest imports."""
    _require(by)
    try:
        parsed = parse_onix(data) if format == "onix" else parse_opds(data)
    except ValueError as error:
        raise FileUnreadable(str(error)) from error
    report = ImportReport(problems=[f"№ {p.position}: {p.reason}" for p in parsed.problems])
    known = {
        e.external_id: e
        for e in Ebook.objects.filter(
            platform=platform, external_id__in=[x.identifier for x in parsed.entries]
        ).select_related("record")
    }
    for entry in parsed.entries:
        marc = entry_marc(entry, platform=platform, at=at)
        existing = known.get(entry.identifier)
        if existing is not None:
            record_update(record=existing.record, marc=marc, by=by, at=at, summary="e-book import")
            existing.read_url = entry.read_url
            existing.save(update_fields=["read_url"])
            report.updated += 1
            continue
        record = record_create(marc=marc, flavour="marc21", by=by, at=at)
        Ebook.objects.create(
            platform=platform, external_id=entry.identifier, record=record, read_url=entry.read_url
        )
        report.created += 1
    return report


@transaction.atomic
def access_request(
    *, platform: Platform, reader: Reader, at: dt.datetime, ip_address: str | None = None
) -> PlatformLogin:
    """A reader asks for a login, agreeing to their data being passed to the platform."""
    active = PlatformLogin.objects.filter(
        platform=platform, reader=reader, revoked_at__isnull=True
    ).exclude(state=AccessState.REFUSED)
    if active.exists():
        raise AlreadyRequested()
    consent = consent_record(
        purpose=PLATFORM_TRANSFER,
        at=at,
        ip_address=ip_address,
        name=f"{reader.last_name} {reader.first_name}",
        email=reader.email,
        user=reader.user,
        context=f"elibrary.platform:{platform.pk}",
    )
    return PlatformLogin.objects.create(
        platform=platform, reader=reader, state=AccessState.REQUESTED, consent=consent,
        requested_at=at,
    )  # fmt: skip


@transaction.atomic
def login_issue(
    *, access: PlatformLogin, login: str, by: AnyUser, at: dt.datetime
) -> PlatformLogin:
    """Record the login given to the reader (the password is never stored) and tell them."""
    access = (
        PlatformLogin.objects.select_for_update()
        .select_related("reader__home_branch")
        .get(pk=access.pk)
    )
    _require_for(by, access)
    access.login = clean_text(login, max_length=200, multiline=False)
    access.issued_at = at
    access.issued_by_id = by.pk
    transition(
        ACCESS,
        access,
        "issue",
        by=by,
        at=at,
        update_fields=["login", "issued_at", "issued_by"],
        lock=False,  # locked above, with the reader's branch the permission is checked in
    )
    notice_send(
        kind="elibrary.issued",
        to=access.reader.email,
        template="elibrary/notices/issued",
        context={"access": access, "platform": access.platform},
        at=at,
    )
    return access


@transaction.atomic
def login_refuse(*, access: PlatformLogin, by: AnyUser, at: dt.datetime) -> PlatformLogin:
    _require_for(by, access)
    return transition(ACCESS, access, "refuse", by=by, at=at)


@transaction.atomic
def login_revoke(*, access: PlatformLogin, by: AnyUser, at: dt.datetime) -> PlatformLogin:
    _require_for(by, access)
    access.revoked_at = at
    access.save(update_fields=["revoked_at"])
    return access


_HEADERS = {
    "date": ("дата", "date", "дата выдачи", "loan date"),
    "login": ("логин", "login", "user", "пользователь"),
    "isbn": ("isbn",),
    "title": ("название", "title", "заглавие", "книга"),
}


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((i for i, h in enumerate(lowered) if h in names), None)


def _date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip()[:10], pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None


@transaction.atomic
def eloans_import(*, platform: Platform, data: bytes, by: AnyUser, at: dt.datetime) -> ImportReport:
    """A platform's loan report (CSV: date, login, ISBN, title; ; or , separated, with a
    header): each loan is matched to the login register and, by ISBN, to the catalogue. A bad
    line is reported with its number; importing the same report again adds nothing."""
    _require(by)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1251", errors="replace")
    dialect = ";" if text.count(";") > text.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=dialect))
    if not rows:
        raise FileUnreadable("empty file")
    header = rows[0]
    columns = {name: _column(header, names) for name, names in _HEADERS.items()}
    if columns["date"] is None or columns["login"] is None:
        raise FileUnreadable("the header needs a date and a login column")
    logins = {
        a.login: a
        for a in PlatformLogin.objects.filter(platform=platform)
        .exclude(login="")
        .select_related("reader")
    }
    report = ImportReport()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            index = columns[name]
            return row[index].strip() if index is not None and index < len(row) else ""

        day, login = _date(cell("date")), cell("login")
        if day is None or not login:
            report.problems.append(f"строка {number}: нет даты или логина")
            continue
        isbn = re.sub(r"[^0-9Xx]", "", cell("isbn")).upper()
        key = f"{platform.pk}|{login}|{isbn or cell('title')[:100]}|{day}"
        if Eloan.objects.filter(key=key).exists():
            continue
        match = RecordIsbn.objects.filter(isbn=isbn).first() if isbn else None
        Eloan.objects.create(
            platform=platform,
            loaned_on=day,
            login=logins.get(login),
            platform_login=login,
            record_id=match.record_id if match else None,
            branch_id=access.reader.home_branch_id if (access := logins.get(login)) else None,
            isbn=isbn,
            title=cell("title")[:500],
            key=key,
        )
        report.created += 1
    return report


def remote_loans_count(*, period_start: dt.date, period_end: dt.date, branch: Any = None) -> int:
    """Remote licensed loans in the period, for the statistics (a branch: its readers')."""
    loans = Eloan.objects.filter(loaned_on__gte=period_start, loaned_on__lte=period_end)
    if branch is not None:
        loans = loans.filter(branch=branch)
    return loans.count()


@transaction.atomic
def local_document_add(
    *, by: AnyUser, at: dt.datetime | None = None, **fields: Any
) -> LocalDocument:
    _require(by)
    cleaned = {k: clean_text(v) if isinstance(v, str) else v for k, v in fields.items()}
    return LocalDocument.objects.create(added_at=at or timezone.now(), **cleaned)


def ebook_for(record: Record) -> Ebook | None:
    return Ebook.objects.filter(record=record).select_related("platform").first()
