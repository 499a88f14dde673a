"""Catalogue records as the protocols carry them: MARCXML (MARC21 slim, RUSMARC records in the
same container), Dublin Core, and the OAI-PMH sets a record belongs to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from polka.catalog.models import Item, ItemStatus, MaterialType, Record, RecordAuthor
from polka.catalog.source import read_source_or_none
from polka.interop.dc import DublinCore
from polka.interop.marc.marcxml import MARC21_NS, record_to_marcxml
from polka.interop.marc.record import MarcFlavour

MARC21_FLAVOUR: MarcFlavour = "marc21"

# The record fields the payloads need (the source is the biggest; nothing else is loaded).
PAYLOAD_FIELDS = (
    "id", "format", "source", "source_encoding", "title", "remainder_of_title", "responsibility",
    "publisher", "place", "year", "isbns", "issns", "languages", "subjects", "annotation",
    "material_type", "updated_at",
)  # fmt: skip
_DC_TYPE = {
    MaterialType.BOOK: "Text",
    MaterialType.SERIAL: "Text",
    MaterialType.ARTICLE: "Text",
    MaterialType.EBOOK: "Text",
    MaterialType.SCORE: "Text",
    MaterialType.MAP: "Image",
    MaterialType.GRAPHIC: "StillImage",
    MaterialType.AUDIO: "Sound",
    MaterialType.VIDEO: "MovingImage",
    MaterialType.ELECTRONIC: "Dataset",
    MaterialType.KIT: "Collection",
}


def marcxml(record: Record) -> str | None:
    """The stored source as one MARCXML <record> in the MARC21 slim namespace; None when the
    stored bytes cannot be read. A RUSMARC record keeps its tags and subfields; its leader and
    indicators are written as MARC21 slim's schema wants them, so the container validates."""
    marc = read_source_or_none(record)
    if marc is None:
        return None
    xml = record_to_marcxml(marc, MARC21_FLAVOUR)
    return f'<record xmlns="{MARC21_NS}">' + xml[len("<record>") :]


def record_authors(record_ids: Sequence[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        RecordAuthor.objects.filter(record_id__in=record_ids)
        .order_by("record_id", "position")
        .values_list("record_id", "person__name")
    )
    for record_id, name in rows:
        names[record_id].append(name)
    return names


def dublin_core(record: Record, authors: Sequence[str]) -> DublinCore:
    title = record.title + (f" : {record.remainder_of_title}" if record.remainder_of_title else "")
    elements: list[tuple[str, str]] = [("title", title)]
    elements += [("creator", name) for name in authors]
    if not authors and record.responsibility:
        elements.append(("creator", record.responsibility))
    elements += [("subject", str(s)) for s in record.subjects or []]
    elements.append(("description", record.annotation))
    publisher = ", ".join(p for p in (record.place, record.publisher) if p)
    elements.append(("publisher", publisher))
    elements.append(("date", str(record.year) if record.year else ""))
    elements.append(("type", _DC_TYPE.get(MaterialType(record.material_type), "Text")))
    elements += [("identifier", f"URN:ISBN:{isbn}") for isbn in record.isbns or []]
    elements += [("identifier", f"URN:ISSN:{issn}") for issn in record.issns or []]
    elements += [("language", str(code)) for code in record.languages or []]
    return DublinCore(elements)


def record_set_specs(records: Sequence[Record]) -> dict[int, list[str]]:
    """OAI-PMH sets per record: `branch:<code>` of each branch holding a copy that is not
    withdrawn, and `material:<type>`."""
    specs: dict[int, list[str]] = {r.pk: [] for r in records}
    rows = (
        Item.objects.filter(record_id__in=list(specs))
        .exclude(status=ItemStatus.WITHDRAWN)
        .values_list("record_id", "branch__code")
        .distinct()
        .order_by("record_id", "branch__code")
    )
    for record_id, code in rows:
        specs[record_id].append(f"branch:{code}")
    for record in records:
        specs[record.pk].append(f"material:{record.material_type}")
    return specs
