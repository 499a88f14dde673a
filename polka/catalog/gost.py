"""Bibliographic description of a record by ГОСТ Р 7.0.100-2018 (books, volumes, serials).

`describe(record)` gives plain text for lists; `describe_parts(record)` gives the same text as
labelled segments, so a template can mark up the heading and title without trusting any of it.
Fields come from the Record; the source MARC adds what the Record does not keep (volume
numbers and titles, series numbering, a serial's frequency and date span, the transcribed ISBN).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from polka.catalog.gost_source import SourceDetails, source_details
from polka.catalog.gost_text import (
    AREA_SEPARATOR,
    CLOSING,
    clean,
    initials_direct,
    initials_inverted,
    surname,
)
from polka.catalog.models import MaterialType, Record, RecordAuthor
from polka.interop.marc.record import MarcRecord

# A blank role is an added entry of unknown kind (the mappings give primary authors "aut").
AUTHOR_ROLES = frozenset({"aut", "cre", "070", "author", "автор"})
MAX_AUTHORS_IN_HEADING = 3
ET_AL = "[и др.]"

# Statement-of-responsibility words when the record gives roles but no transcribed statement.
ROLE_WORDS: dict[str, str] = {
    "edt": "редактор",
    "340": "редактор",
    "editor": "редактор",
    "редактор": "редактор",
    "trl": "переводчик",
    "730": "переводчик",
    "translator": "переводчик",
    "переводчик": "переводчик",
    "com": "составитель",
    "comp": "составитель",
    "220": "составитель",
    "compiler": "составитель",
    "составитель": "составитель",
    "ill": "художник",
    "440": "художник",
    "illustrator": "художник",
    "художник": "художник",
}

# Area 9 (content type : means of access), by material type.
CONTENT_TYPES: dict[str, str] = {
    MaterialType.EBOOK: "Текст : электронный",
    MaterialType.ELECTRONIC: "Текст : электронный",
    MaterialType.SCORE: "Музыка (знаковая) : непосредственная",
    MaterialType.MAP: "Картографическое изображение : непосредственное",
    MaterialType.VIDEO: "Изображение (движущееся ; двухмерное) : видео",
    MaterialType.GRAPHIC: "Изображение (неподвижное ; двухмерное) : непосредственное",
}
DEFAULT_CONTENT_TYPE = "Текст : непосредственный"
SPOKEN_AUDIO = "Устная речь : аудио"
MUSIC_AUDIO = "Музыка (исполнительская) : аудио"


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of the description: `kind` names what it is (heading, title, area, punct)."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class GostDescription:
    segments: tuple[Segment, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)

    def html(self) -> SafeString:
        """Every piece escaped; the heading and title proper get their own classes."""
        return format_html_join(
            "",
            "{}",
            (
                (
                    format_html('<span class="gost-{}">{}</span>', s.kind, s.text)
                    if s.kind in ("heading", "title")
                    else s.text,
                )
                for s in self.segments
            ),
        )

    def __str__(self) -> str:
        return self.text


def describe(record: Record, *, marc: MarcRecord | None = None) -> str:
    """The description as one line of plain text."""
    return describe_parts(record, marc=marc).text


def describe_html(record: Record, *, marc: MarcRecord | None = None) -> SafeString:
    return describe_parts(record, marc=marc).html()


def describe_parts(record: Record, *, marc: MarcRecord | None = None) -> GostDescription:
    details = source_details(record, marc=marc)
    people = list(record.authorships.all())
    authors = [a for a in people if a.role.strip().lower() in AUTHOR_ROLES]
    builder = _Builder()
    if 1 <= len(authors) <= MAX_AUTHORS_IN_HEADING:
        heading = initials_inverted(authors[0].person.name)
        builder.add("heading", heading)
        # A heading without initials ("Аристотель", a body's name) is closed by a full stop.
        builder.add("punct", " " if heading.endswith(CLOSING) else ". ")
    _title_area(builder, record, details, authors, people)
    if details.host:
        # A component part: its own areas end with the content type, then "//" the host.
        builder.area(_content_type(record, details))
        builder.add("punct", " // ")
        builder.add("area", details.host)
    else:
        for area in _later_areas(record, details):
            builder.area(area)
    builder.close()
    return GostDescription(tuple(builder.segments))


class _Builder:
    def __init__(self) -> None:
        self.segments: list[Segment] = []

    @property
    def _tail(self) -> str:
        return self.segments[-1].text if self.segments else ""

    def add(self, kind: str, text: str) -> None:
        if text:
            self.segments.append(Segment(kind, text))

    def area(self, text: str) -> None:
        if not text:
            return
        # ". – " loses its full stop after an element that already ends with one.
        self.add("punct", " – " if self._tail.endswith(CLOSING) else AREA_SEPARATOR)
        self.add("area", text)

    def close(self) -> None:
        if self.segments and not self._tail.rstrip().endswith(CLOSING):
            self.add("punct", ".")


def _title_area(
    builder: _Builder,
    record: Record,
    details: SourceDetails,
    authors: Sequence[RecordAuthor],
    people: Sequence[RecordAuthor],
) -> None:
    builder.add("title", clean(details.title or record.title))
    remainder = details.remainder or clean(record.remainder_of_title)
    if remainder:
        builder.add("area", " : " + remainder)
    if details.part_number or details.part_title:
        _volume(builder, details)
    elif record.parts:
        builder.add("area", ". " + clean(record.parts))
    responsibility = _responsibility(record, authors, people)
    if responsibility:
        builder.add("area", " / " + responsibility)


def _volume(builder: _Builder, details: SourceDetails) -> None:
    """A volume of a set: "Сочинения : в 2 томах. Том 1 : Стихотворения"."""
    number = details.part_number
    if number.isdigit():
        number = "Том " + number
    # "кн. 4" as transcribed opens a sentence here: "Кн. 4".
    number = number[:1].upper() + number[1:]
    text = number
    if details.part_title:
        text = f"{number} : {details.part_title}" if number else details.part_title
    builder.add("area", ". " + text)


def _responsibility(
    record: Record, authors: Sequence[RecordAuthor], people: Sequence[RecordAuthor]
) -> str:
    groups = [g.strip() for g in clean(record.responsibility).split(" ; ") if g.strip()]
    if not groups:
        return _responsibility_from_roles(authors, people)
    if len(authors) > MAX_AUTHORS_IN_HEADING and ET_AL not in groups[0]:
        first = surname(authors[0].person.name)
        if first and first in groups[0]:
            # Four or more authors: the first as transcribed, then "[и др.]".
            groups[0] = re.split(r",\s+", groups[0])[0] + " " + ET_AL
    return " ; ".join(groups)


def _responsibility_from_roles(
    authors: Sequence[RecordAuthor], people: Sequence[RecordAuthor]
) -> str:
    groups: list[str] = []
    names = [initials_direct(a.person.name) for a in authors]
    if len(names) > MAX_AUTHORS_IN_HEADING:
        names = [names[0] + " " + ET_AL]
    if names:
        groups.append(", ".join(names))
    by_word: dict[str, list[str]] = {}
    for person in people:
        word = ROLE_WORDS.get(person.role.strip().lower())
        if word:
            by_word.setdefault(word, []).append(initials_direct(person.person.name))
    groups.extend(f"{word} {', '.join(names)}" for word, names in by_word.items())
    return " ; ".join(groups)


def _later_areas(record: Record, details: SourceDetails) -> list[str]:
    """Areas 2 to 9 in the standard's order: edition, publication, extent, series, notes, ISBN."""
    areas = [clean(record.edition), _publication(record, details), clean(record.extent)]
    areas.extend(f"({s})" for s in (details.series or _split_series(record.series)))
    areas.extend(details.notes)
    isbns = details.isbns or list(record.isbns)
    areas.extend(f"ISBN {i}" for i in isbns)
    issns = details.issns or list(record.issns)
    areas.extend(f"ISSN {i}" for i in issns)
    areas.append(_content_type(record, details))
    return [a for a in areas if a]


def _publication(record: Record, details: SourceDetails) -> str:
    place, publisher = clean(record.place), clean(record.publisher)
    date = details.date_span or (str(record.year) if record.year else "")
    text = place
    if publisher:
        text = f"{text} : {publisher}" if text else publisher
    if date:
        text = f"{text}, {date}" if text else date
    return text


def _split_series(series: str) -> list[str]:
    return [clean(s) for s in series.split("\n") if clean(s)]


def _content_type(record: Record, details: SourceDetails) -> str:
    if record.material_type == MaterialType.AUDIO:
        return MUSIC_AUDIO if details.musical else SPOKEN_AUDIO
    return CONTENT_TYPES.get(record.material_type, DEFAULT_CONTENT_TYPE)
