"""RUSMARC (and UNIMARC) bibliographic records → MappedRecord, and the common fields written back.

Author mark: field 908 (IRBIS and RUSMARC local practice). Holdings: RUSMARC 899, IRBIS 910,
Koha-UNIMARC 995. Relator codes in $4 are UNIMARC numeric codes, given out as MARC codes.
"""

from __future__ import annotations

from polka.catalog.mapping import edit
from polka.catalog.mapping._common import (
    FieldIndex,
    clean,
    first_of,
    first_value,
    firsts,
    join_clean,
    life_years,
    uniform_title,
    year_at,
)
from polka.catalog.mapping.holdings import rusmarc_items
from polka.catalog.mapping.result import MappedAuthor, MappedRecord
from polka.catalog.mapping.scheme import AuthorRules, Format, Scheme, map_common, read_authors
from polka.interop.marc.record import Field, MarcRecord, Subfield

SCHEME = Scheme(
    title_tag="200",
    title_codes="a",
    remainder_codes="e",
    parts_codes="hi",
    responsibility_codes="fg",
    title_order="abhicdefgvz",
    edition=("205", "a"),
    imprint_preferred=("214", "0"),
    imprint_tag="210",
    imprint_codes="acd",
    extent_tag="215",
    extent_codes="acde",
    series_tags=("225", "410"),
    series_new_indicators="1 ",
    isbn_tag="010",
    issn_tag="011",
    subject_tags=("600", "601", "602", "604", "605", "606", "607", "608", "610", "615", "616"),
    subject_subdivisions="jxyz",
    subject_heading_joiner=", ",
    subject_new=("606", "0 "),
    udc_tag="675",
    bbk_tag="686",
    bbk_sources=("rubbk", "bbk"),
    bbk_new_source="rubbk",
    annotation_tag="330",
    age_tags=("333", "300", "316"),
    age_new=("333", "  "),
)

PERSON_TAGS = ("700", "701", "702")
BODY_TAGS = ("710", "711", "712")
AUTHOR_TAGS = PERSON_TAGS + BODY_TAGS
_PRIMARY_TAGS = ("700", "710")
# Authors are listed by responsibility: primary (700/710), alternative (701/711), secondary.
_READING_ORDER = ("700", "710", "701", "711", "702", "712")

# UNIMARC relator codes (Appendix C) → MARC relator codes, for the roles libraries record most.
RELATORS = {
    "005": "act",
    "010": "adp",
    "020": "ann",
    "030": "arr",
    "040": "art",
    "060": "asn",
    "070": "aut",
    "072": "aqt",
    "075": "aft",
    "080": "aui",
    "090": "aud",
    "100": "ant",
    "110": "bnd",
    "130": "bkd",
    "140": "bjd",
    "160": "bsl",
    "170": "cll",
    "180": "ctg",
    "190": "cns",
    "200": "chr",
    "205": "clb",
    "210": "cmm",
    "212": "cwt",
    "220": "com",
    "230": "cmp",
    "240": "cmt",
    "245": "ccp",
    "250": "cnd",
    "255": "csp",
    "260": "cph",
    "270": "crr",
    "273": "cur",
    "275": "dnc",
    "280": "dte",
    "290": "dto",
    "295": "dgg",
    "300": "drt",
    "305": "dis",
    "310": "dst",
    "320": "dnr",
    "330": "dub",
    "340": "edt",
    "350": "egr",
    "360": "etr",
    "365": "exp",
    "370": "flm",
    "380": "frg",
    "390": "fmo",
    "400": "fnd",
    "410": "grt",
    "420": "hnr",
    "430": "ilu",
    "440": "ill",
    "450": "ins",
    "460": "ive",
    "470": "ivr",
    "480": "lbt",
    "490": "lse",
    "500": "lso",
    "510": "ltg",
    "520": "lyr",
    "530": "mte",
    "540": "mon",
    "550": "nrt",
    "555": "opn",
    "557": "orm",
    "560": "org",
    "570": "oth",
    "580": "ppm",
    "582": "pta",
    "584": "inv",
    "587": "pth",
    "590": "prf",
    "595": "res",
    "600": "pht",
    "605": "pre",
    "610": "prt",
    "620": "pop",
    "630": "pro",
    "635": "prg",
    "637": "pmn",
    "640": "pfr",
    "650": "pbl",
    "651": "pbd",
    "660": "rcp",
    "670": "rce",
    "673": "rth",
    "675": "rev",
    "677": "rtm",
    "680": "rbr",
    "690": "sce",
    "695": "sad",
    "700": "scr",
    "705": "scl",
    "710": "sec",
    "720": "sgn",
    "721": "sng",
    "723": "spn",
    "725": "stn",
    "727": "ths",
    "730": "trl",
    "740": "tyd",
    "750": "tyg",
    "755": "voc",
    "760": "wde",
    "770": "wam",
}
_CODES = {marc: unimarc for unimarc, marc in RELATORS.items()}


# 500: the uniform title (title, number and name of a part; not the language or version).
UNIFORM_TITLE = (("500", "ahi"),)


def map_rusmarc(record: MarcRecord) -> MappedRecord:
    index, out = map_common(record, SCHEME)
    coded = first_value(first_of(index, "100"), "a")
    if out.year is None:
        out.year = year_at(coded, 9)
    out.languages = _languages(index)
    out.material_type = material_type(record.leader, index)
    if record.leader[6:7] in ("x", "y", "z"):  # UNIMARC/Authorities entry, reference, note
        out.warnings.append(f"not a bibliographic record: leader/06 {record.leader[6:7]!r}")
    out.author_mark = _author_mark(index)
    out.authors = read_authors(index, FORMAT.authors)
    out.uniform_title = uniform_title(index, UNIFORM_TITLE)
    out.items = rusmarc_items(index)
    return out


def _languages(index: FieldIndex) -> list[str]:
    found: list[str] = []
    for fld in index.get("101", ()):
        for value in fld.values("a"):
            code = value.strip().lower()
            if len(code) == 3 and code.isalpha() and code not in found:
                found.append(code)
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
    "l": "electronic",
    "m": "kit",
    "r": "other",
}


def material_type(leader: str, index: FieldIndex) -> str:
    kind = leader[6:7]
    level = leader[7:8]
    if kind in ("a", "b", ""):
        if level == "a":
            return "article"
        if level in ("s", "i"):
            return "serial"
        carrier = first_value(first_of(index, "106"), "a")[:1]
        return "ebook" if carrier == "s" or "135" in index else "book"
    return _TYPE_BY_LEADER.get(kind, "other")


def _author_mark(index: FieldIndex) -> str:
    fld = first_of(index, "908")
    if fld is None:
        return ""
    # IRBIS writes 908 without subfields; an ISO 2709 reader may give it as plain data.
    return clean(first_value(fld, "a") or fld.data or "")


def _role(tag: str, sub: dict[str, str]) -> str:
    code = sub.get("4", "").strip()
    if code:
        return RELATORS.get(code, code)
    return "aut" if tag in ("700", "701", "710", "711") else ""


def read_author(fld: Field) -> MappedAuthor:
    sub = firsts(fld)
    if fld.tag in BODY_TAGS:
        name = join_clean((sf.value for sf in fld.subfields if sf.code in "ab"), ". ")
        return MappedAuthor(name=name, role=_role(fld.tag, sub), corporate=True)
    surname = clean(sub.get("a", ""))
    initials = clean(sub.get("b", ""))
    forenames = clean(sub.get("g", ""))
    given = forenames or initials
    name = f"{surname}, {given}" if given else surname
    numeral = clean(sub.get("d", ""))
    if numeral:
        name = f"{name} {numeral}"
    dates = clean(sub.get("f", ""))
    birth, death = life_years(dates)
    return MappedAuthor(
        name=name,
        role=_role(fld.tag, sub),
        dates=dates,
        birth_year=birth,
        death_year=death,
        name_forms=[f"{surname}, {initials}"] if forenames and initials else [],
    )


def initials_of(forenames: str) -> str:
    """ "Лев Николаевич" → "Л. Н."; names already given as initials are kept."""
    return " ".join(part[0] + "." for part in forenames.replace(".", " ").split() if part)


def _build_author(author: MappedAuthor, tag: str) -> Field:
    code = _CODES.get(author.role, author.role if author.role.isdigit() else "")
    if author.corporate:
        return edit.new_field(tag, "02", ("a", author.name), ("4", code))
    surname, _, given = author.name.partition(",")
    given = given.strip()
    spelled_out = any(len(part.rstrip(".")) > 1 for part in given.split())
    fld = Field(tag, " 1", [Subfield("a", surname.strip())])
    if given:
        fld.subfields.append(Subfield("b", initials_of(given) if spelled_out else given))
    if spelled_out:
        fld.subfields.append(Subfield("g", given))
    for sub, value in (("f", author.dates), ("4", code)):
        if value:
            fld.subfields.append(Subfield(sub, value))
    return fld


def _choose_tag(author: MappedAuthor, is_first: bool, primary_taken: bool) -> str:
    tags = BODY_TAGS if author.corporate else PERSON_TAGS
    if author.role not in ("aut", ""):
        return tags[2]
    return tags[0] if is_first and not primary_taken else tags[1]


def _write_languages(record: MarcRecord, languages: list[str]) -> None:
    fld = next(iter(edit.fields_of(record, "101")), None)
    if fld is None:
        fld = edit.insert_field(record, edit.new_field("101", "0 "))
    edit.set_subfields(fld, "a", languages, order="abcdefghij")
    edit.drop_if_empty(record, fld, meaningful="abcdefghij")


def _write_coded_year(record: MarcRecord, year: int | None) -> None:
    """Keep 100$a/09-12 (date 1) in step, since mapping falls back to it."""
    for fld in edit.fields_of(record, "100"):
        for sf in fld.subfields:
            if sf.code == "a" and len(sf.value) >= 9:
                sf.value = edit.set_fixed(sf.value, 9, str(year) if year else "    ")
                return


def _write_author_mark(record: MarcRecord, mark: str) -> None:
    existing = edit.fields_of(record, "908")
    if not existing:
        if mark:
            edit.insert_field(record, edit.new_field("908", "  ", ("a", mark)))
        return
    fld = existing[0]
    if fld.data is not None and not fld.subfields:
        fld.data = None
    edit.set_subfield(fld, "a", mark, order="a")
    edit.drop_if_empty(record, fld, meaningful="a")


FORMAT = Format(
    scheme=SCHEME,
    authors=AuthorRules(
        tags=AUTHOR_TAGS,
        reading_order=_READING_ORDER,
        primary_tags=_PRIMARY_TAGS,
        read=read_author,
        build=_build_author,
        choose_tag=_choose_tag,
    ),
    write_languages=_write_languages,
    write_author_mark=_write_author_mark,
    write_fixed_year=_write_coded_year,
)
