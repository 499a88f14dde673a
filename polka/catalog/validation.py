"""Checks the MARC editor runs before a record is saved: syntax, required fields, ISBNs.

`check_marc_text` parses the editor's text and adds the record-level checks, each error tied
to the line it is about, so the form can show it there and keep what was typed.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from polka.catalog.marc_lines import LineError, ParsedLines, parse_lines
from polka.interop.marc.record import MarcFlavour, MarcRecord

# flavour: (title field, its required subfield, ISBN field, non-repeatable fields)
RULES: dict[str, tuple[str, str, str, frozenset[str]]] = {
    "marc21": ("245", "a", "020", frozenset({"001", "003", "005", "008", "100", "245", "250"})),
    "rusmarc": ("200", "a", "010", frozenset({"001", "005", "100", "101", "200", "210", "215"})),
}
_ISBN_TOKEN = re.compile(r"[0-9Xx][0-9Xx\- ]*[0-9Xx]")


def isbn_digits(value: str) -> str:
    """The ISBN's digits (and final X) from a subfield such as "978-5-17-093917-6 (в пер.)"."""
    match = _ISBN_TOKEN.search(value)
    return re.sub(r"[\- ]", "", match.group(0)).upper() if match else ""


def isbn_is_valid(digits: str) -> bool:
    if re.fullmatch(r"[0-9]{9}[0-9X]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if re.fullmatch(r"97[89][0-9]{10}", digits):
        total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def check_marc_text(text: str, flavour: MarcFlavour) -> ParsedLines:
    parsed = parse_lines(text)
    if parsed.record is not None:
        parsed.errors.extend(check_record(parsed.record, flavour, parsed.lines))
    parsed.errors.sort(key=lambda e: e.line)
    return parsed


def check_record(
    record: MarcRecord, flavour: MarcFlavour, lines: list[int] | None = None
) -> list[LineError]:
    """Required and non-repeatable fields and ISBN check digits; `lines` locate each field."""
    title_tag, title_code, isbn_tag, once = RULES[flavour]
    where = lines or [0] * len(record.fields)
    errors: list[LineError] = []
    titles = [f for f in record.fields if f.tag == title_tag]
    if not titles:
        message = _("Нет обязательного поля %(tag)s (заглавие).")
        errors.append(LineError(0, message % {"tag": title_tag}))
    elif not any(v.strip() for v in titles[0].values(title_code)):
        message = _("В поле %(tag)s нет подполя $%(code)s с основным заглавием.")
        index = record.fields.index(titles[0])
        errors.append(LineError(where[index], message % {"tag": title_tag, "code": title_code}))
    seen: set[str] = set()
    for index, fld in enumerate(record.fields):
        if fld.tag in once and fld.tag in seen:
            message = _("Поле %(tag)s не повторяется.")
            errors.append(LineError(where[index], message % {"tag": fld.tag}))
        seen.add(fld.tag)
        if fld.tag == isbn_tag:
            errors.extend(LineError(where[index], m) for m in _isbn_problems(fld.values("a")))
    return errors


def _isbn_problems(values: list[str]) -> list[str]:
    problems = []
    for value in values:
        digits = isbn_digits(value)
        if len(digits) not in (10, 13):
            message = _("ISBN «%(isbn)s» должен содержать 10 или 13 цифр.")
            problems.append(message % {"isbn": value})
        elif not isbn_is_valid(digits):
            message = _("ISBN «%(isbn)s»: неверная контрольная цифра.")
            problems.append(message % {"isbn": value})
    return problems
