"""One mapping per MARC format from a MarcRecord to the fields the catalogue stores, and back.

`map_record` is called once per imported record (keep it cheap); `apply_mapped` writes the
common fields edited in a form back into a copy of the MARC record, which stays the source of
truth. The dataclasses (`MappedRecord` …) are the contract with the catalogue services.
"""

from __future__ import annotations

import copy
from typing import Any

from polka.catalog.mapping import marc21, rusmarc
from polka.catalog.mapping.result import MappedAuthor, MappedItem, MappedRecord
from polka.catalog.mapping.scheme import write_element
from polka.interop.marc.record import MarcFlavour, MarcRecord

__all__ = [
    "EDITABLE_FIELDS",
    "MappedAuthor",
    "MappedItem",
    "MappedRecord",
    "apply_mapped",
    "map_record",
]

# The MappedRecord fields the common-fields editor may change (see apply_mapped).
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "remainder_of_title",
        "parts",
        "responsibility",
        "edition",
        "place",
        "publisher",
        "year",
        "extent",
        "series",
        "isbns",
        "issns",
        "languages",
        "subjects",
        "udc",
        "bbk",
        "author_mark",
        "annotation",
        "age_mark",
        "authors",
    }
)


def map_record(record: MarcRecord, flavour: MarcFlavour | str) -> MappedRecord:
    """The catalogue's fields of `record` read as `flavour` ("rusmarc"; anything else is
    MARC21, so a stored `Record.format` string can be passed as it is)."""
    if flavour == "rusmarc":
        return rusmarc.map_rusmarc(record)
    return marc21.map_marc21(record)


def apply_mapped(
    record: MarcRecord, flavour: MarcFlavour | str, changes: dict[str, Any]
) -> MarcRecord:
    """A copy of `record` with the common fields in `changes` written into their MARC fields.

    Keys are MappedRecord field names (EDITABLE_FIELDS); values have the MappedRecord types
    (`authors` may also be a list of dicts with MappedAuthor's fields). A value equal to what
    the record already maps to leaves its fields untouched, so a form may send everything.
    Raises KeyError for a key that is not an editable field.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise KeyError(f"not editable common fields: {', '.join(sorted(unknown))}")
    edited = copy.deepcopy(record)
    current = map_record(edited, flavour)
    fmt = rusmarc.FORMAT if flavour == "rusmarc" else marc21.FORMAT
    for key, value in changes.items():
        if key == "authors":
            value = [a if isinstance(a, MappedAuthor) else MappedAuthor(**a) for a in value]
        elif key == "year" and isinstance(value, str):  # as typed: "2021", or "" for none
            value = int(value) if value.strip().isdigit() else None
        if getattr(current, key) == value:
            continue
        write_element(fmt, edited, key, value)
    return edited
