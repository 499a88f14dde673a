"""Catalogue records as the protocols carry them: MARCXML (MARC21 slim, RUSMARC records in the
same container), Dublin Core, and the OAI-PMH sets a record belongs to."""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Sequence

from django.db import DatabaseError, connection, transaction

from polka.catalog.marcio import marc21_slim
from polka.catalog.models import Item, ItemStatus, MaterialType, Record, RecordAuthor
from polka.catalog.source import just_stored, read_source_or_none
from polka.interop.dc import DublinCore
from polka.interop.marc.marcxml import MARC21_NS
from polka.interop.marc.record import MarcRecord
from polka.protocols.models import MarcxmlCache

log = logging.getLogger("polka.protocols")


# The record fields the payloads need (the source is the biggest; nothing else is loaded).
PAYLOAD_FIELDS = (
    "id", "format", "source", "source_encoding", "title", "remainder_of_title", "responsibility",
    "publisher", "place", "year", "isbns", "issns", "languages", "subjects", "annotation",
    "material_type", "updated_at",
)  # fmt: skip
# What MARCXML (and an OAI header) needs: far less to read than PAYLOAD_FIELDS.
MARCXML_FIELDS = ("id", "format", "source", "source_encoding", "material_type", "updated_at")
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
    return None if marc is None else _namespaced(marc)


def _namespaced(marc: MarcRecord) -> str:
    return _with_namespace(marc21_slim(marc))


def _with_namespace(slim: str) -> str:
    return f'<record xmlns="{MARC21_NS}">' + slim[len("<record>") :]


def source_digest(record: Record) -> str:
    """What the cached MARCXML was written from: the stored bytes, their encoding and format."""
    return _digest(bytes(record.source or b""), record.format, record.source_encoding)


def _digest(source: bytes, format: str, encoding: str) -> str:
    digest = hashlib.blake2b(source, digest_size=16)
    digest.update(f"|{format}|{encoding}".encode())
    return digest.hexdigest()


def marcxml_many(records: Sequence[Record]) -> dict[int, str | None]:
    """marcxml() of each record by id, from MarcxmlCache where the row was written from the
    same source; the others are written now and stored for the next request (a cache: when the
    store fails, say the database is busy, the answer is sent all the same)."""
    digests = {record.pk: source_digest(record) for record in records}
    rows = MarcxmlCache.objects.filter(record_id__in=list(digests))
    found: dict[int, str | None] = {
        pk: xml
        for pk, digest, xml in rows.values_list("record_id", "digest", "xml")
        if digests.get(pk) == digest
    }
    fresh = []
    for record in records:
        if record.pk not in found:
            xml = found[record.pk] = marcxml(record)
            if xml is not None:
                fresh.append((record.pk, digests[record.pk], xml))
    if fresh:
        try:
            with transaction.atomic():
                _cache_store(fresh)
        except DatabaseError:
            log.warning("MARCXML of %d records not cached", len(fresh), exc_info=True)
    return found


def _cache_store(rows: Sequence[tuple[int, str, str]]) -> None:
    """Write (record id, digest, xml) rows into MarcxmlCache, replacing what a row held: one
    statement, without building a model instance a row (a fifth of the listener's time)."""
    table = connection.ops.quote_name(MarcxmlCache._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (record_id, digest, xml) VALUES (%s, %s, %s) "  # noqa: S608 - the model's table
            "ON CONFLICT (record_id) DO UPDATE SET digest = excluded.digest, xml = excluded.xml",
            list(rows),
        )


def marcxml_refresh(record_ids: Sequence[int]) -> None:
    """Write the MARCXML of records just saved or imported (the catalogue's indexer calls this),
    so harvests and searches find it ready. Records the writer handed over parsed
    (catalog.source.sources_stored: an import's batch) are written from that, without reading
    their rows back; the others from their rows. A cache: a failure here is logged, never
    raised into the catalogue's write."""
    try:
        with transaction.atomic():  # a savepoint: the write it follows goes on whatever happens
            stored = just_stored()
            handed = [pk for pk in record_ids if pk in stored]
            rows = []
            for pk in handed:
                known = stored[pk]
                slim = known.marc21_slim()
                if known.source and slim is not None:
                    digest = _digest(known.source, known.format, known.encoding)
                    rows.append((pk, digest, _with_namespace(slim)))
            for start in range(0, len(rows), 500):
                _cache_store(rows[start : start + 500])
            rest = [pk for pk in record_ids if pk not in stored]
            for start in range(0, len(rest), 500):
                chunk = list(rest[start : start + 500])
                marcxml_many(list(Record.objects.only(*MARCXML_FIELDS).filter(pk__in=chunk)))
    except Exception:
        log.exception("MARCXML of records %s not written", list(record_ids[:5]))


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
