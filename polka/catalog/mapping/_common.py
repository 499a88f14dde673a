"""Helpers shared by the MARC21 and RUSMARC mappings: field index, ISBD clean-up, dates, roles.

Everything here runs once or a few times per imported record, so patterns are compiled once at
import time and nothing scans the record's field list more than once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from polka.interop.marc.record import Field, MarcRecord

FieldIndex = dict[str, list[Field]]


def index_fields(record: MarcRecord) -> FieldIndex:
    """The record's fields grouped by tag, in record order (one pass over the field list)."""
    index: FieldIndex = {}
    for fld in record.fields:
        bucket = index.get(fld.tag)
        if bucket is None:
            index[fld.tag] = [fld]
        else:
            bucket.append(fld)
    return index


def first_of(index: FieldIndex, tag: str) -> Field | None:
    found = index.get(tag)
    return found[0] if found else None


def first_value(fld: Field | None, code: str) -> str:
    if fld is None:
        return ""
    for sf in fld.subfields:
        if sf.code == code:
            return sf.value
    return ""


def firsts(fld: Field) -> dict[str, str]:
    """The first value of each subfield code, in one pass (for fields read code by code)."""
    found: dict[str, str] = {}
    for sf in fld.subfields:
        if sf.code not in found:
            found[sf.code] = sf.value
    return found


# ISBD punctuation that cataloguers (MARC21 practice) leave at the end of a subfield before the
# next one: " /" before responsibility, " :" before remainder or publisher, " ;" before a
# parallel element, " =" before a parallel title, "," between name parts.
_TRAILING_PUNCT = re.compile(r"[\s/:;=,]+$")
_LEADING_PUNCT = re.compile(r"^[\s/:;=,]+")
# Words that end in a full stop because they are abbreviations: the stop is kept.
_ABBREVIATIONS = frozenset(
    (
        "изд",
        "ред",
        "пер",
        "сост",
        "авт",
        "илл",
        "доп",
        "перераб",
        "испр",
        "стер",
        "вступ",
        "примеч",
        "коммент",
        "обл",
        "худож",
        "сокр",
        "etc",
        "eds",
        "comp",
        "trans",
        "pbk",
        "hbk",
        "rev",
        "enl",
        "illus",
    )
)


_EDGE_CHARS = frozenset(" /:;=,.\t\n")


def _squeeze(value: str) -> str:
    """Runs of spaces (left by line-wrapped cataloguing) become one."""
    return " ".join(value.split()) if "  " in value else value


def clean(value: str) -> str:
    """Strip ISBD punctuation at both ends; drop a final stop unless it ends an abbreviation."""
    if not value:
        return value
    value = _squeeze(value)
    text = _TRAILING_PUNCT.sub("", value) if value[-1] in _EDGE_CHARS else value
    if text and text[0] in _EDGE_CHARS:
        text = _LEADING_PUNCT.sub("", text)
    if text.endswith(".") and not text.endswith(".."):
        body = text[:-1]
        word = body.rsplit(" ", 1)[-1]
        is_abbreviation = (
            "." in word or (len(word) <= 2 and word.isalpha()) or word.lower() in _ABBREVIATIONS
        )
        if not is_abbreviation:
            text = _TRAILING_PUNCT.sub("", body)
    return text


# " +" ends 300 $c before the accompanying material in $e.
_SEPARATORS_AT_END = re.compile(r"(?:\s\+|[\s/:;=,])+\.?$")
_KEEP_STOP_EDGE = _EDGE_CHARS | {"+"}


def clean_keeping_stop(value: str) -> str:
    """Strip ISBD separators but keep a final full stop: places ("СПб."), extents ("21 см.")
    and editions ("2-е изд.") end in abbreviations far more often than in a sentence stop."""
    if not value:
        return value
    value = _squeeze(value)
    if value[-1] not in _KEEP_STOP_EDGE and value[0] not in _EDGE_CHARS:
        return value
    return _LEADING_PUNCT.sub("", _SEPARATORS_AT_END.sub("", value)).strip()


_NAME_SUFFIXES = frozenset(("Jr", "Sr", "St", "мл", "ст"))


def clean_name(value: str) -> str:
    """A heading's name without its closing stop, unless that stop ends an initial ("J.")."""
    text = clean(value)
    if text.endswith("."):
        word = text[:-1].rsplit(" ", 1)[-1].rsplit(",", 1)[-1]
        if len(word) > 1 and "." not in word and word not in _NAME_SUFFIXES:
            text = text[:-1]
    return text


def join_clean(values: Iterable[str], separator: str, keep_stop: bool = False) -> str:
    cleaner = clean_keeping_stop if keep_stop else clean
    return separator.join(c for c in (cleaner(v) for v in values) if c)


# Non-sorting markers around a leading article: UNIMARC NSB/NSE (0x88/0x89), MARC21 0x98/0x9C.
_NON_SORTING = re.compile("[\x88\x89\x98\x9c]")


def without_non_sorting(value: str) -> str:
    return _NON_SORTING.sub("", value)


def uniform_title(index: FieldIndex, fields: Iterable[tuple[str, str]]) -> str:
    """The first uniform title among (tag, subfield codes), parts joined as ISBD does."""
    for tag, codes in fields:
        fld = first_of(index, tag)
        if fld is not None:
            text = join_clean((sf.value for sf in fld.subfields if sf.code in codes), ". ")
            if text:
                return without_non_sorting(text)
    return ""


_YEAR = re.compile(r"(?<!\d)([12]\d{3})(?!\d)")


def year_in(text: str) -> int | None:
    """The first four-digit year in a publication date such as "c1989.", "[2002?]", "1997-2000"."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def year_at(data: str, start: int) -> int | None:
    """A year in a fixed-length field (008/07-10, RUSMARC 100$a/09-12), if it is all digits."""
    chunk = data[start : start + 4]
    if len(chunk) == 4 and chunk.isdigit() and chunk != "0000":
        return int(chunk)
    return None


_AGE_MARK = re.compile(r"(?<![\d+])(0|6|12|16|18)\s?\+(?!\d)")


def age_mark_in(text: str) -> str:
    """The 436-FZ information product mark ("0+" … "18+") in a note, or ""."""
    match = _AGE_MARK.search(text)
    return match.group(1) + "+" if match else ""


def replace_age_mark(text: str, mark: str) -> str:
    """`text` with its age mark replaced by `mark` (removed when `mark` is empty)."""
    if not mark:
        return clean(_AGE_MARK.sub("", text, count=1)).strip()
    return _AGE_MARK.sub(mark, text, count=1)


_DATE_NUMBER = re.compile(r"\d{1,4}")
_DATE_DASH = re.compile(r"[-–—]")
_BORN = re.compile(r"^\s*(?:b\.|born|род\.|р\.)\s*", re.IGNORECASE)
_DIED = re.compile(r"^\s*(?:d\.|died|ум\.|сконч\.)\s*", re.IGNORECASE)
_BEFORE_CHRIST = re.compile(r"B\.\s?C|до\s?н\.\s?э|BC\b", re.IGNORECASE)
_NOT_LIFE_DATES = re.compile(r"fl\.|flourished|cent\.|century|в\.\s*$|вв\.", re.IGNORECASE)


def life_years(dates: str) -> tuple[int | None, int | None]:
    """Birth and death years from a heading's dates: "1828-1910", "b. 1950", "d. 1837", "1950-"."""
    if not dates or _NOT_LIFE_DATES.search(dates):
        return None, None
    sign = -1 if _BEFORE_CHRIST.search(dates) else 1
    if _BORN.match(dates):
        number = _DATE_NUMBER.search(dates)
        return (sign * int(number.group()) if number else None), None
    if _DIED.match(dates):
        number = _DATE_NUMBER.search(dates)
        return None, (sign * int(number.group()) if number else None)
    dash = _DATE_DASH.search(dates)
    if dash is None:
        return None, None
    before = _DATE_NUMBER.search(dates, 0, dash.start())
    after = _DATE_NUMBER.search(dates, dash.end())
    birth = sign * int(before.group()) if before else None
    death = sign * int(after.group()) if after else None
    if birth is not None and death is not None and sign > 0 and death < birth:
        # "1821-81": the second year is abbreviated.
        century = birth - birth % 10 ** len(after.group()) if after else 0
        death = century + death if century + death >= birth else None
    return birth, death


# MARC relator terms as written in $e (English and Russian abbreviations) → relator codes.
RELATOR_TERMS = {
    "author": "aut",
    "auth": "aut",
    "авт": "aut",
    "автор": "aut",
    "editor": "edt",
    "ed": "edt",
    "ред": "edt",
    "редактор": "edt",
    "под ред": "edt",
    "illustrator": "ill",
    "ill": "ill",
    "ил": "ill",
    "илл": "ill",
    "худож": "ill",
    "художник": "ill",
    "translator": "trl",
    "tr": "trl",
    "trans": "trl",
    "пер": "trl",
    "переводчик": "trl",
    "compiler": "com",
    "comp": "com",
    "сост": "com",
    "составитель": "com",
    "commentator": "cmm",
    "коммент": "cmm",
    "composer": "cmp",
    "комп": "cmp",
    "performer": "prf",
    "narrator": "nrt",
    "чтец": "nrt",
    "director": "drt",
    "photographer": "pht",
    "фот": "pht",
    "фотограф": "pht",
    "author of introduction": "aui",
    "вступ. ст": "aui",
    "writer of introduction": "aui",
    "conductor": "cnd",
    "дир": "cnd",
    "lyricist": "lyr",
    "librettist": "lbt",
    "arranger": "arr",
    "аранж": "arr",
    "contributor": "ctb",
    "publisher": "pbl",
    "printer": "prt",
    "singer": "sng",
}


def relator_code(code: str) -> str:
    """A $4 code as given ("prf.", "http://id.loc.gov/vocabulary/relators/aut") → "prf", "aut"."""
    return code.strip().rstrip("/.,;: ").rsplit("/", 1)[-1].lower()


def relator_from_term(term: str) -> str:
    """A relator code for a $e term ("ил.", "ed.", "translator"), or the cleaned term itself."""
    key = term.strip().rstrip(".,;: ").lower()
    return RELATOR_TERMS.get(key, key)
