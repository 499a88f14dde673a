"""What the ГОСТ description takes from the source MARC rather than from the Record's fields.

The Record keeps one title, one series string and normalised ISBNs; the source still has the
volume number and title (245$n/$p, 200$h/$i), the common title of a set (RUSMARC 461), series
numbering (490$v, 225$v), a serial's frequency (310, 326) and date span (008, 100), and the
ISBN as printed, with its hyphens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from polka.catalog.gost_text import clean, join_areas
from polka.catalog.models import MarcFormat, Record
from polka.catalog.source import read_source_or_none
from polka.interop.marc.record import Field, MarcRecord, Subfield

_ISBN = re.compile(r"[0-9][0-9Xx-]{8,16}[0-9Xx]")
_ISSN = re.compile(r"[0-9]{4}-?[0-9]{3}[0-9Xx]")


@dataclass(slots=True)
class SourceDetails:
    title: str = ""  # the common title of a set, when the record describes one volume of it
    remainder: str = ""
    part_number: str = ""
    part_title: str = ""
    series: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    isbns: list[str] = field(default_factory=list)
    issns: list[str] = field(default_factory=list)
    date_span: str = ""
    musical: bool = False
    host: str = ""  # for a component part (an article): the host's description after "//"


def source_details(record: Record, *, marc: MarcRecord | None = None) -> SourceDetails:
    if marc is None:
        marc = read_source_or_none(record)
    if marc is None:
        return SourceDetails()
    if record.format == MarcFormat.RUSMARC:
        return _rusmarc(marc)
    return _marc21(marc)


def _joined(fld: Field | None, code: str, separator: str = ". ") -> str:
    if fld is None:
        return ""
    return separator.join(clean(v) for v in fld.values(code) if clean(v))


def _numbers(values: list[str], pattern: re.Pattern[str]) -> list[str]:
    found = (pattern.search(v) for v in values)
    return [m.group(0).upper() for m in found if m]


def _series(fields: Iterator[Field], codes: dict[str, str]) -> list[str]:
    """One series statement per field; `codes` maps subfield code to its leading punctuation."""
    result = []
    for fld in fields:
        text = ""
        for sf in fld.subfields:
            value = clean(sf.value)
            if sf.code in codes and value:
                text = f"{text}{codes[sf.code]}{value}" if text else value
        if text:
            result.append(text)
    return result


def _frequency(values: list[str]) -> list[str]:
    notes = []
    for value in (clean(v) for v in values):
        if not value:
            continue
        cyrillic = re.match(r"[А-Яа-яЁё]", value) is not None
        if cyrillic and not value.lower().startswith("выходит"):
            value = "Выходит " + value[0].lower() + value[1:]
        notes.append(value)
    return notes


def _span(status: str, start: str, end: str, *, ongoing: str, ceased: str) -> str:
    start, end = start.strip(), end.strip()
    if not start.isdigit():
        return ""
    if status in ongoing:
        # An open date: "1926– " and then the next area's ". – ".
        return f"{start}– "
    if status in ceased and end.isdigit() and end != "9999":
        return f"{start}–{end}"
    return ""


def _marc21(marc: MarcRecord) -> SourceDetails:
    title = marc.first_field("245")
    serial = marc.leader[7:8] == "s"
    details = SourceDetails(
        part_number=_joined(title, "n"),
        part_title=_joined(title, "p"),
        series=_series(marc.get_fields("490"), {"a": "", "v": " ; "})
        or _series(marc.get_fields("830"), {"a": "", "n": ". ", "p": ", ", "v": " ; "}),
        isbns=_numbers(marc.values("020", "a"), _ISBN),
        issns=_numbers(marc.values("022", "a"), _ISSN),
        musical=marc.leader[6:7] == "j",
    )
    host = marc.first_field("773")
    if host is not None:
        details.host = join_areas(
            [_joined(host, "t") or _joined(host, "a"), _joined(host, "d"), _joined(host, "g")]
            + [f"ISSN {v}" for v in _numbers(host.values("x"), _ISSN)]
        )
    if serial:
        details.notes = _frequency(marc.values("310", "a"))
        fixed = marc.control("008") or ""
        details.date_span = _span(fixed[6:7], fixed[7:11], fixed[11:15], ongoing="cu", ceased="d")
    return details


def _embedded(fld: Field, tag: str) -> list[Subfield]:
    """Subfields of a field embedded in a RUSMARC 4XX link ($1 opens each embedded field)."""
    inside, result = False, []
    for sf in fld.subfields:
        if sf.code == "1":
            inside = sf.value.startswith(tag)
        elif inside:
            result.append(sf)
    return result


def _rusmarc(marc: MarcRecord) -> SourceDetails:
    title = marc.first_field("200")
    serial = marc.leader[7:8] == "s"
    details = SourceDetails(
        part_number=_joined(title, "h"),
        part_title=_joined(title, "i"),
        series=_series(
            marc.get_fields("225"), {"a": "", "e": " : ", "h": ". ", "i": ", ", "v": " ; "}
        ),
        isbns=_numbers(marc.values("010", "a"), _ISBN),
        issns=_numbers(marc.values("011", "a"), _ISSN),
        musical=marc.leader[6:7] == "j",
    )
    if marc.leader[7:8] == "a":
        details.host = _rusmarc_host(marc)
    else:
        _set_from_link(details, marc, title)
    if serial:
        details.notes = _frequency(marc.values("326", "a"))
        coded = (marc.first_field("100") or Field("100")).first("a") or ""
        details.date_span = _span(coded[8:9], coded[9:13], coded[13:17], ongoing="a", ceased="b")
    return details


def _set_from_link(details: SourceDetails, marc: MarcRecord, title: Field | None) -> None:
    """A volume catalogued under its set (461): the set's title, then the volume."""
    link = marc.first_field("461")
    if link is None or title is None:
        return
    parent = Field("200", subfields=_embedded(link, "200"))
    common = _joined(parent, "a")
    if not common:
        return
    own = _joined(title, "a")
    details.title = common
    details.remainder = _joined(parent, "e", " : ")
    details.part_number = details.part_number or _joined(link, "v") or own
    if own and own != details.part_number and not details.part_title:
        details.part_title = own


def _rusmarc_host(marc: MarcRecord) -> str:
    """An article's host: the serial (461) and its issue (463), or a book (463) alone."""
    serial, issue = marc.first_field("461"), marc.first_field("463")
    parts: list[str] = []
    if serial is not None:
        parts.append(_joined(Field("200", subfields=_embedded(serial, "200")), "a"))
    if issue is not None:
        own = Field("200", subfields=_embedded(issue, "200"))
        year = _joined(Field("210", subfields=_embedded(issue, "210")), "d")
        if parts:
            parts += [year, _joined(own, "a"), _joined(own, "h")]
        else:
            parts += [_joined(own, "a"), year]
        parts += [clean(v) for v in issue.values("v")]
    return join_areas(parts)
