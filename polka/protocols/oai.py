"""The OAI-PMH data provider's reads: pages of records and tombstones in record-id order,
filtered by datestamp and set, as protocol items; the sets; one record.

Lists run in record-id order and a resumption token holds the last id sent, so a harvest
returns every record exactly once however many are added or changed meanwhile (an added
record has a higher id and comes in a later page; a changed one keeps its place).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min, QuerySet

from polka.catalog.models import Item, ItemStatus, MaterialType, Record
from polka.interop.dc import OAI_DC_NS, OAI_DC_SCHEMA, oai_dc_xml
from polka.interop.marc.marcxml import MARC21_NS
from polka.interop.oai import Header, MetadataFormat, OaiError, OaiRequest
from polka.interop.oai import Item as OaiItem
from polka.org.models import Branch
from polka.protocols.models import OaiTombstone
from polka.protocols.records import (
    MARCXML_FIELDS,
    PAYLOAD_FIELDS,
    dublin_core,
    marcxml_many,
    record_authors,
    record_set_specs,
)

PAGE_SIZE = 200
FORMATS = (
    MetadataFormat("oai_dc", OAI_DC_SCHEMA, OAI_DC_NS),
    MetadataFormat(
        "marcxml", "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", MARC21_NS
    ),
)


def identifier_prefix() -> str:
    return f"oai:{getattr(settings, 'POLKA_OAI_REPOSITORY_ID', 'polka.library')}:"


def record_id_of(identifier: str) -> int:
    """The record id an identifier names; 0 (no record) for anything else."""
    prefix = identifier_prefix()
    tail = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
    return int(tail) if tail.isdigit() and len(tail) < 19 else 0


def earliest_datestamp() -> dt.datetime:
    found = [
        Record.objects.aggregate(m=Min("updated_at"))["m"],
        OaiTombstone.objects.aggregate(m=Min("deleted_at"))["m"],
    ]
    dates = [d for d in found if d is not None]
    return min(dates) if dates else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def oai_sets() -> list[tuple[str, str]]:
    """(setSpec, setName): every branch, every kind of material in the catalogue."""
    sets = [
        (f"branch:{code}", name)
        for code, name in Branch.objects.order_by("code").values_list("code", "name")
    ]
    kinds = set(Record.objects.order_by().values_list("material_type", flat=True).distinct())
    sets += [
        (f"material:{kind.value}", str(kind.label)) for kind in MaterialType if kind.value in kinds
    ]
    return sets


def _check_format(prefix: str) -> None:
    if prefix not in {f.prefix for f in FORMATS}:
        raise OaiError("cannotDisseminateFormat", f"unknown metadataPrefix: {prefix[:40]}")


def _check_set(spec: str) -> None:
    kind, _, value = spec.partition(":")
    known = (kind == "branch" and Branch.objects.filter(code=value).exists()) or (
        kind == "material" and value in MaterialType.values
    )
    if spec and not known:
        # An unknown set holds no records; the protocol answers that as noRecordsMatch.
        raise OaiError("noRecordsMatch", f"no such set: {spec[:60]}")


def _live(request: OaiRequest) -> QuerySet[Record]:
    records = Record.objects.filter(pk__gt=request.after_id)
    if request.since:
        records = records.filter(updated_at__gte=request.since)
    if request.before:
        records = records.filter(updated_at__lt=request.before)
    kind, _, value = request.set_spec.partition(":")
    if kind == "branch":
        holding = Item.objects.filter(branch__code=value).exclude(status=ItemStatus.WITHDRAWN)
        records = records.filter(pk__in=holding.values("record_id"))
    elif kind == "material":
        records = records.filter(material_type=value)
    return records.order_by("pk")


def _dead(request: OaiRequest) -> QuerySet[OaiTombstone]:
    tombstones = OaiTombstone.objects.filter(record_id__gt=request.after_id)
    if request.since:
        tombstones = tombstones.filter(deleted_at__gte=request.since)
    if request.before:
        tombstones = tombstones.filter(deleted_at__lt=request.before)
    if request.set_spec:
        tombstones = tombstones.filter(set_specs__contains=f" {request.set_spec} ")
    return tombstones.order_by("record_id")


def _items(records: Sequence[Record], prefix: str, headers_only: bool) -> list[OaiItem]:
    base = identifier_prefix()
    ids = [r.pk for r in records]
    specs = record_set_specs(records)
    authors = record_authors(ids) if prefix == "oai_dc" and not headers_only else {}
    xml = marcxml_many(records) if prefix == "marcxml" and not headers_only else {}
    items = []
    for record in records:
        header = Header(f"{base}{record.pk}", record.updated_at, specs[record.pk])
        metadata = ""
        if not headers_only:
            if prefix == "oai_dc":
                metadata = oai_dc_xml(dublin_core(record, authors.get(record.pk, [])))
            else:
                metadata = xml.get(record.pk) or ""
        items.append(OaiItem(header, metadata))
    return items


def _tombstone_item(tombstone: OaiTombstone) -> OaiItem:
    header = Header(
        f"{identifier_prefix()}{tombstone.record_id}",
        tombstone.deleted_at,
        tombstone.specs,
        deleted=True,
    )
    return OaiItem(header)


def _fields(prefix: str, headers_only: bool) -> Sequence[str]:
    if headers_only:
        return ("id", "updated_at", "material_type")
    return MARCXML_FIELDS if prefix == "marcxml" else PAYLOAD_FIELDS


@dataclass(frozen=True)
class OaiPage:
    items: list[OaiItem]
    last_id: int | None  # the id to resume after; None when the list is complete


def oai_list(*, request: OaiRequest, page_size: int | None = None) -> OaiPage:
    """One page of ListRecords / ListIdentifiers, records and tombstones merged by id."""
    page_size = page_size or PAGE_SIZE
    _check_format(request.metadata_prefix)
    _check_set(request.set_spec)
    headers_only = request.verb == "ListIdentifiers"
    fields = _fields(request.metadata_prefix, headers_only)
    live = list(_live(request).only(*fields)[: page_size + 1])
    dead = list(_dead(request)[: page_size + 1])
    merged: list[tuple[int, Record | OaiTombstone]] = sorted(
        [(r.pk, r) for r in live] + [(t.record_id, t) for t in dead], key=lambda pair: pair[0]
    )
    more = len(merged) > page_size
    merged = merged[:page_size]
    if not merged and not request.after_id:
        raise OaiError("noRecordsMatch", "no records match the request")
    records = [obj for _, obj in merged if isinstance(obj, Record)]
    rendered = iter(_items(records, request.metadata_prefix, headers_only))
    items = [
        next(rendered) if isinstance(obj, Record) else _tombstone_item(obj) for _, obj in merged
    ]
    return OaiPage(items, merged[-1][0] if more else None)


def oai_record(*, identifier: str, prefix: str) -> OaiItem:
    _check_format(prefix)
    record_id = record_id_of(identifier)
    record = Record.objects.only(*_fields(prefix, False)).filter(pk=record_id).first()
    if record is not None:
        return _items([record], prefix, headers_only=False)[0]
    tombstone = OaiTombstone.objects.filter(record_id=record_id).first()
    if tombstone is None:
        raise OaiError("idDoesNotExist", f"unknown identifier: {identifier[:80]}")
    return _tombstone_item(tombstone)


def oai_formats(*, identifier: str) -> Sequence[MetadataFormat]:
    if identifier:
        record_id = record_id_of(identifier)
        exists = (
            Record.objects.filter(pk=record_id).exists()
            or OaiTombstone.objects.filter(record_id=record_id).exists()
        )
        if not exists:
            raise OaiError("idDoesNotExist", f"unknown identifier: {identifier[:80]}")
    return FORMATS
