"""Repairs shared by the readers: leader, tag and indicators of records that are already text
(MARCXML, MARC-in-JSON), and making any record read writable by every exporter."""

from __future__ import annotations

import functools
import re

from polka.interop.marc.record import Field, MarcRecord, Subfield

# A leader for a record that came without one: lengths are filled in when it is written.
DEFAULT_LEADER = "00000nam a2200000 i 4500"


def clean_leader(leader: str | None, repairs: list[str]) -> str:
    if leader is None:
        repairs.append("leader: missing, a default leader used")
        return DEFAULT_LEADER
    if len(leader) != 24:
        repairs.append(f"leader: {len(leader)} characters, not 24")
        leader = leader.ljust(24)[:24]
    return leader


def clean_tag(tag: str | None, repairs: list[str]) -> str:
    if tag is None or not tag.strip():
        repairs.append("tag: missing, read as '???'")
        return "???"
    if len(tag) != 3:
        fixed = tag.strip().zfill(3)[:3]
        repairs.append(f"tag: {tag!r} read as {fixed!r}")
        return fixed
    return tag


def clean_indicator(value: str | None, tag: str, repairs: list[str]) -> str:
    if value is None:
        return " "
    if len(value) != 1:
        fixed = (value + " ")[0]
        repairs.append(f"indicators: field {tag} indicator {value!r} read as {fixed!r}")
        return fixed
    return value


# --- making a read record writable by every exporter ------------------------------------------

# Where a field whose tag cannot be recovered goes: a local (9XX) field, free in MARC21 and
# RUSMARC and unused by Polka's mappings. Its first subfield, $9, keeps the tag as received
# (unprintable characters as \xNN), then come the field's own subfields, or its data in $a
# for a control field. Documented in docs/marc.md.
LOCAL_TAG = "989"
ORIGINAL_TAG_CODE = "9"

# MARC21 slim's tagDataType (UNISlim's pattern allows more), less the control-field range.
_DATA_TAG = re.compile(
    r"0[1-9A-Z][0-9A-Z]|0[1-9a-z][0-9a-z]|[1-9A-Z][0-9A-Z]{2}|[1-9a-z][0-9a-z]{2}"
)
# Characters no exporter can carry in a value: XML 1.0's forbidden ones, which include the
# ISO 2709 delimiters 0x1D-0x1F.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _shown(text: str) -> str:
    return "".join(c if c.isprintable() and c.isascii() else f"\\x{ord(c):02x}" for c in text)


def _value(text: str, where: str, repairs: list[str]) -> str:
    cleaned, count = _UNWRITABLE.subn("", text)
    if count:
        repairs.append(f"control characters: {count} removed from {where}")
    return cleaned


def make_exportable(record: MarcRecord, repairs: list[str]) -> None:
    """Make `record` writable as ISO 2709, MARCXML (valid against MARC21slim/UNISlim) and
    MARC-in-JSON, reporting each change in `repairs`: a field with a tag that is not a valid
    control (001-009) or data tag moves to LOCAL_TAG, its tag kept in $9; indicators and
    subfield codes that are not printable ASCII become a blank and "?"; control characters
    are removed from values. A sound record is left untouched."""
    # Nearly every record is sound: one look at all its text decides whether values need
    # cleaning one by one (a look per value was a twentieth of an import).
    texts = [
        f.data if f.data is not None else "".join([sf.value for sf in f.subfields])
        for f in record.fields
    ]
    clean = _UNWRITABLE.search("".join(texts)) is None
    for index, field in enumerate(record.fields):
        tag = field.tag
        if field.data is not None:
            if tag in _CONTROL_TAGS:
                if not clean:
                    field.data = _value(field.data, f"field {tag}", repairs)
                continue
            moved = [Subfield(ORIGINAL_TAG_CODE, _shown(tag)), Subfield("a", field.data)]
            field = record.fields[index] = Field(LOCAL_TAG, "  ", moved)
            repairs.append(
                f"tag: {_shown(tag)!r} is not a control field's tag, field moved to"
                f" {LOCAL_TAG} (tag as received in ${ORIGINAL_TAG_CODE})"
            )
        elif not _data_tag(tag):
            moved = [Subfield(ORIGINAL_TAG_CODE, _shown(tag)), *field.subfields]
            field = record.fields[index] = Field(LOCAL_TAG, field.indicators, moved)
            repairs.append(
                f"tag: {_shown(tag)!r} cannot be recovered, field moved to {LOCAL_TAG}"
                f" (tag as received in ${ORIGINAL_TAG_CODE})"
            )
        # Printable ASCII is enough here: the MARCXML writer maps what its schema refuses
        # (a "#" for blank, say) and ISO 2709 and JSON carry it as it came.
        given = field.indicators
        if not (len(given) == 2 and given.isascii() and given.isprintable()):
            indicators = "".join(c if " " <= c <= "~" else " " for c in given.ljust(2)[:2])
            if indicators != given:
                repairs.append(
                    f"indicators: field {field.tag} {_shown(given)!r} written as {indicators!r}"
                )
                field.indicators = indicators
        for subfield in field.subfields:
            code = subfield.code
            if len(code) != 1 or not " " < code <= "~":
                repairs.append(
                    f"subfield code: {_shown(code)!r} in field {field.tag} written as '?'"
                )
                subfield.code = "?"
            if not clean:
                subfield.value = _value(subfield.value, f"field {field.tag}", repairs)


_CONTROL_TAGS = frozenset(f"00{n}" for n in range(1, 10))


@functools.lru_cache(maxsize=4096)
def _data_tag(tag: str) -> bool:
    return _DATA_TAG.fullmatch(tag) is not None
