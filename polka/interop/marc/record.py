"""The in-memory MARC record every codec reads into and writes from.

Text is always decoded (str); the bytes as received are kept beside it by the readers so that
an unedited record can be written back exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

MarcFlavour = Literal["marc21", "rusmarc"]


@dataclass(slots=True)
class Subfield:
    code: str
    value: str


@dataclass(slots=True)
class Field:
    """A control field (tag < 010: `data` set, no indicators) or a data field (subfields)."""

    tag: str
    indicators: str = "  "
    subfields: list[Subfield] = field(default_factory=list)
    data: str | None = None

    @property
    def is_control(self) -> bool:
        return self.data is not None

    def values(self, code: str) -> list[str]:
        return [sf.value for sf in self.subfields if sf.code == code]

    def first(self, code: str) -> str | None:
        for sf in self.subfields:
            if sf.code == code:
                return sf.value
        return None


@dataclass(slots=True)
class MarcRecord:
    leader: str
    fields: list[Field] = field(default_factory=list)

    def get_fields(self, *tags: str) -> Iterator[Field]:
        return (f for f in self.fields if f.tag in tags)

    def first_field(self, tag: str) -> Field | None:
        return next(self.get_fields(tag), None)

    def control(self, tag: str) -> str | None:
        found = self.first_field(tag)
        return found.data if found is not None else None

    def values(self, tag: str, code: str) -> list[str]:
        return [v for f in self.get_fields(tag) for v in f.values(code)]


@dataclass(slots=True)
class ParsedRecord:
    """One record as read from a file: where it was, what was repaired, or why it was skipped.

    `record` is None only when nothing of it could be read (then `error` says why).
    """

    number: int  # 1-based position in the file
    offset: int  # byte offset of the record's first byte in the file (0 for XML/JSON: see number)
    raw: bytes  # the bytes as received (for ISO 2709), or the serialised element
    flavour: MarcFlavour
    encoding: str  # "utf-8", "marc-8", "cp1251", ...
    record: MarcRecord | None = None
    repairs: list[str] = field(default_factory=list)
    error: str | None = None
