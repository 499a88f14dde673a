"""What a MARC mapping extracts: the contract between the mappings and the catalogue services.

Re-exported by `polka.catalog.mapping`; import the names from there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(slots=True)
class MappedAuthor:
    name: str  # as the heading gives it, e.g. "Толстой, Лев Николаевич"
    role: str = ""  # relator term or code, e.g. "aut", "edt", "trl", "ill"
    dates: str = ""  # as in the record, e.g. "1828-1910"
    birth_year: int | None = None
    death_year: int | None = None
    name_forms: list[str] = field(default_factory=list)
    corporate: bool = False  # a body (110/710, RUSMARC 710-712), not a person


@dataclass(slots=True)
class MappedItem:
    """A copy as a holdings field (852, 952, 899, 910) describes it; unknown parts left blank."""

    barcode: str = ""
    inventory_number: str = ""
    branch_code: str = ""  # the holding library/location code as written in the record
    shelf_mark: str = ""
    item_type: str = ""
    status: str = ""
    price: Decimal | None = None
    acquired_on: dt.date | None = None
    note: str = ""
    location: str = ""  # sub-location / collection inside the branch (852$b, 899$b, 910$q)


@dataclass(slots=True)
class MappedRecord:
    control_number: str = ""
    title: str = ""
    remainder_of_title: str = ""
    parts: str = ""  # number and name of a part (245 $n $p, RUSMARC 200 $h $i), e.g. "Вып. 13"
    # The title the work is known by across its editions (130/240 $a $n $p, RUSMARC 500 $a $h $i).
    uniform_title: str = ""
    responsibility: str = ""
    edition: str = ""
    place: str = ""
    publisher: str = ""
    year: int | None = None
    extent: str = ""
    series: str = ""
    isbns: list[str] = field(default_factory=list)  # normalised ISBN-13 where valid
    issns: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # ISO 639-2/B codes, e.g. "rus"
    subjects: list[str] = field(default_factory=list)
    udc: str = ""
    bbk: str = ""
    author_mark: str = ""
    annotation: str = ""
    age_mark: str = ""  # "0+", "6+", "12+", "16+", "18+" or ""
    material_type: str = "book"  # a polka.catalog.models.MaterialType value
    links: list[dict[str, str]] = field(default_factory=list)  # {"url":…, "label":…}
    authors: list[MappedAuthor] = field(default_factory=list)
    items: list[MappedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # invalid ISBN etc.: kept, reported
