"""Small, careful edits of a MarcRecord used by `apply_mapped`: set or drop a subfield, add or
remove a field, keeping the record's own punctuation and field order."""

from __future__ import annotations

import re

from polka.interop.marc.record import Field, MarcRecord, Subfield

# Only separators are carried over: a lone final stop may belong to an abbreviation ("М.").
_TRAILING = re.compile(r"\s*[/:;=,][\s/:;=,.]*$")


def fields_of(record: MarcRecord, *tags: str) -> list[Field]:
    return [f for f in record.fields if f.tag in tags]


def with_old_punctuation(old: str, new: str) -> str:
    """`new` followed by the ISBD punctuation that ended `old` (" /", " :", "."), if any."""
    match = _TRAILING.search(old)
    if match is None or not new:
        return new
    tail = match.group()
    if new.endswith(".") and tail.lstrip().startswith("."):
        tail = tail.lstrip()[1:]
    return new + tail


def set_subfields(fld: Field, code: str, values: list[str], *, order: str = "") -> None:
    """Make `fld` carry exactly `values` in subfield `code`.

    Existing occurrences are overwritten in place (keeping their trailing punctuation); extra
    values go after the last occurrence, or, when there was none, before the first subfield
    whose code comes later in `order`.
    """
    positions = [i for i, sf in enumerate(fld.subfields) if sf.code == code]
    for i, value in zip(positions, values, strict=False):
        fld.subfields[i].value = with_old_punctuation(fld.subfields[i].value, value)
    for i in reversed(positions[len(values) :]):
        del fld.subfields[i]
    extra = values[len(positions) :]
    if not extra:
        return
    # Extra values exist only when every old occurrence was overwritten and none deleted.
    at = positions[-1] + 1 if positions else _position_by_order(fld, code, order)
    for offset, value in enumerate(extra):
        fld.subfields.insert(at + offset, Subfield(code, value))


def _position_by_order(fld: Field, code: str, order: str) -> int:
    rank = order.find(code)
    if rank < 0:
        return len(fld.subfields)
    for i, sf in enumerate(fld.subfields):
        other = order.find(sf.code)
        if other > rank:
            return i
    return len(fld.subfields)


def set_subfield(fld: Field, code: str, value: str, *, order: str = "") -> None:
    set_subfields(fld, code, [value] if value else [], order=order)


def insert_field(record: MarcRecord, new: Field) -> Field:
    """Insert `new` before the first field with a greater tag, as MARC records are ordered."""
    for i, fld in enumerate(record.fields):
        if fld.tag > new.tag:
            record.fields.insert(i, new)
            return new
    record.fields.append(new)
    return new


def remove_field(record: MarcRecord, fld: Field) -> None:
    record.fields = [f for f in record.fields if f is not fld]


def drop_if_empty(record: MarcRecord, fld: Field, *, meaningful: str) -> None:
    """Remove `fld` once none of its `meaningful` subfields is left."""
    if not any(sf.code in meaningful and sf.value.strip() for sf in fld.subfields):
        remove_field(record, fld)


def new_field(tag: str, indicators: str, *pairs: tuple[str, str]) -> Field:
    return Field(tag, indicators, [Subfield(c, v) for c, v in pairs if v])


def set_fixed(data: str, start: int, value: str, *, fill: str = " ") -> str:
    """`data` with `value` written at `start`, padding a short fixed field with `fill`."""
    end = start + len(value)
    if len(data) < end:
        data = data + fill * (end - len(data))
    return data[:start] + value + data[end:]
