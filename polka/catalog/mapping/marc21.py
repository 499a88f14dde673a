"""MARC21 bibliographic records → MappedRecord, and the common fields written back.

Author mark: Russian MARC21 records (e.g. the Book Chamber's) carry it as the item part of the
call number, 852 $i; a local 090 $b, when present, wins. Holdings: 852 and Koha's 952.
"""

from __future__ import annotations

from polka.catalog.mapping import edit
from polka.catalog.mapping._common import (
    FieldIndex,
    clean,
    clean_name,
    first_of,
    first_value,
    firsts,
    join_clean,
    life_years,
    relator_code,
    relator_from_term,
    uniform_title,
    year_at,
)
from polka.catalog.mapping.holdings import marc21_items
from polka.catalog.mapping.result import MappedAuthor, MappedRecord
from polka.catalog.mapping.scheme import AuthorRules, Format, Scheme, map_common, read_authors
from polka.interop.marc.record import Field, MarcRecord, Subfield

SCHEME = Scheme(
    title_tag="245",
    title_codes="a",
    remainder_codes="b",
    parts_codes="np",
    responsibility_codes="c",
    title_order="ahnpbfgksc",
    edition=("250", "a"),
    imprint_preferred=("264", "1"),
    imprint_tag="260",
    imprint_codes="abc",
    extent_tag="300",
    extent_codes="abce",
    series_tags=("490", "440", "830"),
    series_new_indicators="0 ",
    isbn_tag="020",
    issn_tag="022",
    subject_tags=("600", "610", "611", "630", "648", "650", "651", "653", "655"),
    subject_subdivisions="vxyz",
    subject_heading_joiner=" ",
    subject_new=("650", " 4"),
    udc_tag="080",
    bbk_tag="084",
    bbk_sources=("rubbk", "bbk"),
    bbk_new_source="rubbk",
    annotation_tag="520",
    age_tags=("521", "500"),
    age_new=("521", "  "),
)

AUTHOR_TAGS = ("100", "110", "111", "700", "710", "711")
_PRIMARY_TAGS = ("100", "110", "111")


# 130 (main entry) or 240 (with a 1XX author): title, number and name of a part; the
# language ($l) and version ($s) stay out, so translations group with their original.
UNIFORM_TITLE = (("130", "anp"), ("240", "anp"))


def map_marc21(record: MarcRecord) -> MappedRecord:
    index, out = map_common(record, SCHEME)
    fixed = first_of(index, "008")
    data_008 = (fixed.data or "") if fixed is not None else ""
    if out.year is None:
        out.year = year_at(data_008, 7)
    out.languages = _languages(data_008, index)
    out.material_type = material_type(record.leader, data_008, index)
    kind = record.leader[6:7]
    if kind in _NOT_BIBLIOGRAPHIC:
        out.warnings.append(
            f"not a bibliographic record: leader/06 {kind!r} ({_NOT_BIBLIOGRAPHIC[kind]})"
        )
    out.author_mark = _author_mark(index)
    out.authors = read_authors(index, FORMAT.authors)
    out.uniform_title = uniform_title(index, UNIFORM_TITLE)
    out.items = marc21_items(index)
    return out


_NOT_BIBLIOGRAPHIC = {
    "z": "authority", "q": "community information", "u": "holdings", "v": "holdings",
    "x": "holdings", "y": "holdings",
}  # fmt: skip


def _is_language(code: str) -> bool:
    return len(code) == 3 and code.isalpha() and code.islower()


def _languages(data_008: str, index: FieldIndex) -> list[str]:
    found: list[str] = []
    primary = data_008[35:38]
    if _is_language(primary):
        found.append(primary)
    for fld in index.get("041", ()):
        for value in fld.values("a"):
            value = value.strip()
            # Older records run several codes together: "engrus".
            codes = [value[i : i + 3] for i in range(0, len(value), 3)]
            found.extend(c for c in codes if _is_language(c) and c not in found)
    return found


_TYPE_BY_LEADER = {
    "c": "score",
    "d": "score",
    "e": "map",
    "f": "map",
    "g": "video",
    "i": "audio",
    "j": "audio",
    "k": "graphic",
    "m": "electronic",
    "o": "kit",
    "p": "other",
    "r": "other",
}


def material_type(leader: str, data_008: str, index: FieldIndex) -> str:
    kind = leader[6:7]
    level = leader[7:8]
    if kind in ("a", "t", ""):
        if level in ("a", "b"):
            return "article"
        if level in ("s", "i"):
            return "serial"
        if len(data_008) > 23:
            # 008/23 form of item; a 007 "cr" beside a blank form is a digitised reproduction
            # of a printed book (LC practice), not an e-book.
            return "ebook" if data_008[23] in ("o", "q", "s") else "book"
        computer = any((f.data or "").startswith("c") for f in index.get("007", ()))
        return "ebook" if computer else "book"
    return _TYPE_BY_LEADER.get(kind, "other")


def _author_mark(index: FieldIndex) -> str:
    local = first_value(first_of(index, "090"), "b")
    if local:
        return clean(local)
    for fld in index.get("852", ()):
        item_part = first_value(fld, "i")
        if item_part:
            return clean(item_part)
    return ""


def _role(tag: str, sub: dict[str, str], default: str) -> str:
    code = relator_code(sub.get("4", ""))
    if code:
        return code
    term = sub.get("e") or (sub.get("j", "") if tag.endswith("11") else "")
    return relator_from_term(term) if term.strip() else default


def read_author(fld: Field) -> MappedAuthor:
    default_role = "aut" if fld.tag in _PRIMARY_TAGS else ""
    sub = firsts(fld)
    if fld.tag.endswith("00"):
        name = clean_name(sub.get("a", ""))
        numeration = clean(sub.get("b", ""))
        if numeration:
            name = f"{name} {numeration}"
        dates = clean(sub.get("d", ""))
        fuller = clean(sub.get("q", "")).strip("()")
        birth, death = life_years(dates)
        return MappedAuthor(
            name=name,
            role=_role(fld.tag, sub, default_role),
            dates=dates,
            birth_year=birth,
            death_year=death,
            name_forms=[f"{name} ({fuller})"] if fuller else [],
        )
    name = join_clean((sf.value for sf in fld.subfields if sf.code in "ab"), ". ")
    return MappedAuthor(name=name, role=_role(fld.tag, sub, default_role), corporate=True)


def _build_author(author: MappedAuthor, tag: str) -> Field:
    fld = Field(tag, "2 " if author.corporate else "1 ")
    fld.subfields.append(Subfield("a", author.name))
    if author.dates and not author.corporate:
        fld.subfields.append(Subfield("d", author.dates))
    role = author.role
    if len(role) == 3 and role.isalpha() and role.islower():
        fld.subfields.append(Subfield("4", role))
    elif role:
        fld.subfields.append(Subfield("e", role))
    return fld


def _choose_tag(author: MappedAuthor, is_first: bool, primary_taken: bool) -> str:
    main = is_first and not primary_taken and author.role in ("aut", "")
    if author.corporate:
        return "110" if main else "710"
    return "100" if main else "700"


def _write_fixed_year(record: MarcRecord, year: int | None) -> None:
    _write_008(record, 7, str(year) if year is not None else "uuuu")


def _write_008(record: MarcRecord, start: int, value: str) -> bool:
    for fld in edit.fields_of(record, "008"):
        if fld.data is not None and len(fld.data) >= start:
            fld.data = edit.set_fixed(fld.data, start, value)
            return True
    return False


def _write_languages(record: MarcRecord, languages: list[str]) -> None:
    has_008 = _write_008(record, 35, languages[0] if languages else "   ")
    existing = edit.fields_of(record, "041")
    if has_008 and len(languages) <= 1 and not existing:
        return
    fld = existing[0] if existing else edit.insert_field(record, edit.new_field("041", "0 "))
    edit.set_subfields(fld, "a", languages, order="abdefghjkm")
    edit.drop_if_empty(record, fld, meaningful="abdefghjkm")


def _write_author_mark(record: MarcRecord, mark: str) -> None:
    local = edit.fields_of(record, "090")
    target = local[0] if local else None
    if target is None:
        target = next((f for f in edit.fields_of(record, "852") if first_value(f, "i")), None)
        if target is not None:
            edit.set_subfield(target, "i", mark, order="abcdefghijklmnpqt")
            return
    if target is None:
        if not mark:
            return
        target = edit.insert_field(record, edit.new_field("090", "  "))
    edit.set_subfield(target, "b", mark, order="ab")
    edit.drop_if_empty(record, target, meaningful="ab")


FORMAT = Format(
    scheme=SCHEME,
    authors=AuthorRules(
        tags=AUTHOR_TAGS,
        reading_order=AUTHOR_TAGS,
        primary_tags=_PRIMARY_TAGS,
        read=read_author,
        build=_build_author,
        choose_tag=_choose_tag,
    ),
    write_languages=_write_languages,
    write_author_mark=_write_author_mark,
    write_fixed_year=_write_fixed_year,
)
