"""Readers from a legacy system: CSV with a column mapping, and ИРБИС64's reader database (RDR)
in its text exchange format or ISO 2709. Every row goes through the registration service; a bad
row is reported with its line or record number and the reason while the rest import; the card
number is the key, so a rerun updates and never duplicates.

CSV columns (header row; `--map old=new` renames): card_number, last_name, first_name,
middle_name, birth_date (DD.MM.YYYY, YYYY-MM-DD or YYYYMMDD), email, phone, address, category (code
or name), home_branch (branch code), guardian_name.

RDR fields: 10 surname, 11 first name, 12 patronymic, 13 address, 17 phone, 21 birth date,
30 card number, 32 e-mail, 50 category. Field 40 holds loans and visits: an entry whose
return date (^F) is empty or "******" is an open loan, found by the copy's barcode (^H) or
inventory number (^B), lent on ^D (YYYYMMDD) and due on ^E; circulation opens it (a rerun
leaves it as it is) and a bad entry is reported by its record and position while the rest
import. The reader database can also be read straight from its master file (RDR.MST + .XRF).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from polka.consents.models import Channel
from polka.consents.texts import PERSONAL_DATA
from polka.interop.irbis import IrbisRecord, decode, read_irbis_iso, read_irbis_text
from polka.interop.irbis_master import read_master
from polka.org.models import Branch
from polka.readers.errors import ReaderError
from polka.readers.models import Reader, ReaderCategory
from polka.readers.registry import loans_importer
from polka.readers.services import GuardianData, reader_register, reader_update

COLUMNS = (
    "card_number",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "email",
    "phone",
    "address",
    "category",
    "home_branch",
    "guardian_name",
)
UPDATABLE = ("last_name", "first_name", "middle_name", "birth_date", "email", "phone", "address")
RDR_FIELDS = {
    10: "last_name",
    11: "first_name",
    12: "middle_name",
    13: "address",
    17: "phone",
    21: "birth_date",
    30: "card_number",
    32: "email",
    50: "category",
}


@dataclass(frozen=True, slots=True)
class ImportRow:
    where: str  # "line 7" or "record 12": how the report names it
    values: Mapping[str, str]
    error: str | None = None
    # Open loans carried over (ИРБИС field 40): subfield code → value, in field order.
    loans: tuple[Mapping[str, str], ...] = ()


@dataclass(slots=True)
class ImportReport:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    loans: int = 0
    loans_refused: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"read {self.read}, created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {self.skipped}"
        )


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """ "old=new" pairs (also comma-separated) → {old column: our column}."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        for item in pair.split(","):
            if not item.strip():
                continue
            old, sep, new = item.partition("=")
            if not sep or new.strip() not in COLUMNS:
                raise ValueError(f"bad --map entry {item!r}: use old=new with new one of {COLUMNS}")
            mapping[old.strip()] = new.strip()
    return mapping


def rows_from_csv(data: bytes, *, mapping: Mapping[str, str] | None = None) -> Iterator[ImportRow]:
    text = decode(data)
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    renames = dict(mapping or {})
    for row in reader:
        values = {renames.get(k, k).strip(): (v or "").strip() for k, v in row.items() if k}
        yield ImportRow(where=f"line {reader.line_num}", values=values)


NOT_RETURNED = "******"


def _open_loans(record: IrbisRecord) -> tuple[dict[str, str], ...]:
    """Field 40 entries still open, each with "#": its position among the record's 40s."""
    found = []
    for position, entry in enumerate(record.all(40), 1):
        codes = dict(entry.subfields())
        if not (codes.get("b") or codes.get("h")):
            continue  # a visit, or an entry about no copy
        if codes.get("f", "").strip() not in ("", NOT_RETURNED):
            continue  # returned
        found.append({**codes, "#": str(position)})
    return tuple(found)


def _row_from_irbis(record: IrbisRecord, where: str = "") -> ImportRow:
    values = {name: record.text(tag) for tag, name in RDR_FIELDS.items()}
    address = record.first(13)
    if address is not None and address.subfields():
        values["address"] = ", ".join(v for _code, v in address.subfields() if v)
    where = where or f"record {record.number}" + (f" (line {record.line})" if record.line else "")
    return ImportRow(
        where=where,
        values=values,
        error="; ".join(record.errors) or None,
        loans=_open_loans(record),
    )


def rows_from_irbis_master(path: Path) -> Iterator[ImportRow]:
    """The reader database straight from ИРБИС's master file (.MST beside its .XRF); deleted
    and unreadable records are reported by MFN."""
    for found in read_master(path):
        where = f"MFN {found.mfn}"
        if found.deleted:
            yield ImportRow(where=where, values={}, error=_("запись удалена в ИРБИС"))
        elif found.record is None or found.error:
            yield ImportRow(where=where, values={}, error=found.error or _("запись не читается"))
        else:
            yield _row_from_irbis(found.record, where)


def rows_from_irbis(data: bytes) -> Iterator[ImportRow]:
    """ISO 2709 when the file starts with a leader, the text exchange format otherwise."""
    head = data[:24]
    records = (
        read_irbis_iso(data)
        if len(head) == 24 and head[:5].isdigit()
        else read_irbis_text(decode(data))
    )
    return (_row_from_irbis(r) for r in records)


def parse_date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    raise ValueError(_("дата «%(value)s» не читается") % {"value": value})


def _categories() -> dict[str, str]:
    """Category code or name (lower case, ё as е) → code."""
    found: dict[str, str] = {}
    for code, name in ReaderCategory.objects.values_list("code", "name"):
        found[code.lower()] = code
        found[name.lower().replace("ё", "е")] = code
    return found


class _Skip(Exception):
    pass


def _clean(
    row: ImportRow,
    *,
    branches: Mapping[str, Branch],
    default_branch: Branch | None,
    categories: Mapping[str, str],
    default_category: str | None,
) -> dict[str, Any]:
    values = row.values
    if row.error:
        raise _Skip(row.error)
    card = values.get("card_number", "").strip()
    if not card:
        raise _Skip(_("нет номера билета"))
    if not values.get("last_name") or not values.get("first_name"):
        raise _Skip(_("нет фамилии или имени"))
    code = values.get("home_branch", "").strip()
    branch = branches.get(code) if code else default_branch
    if branch is None:
        raise _Skip(_("неизвестная библиотека «%(code)s»") % {"code": code})
    raw_category = values.get("category", "").strip().lower().replace("ё", "е")
    category = categories.get(raw_category) if raw_category else "adult"
    if category is None:
        if default_category is None:
            raise _Skip(_("неизвестная категория «%(name)s»") % {"name": raw_category})
        category = default_category
    try:
        birth_date = parse_date(values.get("birth_date", ""))
    except ValueError as bad:
        raise _Skip(str(bad)) from None
    return {
        "card_number": card,
        "last_name": values["last_name"],
        "first_name": values["first_name"],
        "middle_name": values.get("middle_name", ""),
        "birth_date": birth_date,
        "email": values.get("email", ""),
        "phone": values.get("phone", ""),
        "address": values.get("address", ""),
        "category": category,
        "home_branch": branch,
        "guardian_name": values.get("guardian_name", ""),
    }


def _store(clean: dict[str, Any], *, at: dt.datetime) -> tuple[str, Reader]:
    existing = Reader.objects.filter(card_number=clean["card_number"]).first()
    if existing is not None:
        changes = {k: clean[k] for k in UPDATABLE if clean[k] not in ("", None)}
        changed = reader_update(reader=existing, changes=changes, at=at, by=None)
        return ("updated" if changed else "unchanged"), existing
    guardian = clean.pop("guardian_name")
    reader = reader_register(
        **clean,
        guardians=[GuardianData(full_name=guardian)] if guardian else [],
        consents=[PERSONAL_DATA],
        channel=Channel.DESK,
        duplicates_confirmed=True,
        at=at,
    )
    return "created", reader


def readers_import(
    *,
    rows: Iterable[ImportRow],
    at: dt.datetime,
    default_branch: Branch | None = None,
    default_category: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import rows one by one (each all or nothing); the consent to personal data the legacy
    system held on paper is recorded as given at the desk, at the time of the import."""
    report = ImportReport()
    branches = {b.code: b for b in Branch.objects.all()}
    categories = _categories()
    for row in rows:
        report.read += 1
        try:
            clean = _clean(
                row,
                branches=branches,
                default_branch=default_branch,
                categories=categories,
                default_category=default_category,
            )
            with transaction.atomic():
                outcome, reader = _store(clean, at=at)
                opened, refused = _loans(reader, row, at=at)
                if dry_run:
                    transaction.set_rollback(True)
        except (_Skip, ReaderError, ValueError) as bad:
            report.skipped += 1
            report.problems.append(f"{row.where}: {bad}")
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.loans += opened
        report.loans_refused += len(refused)
        report.problems += [f"{row.where}: {problem}" for problem in refused]
    return report


def _loans(reader: Reader, row: ImportRow, *, at: dt.datetime) -> tuple[int, list[str]]:
    """Open the row's carried-over loans through circulation (each entry on its own)."""
    importer = loans_importer()
    if not row.loans:
        return 0, []
    if importer is None:
        return 0, [_("выдачи (поле 40) не перенесены: книговыдача не подключена")]
    return importer(reader, row.loans, at)
