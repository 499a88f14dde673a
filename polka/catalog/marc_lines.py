"""The MARC editor's text form: one field per line, as in MARCBreaker ("=245  10$aTitle").

`to_lines` writes a MarcRecord in that form; `parse_lines` reads it back, naming the line of
every mistake so the editor can show it next to what the cataloguer typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from polka.interop.marc.record import Field, MarcRecord, Subfield

LEADER_TAG = "LDR"
LEADER_LENGTH = 24
# A blank indicator is written as a backslash (MARCBreaker) or "#" (MARC 21 documentation).
BLANK_MARKS = ("\\", "#", " ")
DOLLAR_ESCAPE = "{dollar}"
_TAG = re.compile(r"^[0-9A-Za-z]{3}$")
_INDICATOR = re.compile(r"^[0-9a-z ]$")
_CODE = re.compile(r"^[0-9a-z]$")
_LOOKS_LIKE_SUBFIELDS = re.compile(r"^.{0,2}\$[0-9a-z]")


@dataclass(slots=True)
class LineError:
    line: int  # 1-based line number in the text; 0 for the record as a whole
    message: str


@dataclass(slots=True)
class ParsedLines:
    record: MarcRecord | None
    errors: list[LineError] = field(default_factory=list)
    # The line each field came from (parallel to record.fields), for later checks.
    lines: list[int] = field(default_factory=list)


def _escape(value: str) -> str:
    return value.replace("$", DOLLAR_ESCAPE)


def _blank(indicator: str) -> str:
    return "\\" if indicator == " " else indicator


def field_line(fld: Field) -> str:
    if fld.is_control:
        return f"={fld.tag}  {_escape(fld.data or '')}"
    indicators = "".join(_blank(i) for i in fld.indicators.ljust(2)[:2])
    subfields = "".join(f"${sf.code}{_escape(sf.value)}" for sf in fld.subfields)
    return f"={fld.tag}  {indicators}{subfields}"


def to_lines(record: MarcRecord) -> str:
    lines = [f"={LEADER_TAG}  {record.leader}"]
    lines.extend(field_line(f) for f in record.fields)
    return "\n".join(lines)


def is_control_tag(tag: str) -> bool:
    return tag.startswith("00") and tag.isdigit()


def parse_lines(text: str) -> ParsedLines:
    result = ParsedLines(record=None)
    leader: str | None = None
    fields: list[Field] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        match = re.match(r"^=?(\S{1,4}?)(?: {1,2}|$)(.*)$", line)
        tag, rest = (match.group(1), match.group(2)) if match else ("", "")
        if tag == LEADER_TAG:
            leader = rest
            if len(rest) != LEADER_LENGTH:
                message = _("Маркер записи должен содержать %(n)d символа, а не %(got)d.")
                result.errors.append(
                    LineError(number, message % {"n": LEADER_LENGTH, "got": len(rest)})
                )
            continue
        if not _TAG.match(tag):
            message = _("Метка поля должна состоять из трёх цифр или латинских букв: «%(tag)s».")
            result.errors.append(LineError(number, message % {"tag": tag or line[:4]}))
            continue
        parsed = _parse_field(tag, rest, number, result.errors)
        if parsed is not None:
            fields.append(parsed)
            result.lines.append(number)
    if leader is None:
        result.errors.append(LineError(0, _("Нет маркера записи (строка «=LDR  …»).")))
    result.record = MarcRecord(leader=leader or "", fields=fields)
    return result


def _parse_field(tag: str, rest: str, number: int, errors: list[LineError]) -> Field | None:
    if is_control_tag(tag):
        if not rest:
            errors.append(LineError(number, _("Управляющее поле %(tag)s пусто.") % {"tag": tag}))
            return None
        if _LOOKS_LIKE_SUBFIELDS.match(rest):
            message = _("Поле %(tag)s управляющее: у него нет индикаторов и подполей.")
            errors.append(LineError(number, message % {"tag": tag}))
            return None
        return Field(tag, indicators="  ", data=rest.replace(DOLLAR_ESCAPE, "$"))
    indicators = "".join(" " if c in BLANK_MARKS else c for c in rest[:2]).ljust(2)
    body = rest[2:]
    problems = []
    for position, ind in enumerate(indicators, start=1):
        if not _INDICATOR.match(ind):
            problems.append(
                _(
                    "Индикатор %(n)d поля %(tag)s — «%(ind)s»: допустимы цифра, "
                    "строчная латинская буква или пробел (\\)."
                )
                % {"n": position, "tag": tag, "ind": ind}
            )
    if not body.startswith("$"):
        problems.append(
            _("Поле %(tag)s: после индикаторов должно идти подполе, например «$a».") % {"tag": tag}
        )
    subfields = []
    for chunk in body.split("$")[1:]:
        code, value = chunk[:1], chunk[1:].replace(DOLLAR_ESCAPE, "$")
        if not _CODE.match(code):
            problems.append(
                _(
                    "Поле %(tag)s: код подполя должен быть цифрой или строчной латинской "
                    "буквой, а не «%(code)s»."
                )
                % {"tag": tag, "code": code}
            )
        elif not value.strip():
            problems.append(
                _("Поле %(tag)s: подполе $%(code)s пусто.") % {"tag": tag, "code": code}
            )
        subfields.append(Subfield(code, value))
    # Kept even when wrong, so that record-level checks do not report it missing as well.
    errors.extend(LineError(number, p) for p in problems)
    return Field(tag, indicators=indicators, subfields=subfields)
