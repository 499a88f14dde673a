"""Telling MARC21 from RUSMARC/UNIMARC by the tags a record uses."""

from __future__ import annotations

from collections.abc import Iterable

from polka.interop.marc.record import MarcFlavour, MarcRecord

# Tags that exist (with that meaning) in only one of the two formats and are common in records.
_MARC21_TAGS = frozenset({"008", "245", "250", "260", "264", "490", "650", "651", "655"})
_UNIMARC_TAGS = frozenset({"101", "102", "200", "205", "215", "225", "606", "676", "686", "801"})


def flavour_of_tags(tags: Iterable[str], leader: str = "") -> MarcFlavour:
    """The likelier flavour; MARC21 when the tags do not tell (it is the more common exchange)."""
    marc21 = unimarc = 0
    for tag in tags:
        if tag in _MARC21_TAGS:
            marc21 += 1
        elif tag in _UNIMARC_TAGS:
            unimarc += 1
    if unimarc > marc21:
        return "rusmarc"
    if marc21 > unimarc:
        return "marc21"
    # UNIMARC leaves leader/23 blank where MARC21 has "0".
    return "rusmarc" if leader[20:24] == "450 " else "marc21"


def detect_flavour(record: MarcRecord) -> MarcFlavour:
    return flavour_of_tags((f.tag for f in record.fields), record.leader)
