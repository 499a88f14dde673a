"""The generic mapping, driven by a `Scheme` that names each element's tags and subfields.

MARC21 and RUSMARC describe the same things (title, imprint, extent, series, ISBN, subjects …)
in different places; one engine reads and writes them both, and marc21.py / rusmarc.py add
what really differs (authors, languages, material type, fixed-field dates, author mark, items).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from polka.catalog.mapping import edit
from polka.catalog.mapping._common import (
    FieldIndex,
    age_mark_in,
    clean,
    clean_keeping_stop,
    first_of,
    first_value,
    index_fields,
    join_clean,
    replace_age_mark,
    without_non_sorting,
    year_in,
)
from polka.catalog.mapping.isbn import normalise_isbn, normalise_issn
from polka.catalog.mapping.result import MappedAuthor, MappedRecord
from polka.interop.marc.record import Field, MarcRecord, Subfield

_YEAR_IN_TEXT = re.compile(r"(?<!\d)[12]\d{3}(?!\d)")
_EXTENT_PARTS = re.compile(r"^(.*?)(?: : (.*?))?(?: ; (.*?))?(?: \+ (.*))?$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Scheme:
    """Where one MARC format keeps each common element (tags, subfield codes, indicators)."""

    title_tag: str
    title_codes: str  # title proper (repeated: " ; "), remainder (" : "), parts, responsibility
    remainder_codes: str
    parts_codes: str
    responsibility_codes: str  # first statement, then subsequent ones (" ; ")
    title_order: str
    edition: tuple[str, str]
    imprint_preferred: tuple[str, str]  # (tag, second indicator) used when present, e.g. 264 _1
    imprint_tag: str
    imprint_codes: str  # place, publisher, date
    extent_tag: str
    extent_codes: str  # extent, other details, dimensions, accompanying material
    series_tags: tuple[str, ...]
    series_new_indicators: str
    isbn_tag: str
    issn_tag: str
    subject_tags: tuple[str, ...]
    subject_subdivisions: str
    subject_heading_joiner: str
    subject_new: tuple[str, str]  # (tag, indicators) for a subject typed into the form
    udc_tag: str
    bbk_tag: str
    bbk_sources: tuple[str, ...]  # $2 values that mark a BBK number (prefix match)
    bbk_new_source: str
    annotation_tag: str
    age_tags: tuple[str, ...]
    age_new: tuple[str, str]


def map_common(record: MarcRecord, scheme: Scheme) -> tuple[FieldIndex, MappedRecord]:
    """Read every element the scheme describes; the caller adds the format-specific ones."""
    index = index_fields(record)
    out = MappedRecord()
    control = first_of(index, "001")
    if control is not None and control.data:
        out.control_number = control.data.strip()
    _map_title(index, scheme, out)
    edition = first_value(first_of(index, scheme.edition[0]), scheme.edition[1])
    out.edition = clean_keeping_stop(edition)
    _map_imprint(index, scheme, out)
    out.extent = _map_extent(first_of(index, scheme.extent_tag), scheme.extent_codes)
    out.series = _map_series(index, scheme)
    _map_identifiers(index, scheme, out)
    out.subjects = [s for f in _subject_fields(record, index, scheme) if (s := _subject(f, scheme))]
    out.udc = clean(first_value(first_of(index, scheme.udc_tag), "a"))
    bbk_field = _bbk_field(index.get(scheme.bbk_tag, ()), scheme)
    out.bbk = clean(first_value(bbk_field, "a"))
    out.annotation = "\n".join(
        v.strip() for f in index.get(scheme.annotation_tag, ()) for v in f.values("a") if v
    )
    found = _age_mark_source(index, scheme)
    out.age_mark = age_mark_in(found[1].value) if found else ""
    out.links = _links(index.get("856", ()))
    return index, out


def _map_title(index: FieldIndex, scheme: Scheme, out: MappedRecord) -> None:
    fld = first_of(index, scheme.title_tag)
    if fld is None:
        out.warnings.append(f"no title field {scheme.title_tag}")
        return
    out.title = without_non_sorting(join_clean(fld.values(scheme.title_codes), " ; "))
    out.parts = _parts(fld, scheme.parts_codes)
    out.remainder_of_title = join_clean(_values(fld, scheme.remainder_codes), " : ")
    out.responsibility = join_clean(_values(fld, scheme.responsibility_codes), " ; ")
    if not out.title:
        out.warnings.append(f"empty title in {scheme.title_tag}")


def _parts(fld: Field, codes: str) -> str:
    """Number and name of parts ($n $p / $h $i): "Т. 2, Стихотворения. Кн. 1"."""
    number_code = codes[0]
    text = ""
    previous = ""
    for sf in fld.subfields:
        if sf.code not in codes:
            continue
        value = clean(sf.value)
        if value:
            joiner = ", " if previous == number_code and sf.code != number_code else ". "
            text = f"{text}{joiner}{value}" if text else value
            previous = sf.code
    return text


def _values(fld: Field, codes: str) -> Iterable[str]:
    return (sf.value for sf in fld.subfields if sf.code in codes)


def _imprint_fields(index: FieldIndex, scheme: Scheme) -> list[Field]:
    tag, ind2 = scheme.imprint_preferred
    preferred = [f for f in index.get(tag, ()) if f.indicators[1:2] == ind2]
    return preferred or index.get(scheme.imprint_tag) or list(index.get(tag, ()))


def _map_imprint(index: FieldIndex, scheme: Scheme, out: MappedRecord) -> None:
    place_code, publisher_code, date_code = tuple(scheme.imprint_codes)
    fields = _imprint_fields(index, scheme)
    places = (v for f in fields for v in f.values(place_code))
    out.place = join_clean(places, " ; ", keep_stop=True)
    out.publisher = join_clean((v for f in fields for v in f.values(publisher_code)), " : ")
    for fld in fields:
        for value in fld.values(date_code):
            year = year_in(value)
            if year is not None:
                out.year = year
                return


def _map_extent(fld: Field | None, codes: str) -> str:
    if fld is None:
        return ""
    text = clean_keeping_stop(first_value(fld, codes[0]))
    for code, separator in zip(codes[1:], (" : ", " ; ", " + "), strict=True):
        part = clean_keeping_stop(first_value(fld, code))
        if part:
            text = f"{text}{separator}{part}" if text else part
    return text


def _series_field(index: FieldIndex, scheme: Scheme) -> Field | None:
    for tag in scheme.series_tags:
        for fld in index.get(tag, ()):
            if first_value(fld, "a"):
                return fld
    return None


def _map_series(index: FieldIndex, scheme: Scheme) -> str:
    fld = _series_field(index, scheme)
    if fld is None:
        return ""
    title = without_non_sorting(clean(first_value(fld, "a")))
    number = clean(first_value(fld, "v"))
    return f"{title} ; {number}" if number else title


def _map_identifiers(index: FieldIndex, scheme: Scheme, out: MappedRecord) -> None:
    for fld in index.get(scheme.isbn_tag, ()):
        for sf in fld.subfields:
            if sf.code == "a" and sf.value.strip():
                isbn = normalise_isbn(sf.value)
                if isbn is None:
                    out.warnings.append(f"invalid ISBN {clean(sf.value)!r} in {fld.tag}$a")
                elif isbn not in out.isbns:
                    out.isbns.append(isbn)
            elif sf.code == "z" and sf.value.strip():
                out.warnings.append(
                    f"ISBN {clean(sf.value)!r} marked invalid or cancelled in {fld.tag}$z"
                )
    for fld in index.get(scheme.issn_tag, ()):
        for value in fld.values("a"):
            if not value.strip():
                continue
            issn = normalise_issn(value)
            if issn is None:
                out.warnings.append(f"invalid ISSN {value.strip()!r} in {fld.tag}$a")
            elif issn not in out.issns:
                out.issns.append(issn)


def _subject_fields(record: MarcRecord, index: FieldIndex, scheme: Scheme) -> list[Field]:
    """Subject fields in record order (600s and 650s may interleave), found without a scan
    when the record has none."""
    tags = scheme.subject_tags
    present = [tag for tag in tags if tag in index]
    if len(present) <= 1:
        return list(index[present[0]]) if present else []
    return [f for f in record.fields if f.tag in tags]


def _subject(fld: Field, scheme: Scheme) -> str:
    heading: list[str] = []
    subdivisions: list[str] = []
    for sf in fld.subfields:
        code = sf.code
        if code.isdigit() or code in "e4" or not sf.value.strip():
            continue
        (subdivisions if code in scheme.subject_subdivisions else heading).append(sf.value)
    if scheme.subject_heading_joiner == " ":
        head = clean(" ".join(v.strip() for v in heading))
    else:
        head = join_clean(heading, scheme.subject_heading_joiner)
    parts = [head] if head else []
    parts.extend(c for c in (clean(v) for v in subdivisions) if c)
    return " -- ".join(parts)


def _bbk_field(fields: Iterable[Field], scheme: Scheme) -> Field | None:
    for fld in fields:
        source = first_value(fld, "2").strip().lower()
        if source.startswith(scheme.bbk_sources) and first_value(fld, "a"):
            return fld
    return None


def _age_mark_source(index: FieldIndex, scheme: Scheme) -> tuple[Field, Subfield] | None:
    for tag in scheme.age_tags:
        for fld in index.get(tag, ()):
            for sf in fld.subfields:
                if sf.code == "a" and "+" in sf.value and age_mark_in(sf.value):
                    return fld, sf
    return None


def _links(fields: Iterable[Field]) -> list[dict[str, str]]:
    links = []
    for fld in fields:
        label = first_value(fld, "y") or first_value(fld, "3") or first_value(fld, "z")
        for url in fld.values("u"):
            if url.strip():
                links.append({"url": url.strip(), "label": clean(label)})
    return links


# ---------------------------------------------------------------------------------------------
# Writing the common elements back (the common-fields editor). Not on the import hot path.


def _ensure(record: MarcRecord, tag: str, indicators: str = "  ") -> Field:
    existing = edit.fields_of(record, tag)
    return existing[0] if existing else edit.insert_field(record, edit.new_field(tag, indicators))


def _split(value: str, separator: str) -> list[str]:
    return [p.strip() for p in value.split(separator) if p.strip()] if value else []


def write_title(record: MarcRecord, scheme: Scheme, key: str, value: str) -> None:
    fld = _ensure(record, scheme.title_tag, "10" if scheme.title_tag == "245" else "1 ")
    order = scheme.title_order
    if key == "title":
        edit.set_subfields(fld, scheme.title_codes, _split(value, " ; "), order=order)
    elif key == "remainder_of_title":
        _write_first_rest(fld, scheme.remainder_codes, _split(value, " : "), order)
    elif key == "parts":
        _write_first_rest(fld, scheme.parts_codes, [value] if value else [], order)
    else:
        _write_first_rest(fld, scheme.responsibility_codes, _split(value, " ; "), order)


def _write_first_rest(fld: Field, codes: str, pieces: list[str], order: str) -> None:
    """First piece into the first code; the rest into the second code (or the first again)."""
    if len(codes) == 1:
        edit.set_subfields(fld, codes, pieces, order=order)
        return
    edit.set_subfields(fld, codes[0], pieces[:1], order=order)
    edit.set_subfields(fld, codes[1], pieces[1:], order=order)
    for code in codes[2:]:
        edit.set_subfields(fld, code, [], order=order)


def write_edition(record: MarcRecord, scheme: Scheme, value: str) -> None:
    tag, code = scheme.edition
    fld = _ensure(record, tag)
    edit.set_subfield(fld, code, value)
    edit.drop_if_empty(record, fld, meaningful="ab")


def write_imprint(record: MarcRecord, scheme: Scheme, key: str, value: object) -> None:
    fields = _imprint_fields(index_fields(record), scheme)
    if not fields:
        fields = [edit.insert_field(record, edit.new_field(scheme.imprint_tag, "  "))]
    place_code, publisher_code, date_code = tuple(scheme.imprint_codes)
    order = scheme.imprint_codes
    if key == "year":
        _write_year(fields, date_code, value if isinstance(value, int) else None, order)
        return
    code, separator = (place_code, " ; ") if key == "place" else (publisher_code, " : ")
    pieces = _split(str(value or ""), separator)
    for fld in fields[1:]:
        edit.set_subfields(fld, code, [], order=order)
    edit.set_subfields(fields[0], code, pieces, order=order)


def _write_year(fields: list[Field], code: str, year: int | None, order: str) -> None:
    for fld in fields:
        for sf in fld.subfields:
            if sf.code == code and _YEAR_IN_TEXT.search(sf.value):
                if year is None:
                    edit.set_subfields(fld, code, [], order=order)
                else:
                    sf.value = _YEAR_IN_TEXT.sub(str(year), sf.value, count=1)
                return
    if year is not None:
        edit.set_subfield(fields[0], code, str(year), order=order)


def write_extent(record: MarcRecord, scheme: Scheme, value: str) -> None:
    fld = _ensure(record, scheme.extent_tag)
    match = _EXTENT_PARTS.match(value.strip())
    parts = match.groups() if match else (value, None, None, None)
    for code, part in zip(scheme.extent_codes, parts, strict=True):
        edit.set_subfield(fld, code, (part or "").strip(), order=scheme.extent_codes)
    edit.drop_if_empty(record, fld, meaningful=scheme.extent_codes)


def write_series(record: MarcRecord, scheme: Scheme, value: str) -> None:
    fld = _series_field(index_fields(record), scheme)
    if not value:
        for old in edit.fields_of(record, *scheme.series_tags):
            edit.remove_field(record, old)
        return
    if fld is None:
        new = edit.new_field(scheme.series_tags[0], scheme.series_new_indicators)
        fld = edit.insert_field(record, new)
    title, _, number = value.rpartition(" ; ") if " ; " in value else (value, "", "")
    edit.set_subfield(fld, "a", title.strip(), order="av")
    edit.set_subfield(fld, "v", number.strip(), order="av")


def write_isbns(record: MarcRecord, scheme: Scheme, values: list[str]) -> None:
    _write_identifiers(record, scheme.isbn_tag, values, normalise_isbn)


def write_issns(record: MarcRecord, scheme: Scheme, values: list[str]) -> None:
    _write_identifiers(record, scheme.issn_tag, values, normalise_issn)


def _write_identifiers(
    record: MarcRecord, tag: str, values: list[str], normalise: Callable[[str], str | None]
) -> None:
    """Drop the fields whose valid number is no longer wanted, add fields for new numbers;
    fields with only invalid numbers (reported as warnings) stay as they are."""
    wanted = [normalise(v) or v for v in values]
    kept: set[str] = set()
    for fld in edit.fields_of(record, tag):
        valid = [n for n in (normalise(v) for v in fld.values("a")) if n]
        if valid and not set(valid) & set(wanted):
            edit.remove_field(record, fld)
        kept.update(valid)
    for number in wanted:
        if number not in kept:
            edit.insert_field(record, edit.new_field(tag, "  ", ("a", number)))
            kept.add(number)


def write_subjects(record: MarcRecord, scheme: Scheme, values: list[str]) -> None:
    remaining = list(values)
    for fld in edit.fields_of(record, *scheme.subject_tags):
        text = _subject(fld, scheme)
        if text in remaining:
            remaining.remove(text)
        elif text:
            edit.remove_field(record, fld)
    tag, indicators = scheme.subject_new
    for text in remaining:
        heading, *subdivisions = _split(text, " -- ") or [text]
        pairs = [("a", heading), *(("x", s) for s in subdivisions)]
        edit.insert_field(record, edit.new_field(tag, indicators, *pairs))


def write_udc(record: MarcRecord, scheme: Scheme, value: str) -> None:
    if not value:  # every number goes, or the next one would surface
        for old in edit.fields_of(record, scheme.udc_tag):
            edit.remove_field(record, old)
        return
    fld = _ensure(record, scheme.udc_tag)
    edit.set_subfield(fld, "a", value, order="a2")
    edit.drop_if_empty(record, fld, meaningful="a")


def write_bbk(record: MarcRecord, scheme: Scheme, value: str) -> None:
    if not value:
        while (old := _bbk_field(edit.fields_of(record, scheme.bbk_tag), scheme)) is not None:
            edit.remove_field(record, old)
        return
    fld = _bbk_field(edit.fields_of(record, scheme.bbk_tag), scheme)
    if fld is None:
        if not value:
            return
        pairs = (("a", value), ("2", scheme.bbk_new_source))
        edit.insert_field(record, edit.new_field(scheme.bbk_tag, "  ", *pairs))
        return
    edit.set_subfield(fld, "a", value, order="a2")
    edit.drop_if_empty(record, fld, meaningful="a")


def write_annotation(record: MarcRecord, scheme: Scheme, value: str) -> None:
    existing = edit.fields_of(record, scheme.annotation_tag)
    for extra in existing[1:]:
        edit.remove_field(record, extra)
    fld = existing[0] if existing else None
    if fld is None:
        if value:
            edit.insert_field(record, edit.new_field(scheme.annotation_tag, "  ", ("a", value)))
        return
    edit.set_subfields(fld, "a", [value] if value else [], order="a")
    edit.drop_if_empty(record, fld, meaningful="a")


def write_age_mark(record: MarcRecord, scheme: Scheme, value: str) -> None:
    found = _age_mark_source(index_fields(record), scheme)
    if found is None:
        if value:
            tag, indicators = scheme.age_new
            edit.insert_field(record, edit.new_field(tag, indicators, ("a", value)))
        return
    fld, sf = found
    text = replace_age_mark(sf.value, value)
    if text:
        sf.value = text
    else:
        fld.subfields = [s for s in fld.subfields if s is not sf]
        edit.drop_if_empty(record, fld, meaningful="abcdefghijklmnopqrstuvwxyz")


def write_common(record: MarcRecord, scheme: Scheme, key: str, value: object) -> bool:
    """Write one common element the scheme describes; False when the format must do it."""
    text = value if isinstance(value, str) else ""
    items = [str(v) for v in value] if isinstance(value, list) else []
    if key in ("title", "remainder_of_title", "parts", "responsibility"):
        write_title(record, scheme, key, text)
    elif key in ("place", "publisher", "year"):
        write_imprint(record, scheme, key, value)
    elif key in _TEXT_WRITERS:
        _TEXT_WRITERS[key](record, scheme, text)
    elif key in _LIST_WRITERS:
        _LIST_WRITERS[key](record, scheme, items)
    else:
        return False
    return True


_TEXT_WRITERS = {
    "edition": write_edition,
    "extent": write_extent,
    "series": write_series,
    "udc": write_udc,
    "bbk": write_bbk,
    "annotation": write_annotation,
    "age_mark": write_age_mark,
}
_LIST_WRITERS = {
    "isbns": write_isbns,
    "issns": write_issns,
    "subjects": write_subjects,
}


@dataclass(frozen=True, slots=True)
class AuthorRules:
    """How one format keeps its authors: which tags, in which order, and how to read/build."""

    tags: tuple[str, ...]
    reading_order: tuple[str, ...]  # main entry first, then by responsibility
    primary_tags: tuple[str, ...]
    read: Callable[[Field], MappedAuthor]
    build: Callable[[MappedAuthor, str], Field]
    # choose_tag(author, is_first, primary_taken) gives the tag for a new author's field
    choose_tag: Callable[[MappedAuthor, bool, bool], str]


@dataclass(frozen=True, slots=True)
class Format:
    """A MARC format: its scheme plus the writers for what only it knows how to write."""

    scheme: Scheme
    authors: AuthorRules
    write_languages: Callable[[MarcRecord, list[str]], None]
    write_author_mark: Callable[[MarcRecord, str], None]
    write_fixed_year: Callable[[MarcRecord, int | None], None]  # 008/07-10, 100$a/09-12


def read_authors(index: FieldIndex, rules: AuthorRules) -> list[MappedAuthor]:
    return [
        rules.read(f)
        for tag in rules.reading_order
        for f in index.get(tag, ())
        if first_value(f, "a")
    ]


def write_element(fmt: Format, record: MarcRecord, key: str, value: object) -> None:
    """Write one editable element of `fmt` into `record` (changed in place)."""
    if write_common(record, fmt.scheme, key, value):
        if key == "year":
            fmt.write_fixed_year(record, value if isinstance(value, int) else None)
    elif key == "languages":
        fmt.write_languages(record, [str(v) for v in value] if isinstance(value, list) else [])
    elif key == "author_mark":
        fmt.write_author_mark(record, str(value or ""))
    elif key == "authors":
        write_authors(record, value if isinstance(value, list) else [], fmt.authors)
    else:
        raise KeyError(key)


def write_authors(record: MarcRecord, authors: list[MappedAuthor], rules: AuthorRules) -> None:
    """Replace the author fields by `authors`, reusing the field of every author that did not
    change (so authority links, qualifiers and indicators survive an edit of someone else)."""
    pool = [(_author_key(rules.read(f)), f) for f in edit.fields_of(record, *rules.tags)]
    for _, fld in pool:
        edit.remove_field(record, fld)
    slots: list[Field | MappedAuthor] = []
    for author in authors:
        key = _author_key(author)
        reused = next((i for i, (k, _) in enumerate(pool) if k == key), None)
        slots.append(pool.pop(reused)[1] if reused is not None else author)
    primary_taken = any(isinstance(s, Field) and s.tag in rules.primary_tags for s in slots)
    for position, slot in enumerate(slots):
        if isinstance(slot, Field):
            edit.insert_field(record, slot)
            continue
        tag = rules.choose_tag(slot, position == 0, primary_taken)
        primary_taken = primary_taken or tag in rules.primary_tags
        edit.insert_field(record, rules.build(slot, tag))


def _author_key(author: MappedAuthor) -> tuple[str, str, str, bool]:
    return (author.name, author.role, author.dates, author.corporate)
