"""Every change to the catalogue: records (create, update, revert, delete, batch store) and copies.

The importer, the editor, the demo generator and the admin all write through these functions, so
the search index (polka.search, through the hook in polka.catalog.indexer) and the history
(RecordRevision, ItemEvent) are kept in step in one place, inside the transaction of the change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from polka.catalog.bulk import mark_saved, rows_insert, unsaved, values_insert
from polka.catalog.errors import (
    BarcodeRequired,
    BarcodeTaken,
    ItemAlreadyWithdrawn,
    ItemOnLoan,
    ItemsWithoutBranch,
    PersonDatesInvalid,
    RevisionHasNoSource,
)
from polka.catalog.indexer import index_records, unindex_records
from polka.catalog.mapping import MappedAuthor, MappedItem, MappedRecord
from polka.catalog.marcio import marc_map, marc_parse_source, marc_serialise
from polka.catalog.models import (
    AgeMark,
    Carrier,
    ImportRun,
    Item,
    ItemEvent,
    ItemStatus,
    MaterialType,
    Person,
    Record,
    RecordAuthor,
    RecordIsbn,
    RecordRevision,
    RevisionAction,
    person_key,
)
from polka.catalog.source import StoredSource, sources_stored
from polka.catalog.works import mapped_work_key
from polka.interop.marc.record import MarcFlavour, MarcRecord
from polka.org.models import Branch
from polka.org.policies import staff_require

CATALOG_EDIT = "catalog.edit"
ITEMS_MANAGE = "items.manage"

Match = Literal["none", "isbn", "control-number"]
Outcome = Literal["created", "updated", "unchanged"]


# --- permissions ------------------------------------------------------------------------------


def _require(by: Any, action: str, branch: Branch | None = None) -> None:
    """Check a staff user's right through polka.org; `by=None` is the system (CLI, demo)."""
    if by is not None:
        staff_require(user=by, action=action, branch=branch)


# --- turning a mapping into column values ------------------------------------------------------

_TEXT_FIELDS = (
    "control_number",
    "title",
    "remainder_of_title",
    "parts",
    "responsibility",
    "edition",
    "place",
    "publisher",
    "extent",
    "series",
    "udc",
    "bbk",
    "author_mark",
    "annotation",
)
_LIST_FIELDS = ("isbns", "issns", "languages", "subjects", "links")
MAPPED_FIELDS = (*_TEXT_FIELDS, *_LIST_FIELDS, "year", "age_mark", "material_type")
# What a mapping decides but no form edits: the work key (polka.catalog.works).
STORED_FIELDS = (*MAPPED_FIELDS, "work_key")
_AGE_MARKS = frozenset(AgeMark.values)
_MATERIAL_TYPES = frozenset(MaterialType.values)
_ITEM_STATUSES = frozenset(ItemStatus.values)


def _max_length(model: Any, name: str) -> int | None:
    length: int | None = model._meta.get_field(name).max_length
    return length


_RECORD_LENGTHS = {name: _max_length(Record, name) for name in _TEXT_FIELDS}
_ROLE_LENGTH = _max_length(RecordAuthor, "role")
_PERSON_NAME_LENGTH = _max_length(Person, "name")
_PERSON_DATES_LENGTH = _max_length(Person, "dates")


def _plausible_year(year: int | None) -> int | None:
    return year if year and -5000 < year < 10000 else None


def _text(value: str, max_length: int | None = None) -> str:
    # PostgreSQL refuses NUL in text; a CharField longer than its column fails there too.
    if "\x00" in value:
        value = value.replace("\x00", "")
    value = value.strip()
    return value[:max_length] if max_length and len(value) > max_length else value


def _json(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    return value


def record_values(mapped: MappedRecord) -> dict[str, Any]:
    """The Record columns a mapping fills, cleaned so that both engines accept them."""
    # getattr with a default: fields added to the mapping contract later (e.g. `parts`).
    values: dict[str, Any] = {
        name: _text(getattr(mapped, name, "") or "", _RECORD_LENGTHS[name]) for name in _TEXT_FIELDS
    }
    values.update({name: _json(list(getattr(mapped, name) or [])) for name in _LIST_FIELDS})
    values["year"] = mapped.year if mapped.year and 0 < mapped.year < 10000 else None
    values["age_mark"] = mapped.age_mark if mapped.age_mark in _AGE_MARKS else ""
    values["material_type"] = (
        mapped.material_type if mapped.material_type in _MATERIAL_TYPES else MaterialType.OTHER
    )
    values["work_key"] = mapped_work_key(mapped)
    return values


def fingerprint(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


def _isbn_keys(isbns: list[str]) -> list[str]:
    keys: list[str] = []
    for isbn in isbns:
        key = re.sub(r"[^0-9Xx]", "", isbn).upper()
        if len(key) in (10, 13) and key not in keys:
            keys.append(key)
    return keys


def _price(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    try:
        price = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return price if price.is_finite() and 0 <= price < Decimal("1e8") else None


# --- storing records in batches ----------------------------------------------------------------


@dataclass(slots=True)
class IncomingRecord:
    """A record ready to store: the parsed MARC, its mapping and the ISO 2709 source to keep.

    `marc` is None when the record was read in another process (an import reading ahead): what
    is kept of the parse is then its MARC21 slim XML, `slim`.
    """

    marc: MarcRecord | None
    mapped: MappedRecord
    flavour: MarcFlavour
    source: bytes
    encoding: str
    fingerprint: str
    values: dict[str, Any]  # record_values(mapped): worked out where the record is read
    slim: str | None = None

    @classmethod
    def build(
        cls,
        *,
        marc: MarcRecord,
        flavour: MarcFlavour,
        source: bytes,
        encoding: str,
        mapped: MappedRecord | None = None,
        received: bytes | None = None,
    ) -> IncomingRecord:
        """`received` (the bytes as read, when they differ from `source`) is fingerprinted."""
        mapped = mapped if mapped is not None else marc_map(marc, flavour)
        return cls(
            marc=marc,
            mapped=mapped,
            flavour=flavour,
            source=source,
            encoding=encoding,
            fingerprint=fingerprint(received if received is not None else source),
            values=record_values(mapped),
        )


@dataclass(slots=True)
class StoreResult:
    outcome: Outcome
    record: Record | None
    problems: list[str] = field(default_factory=list)


def branch_lookup() -> dict[str, Branch]:
    """Branches by the codes records use for them (our code or short name, any case)."""
    lookup: dict[str, Branch] = {}
    for branch in Branch.objects.all():
        for name in (branch.short_name, branch.name, branch.code):
            if name:
                lookup[name.casefold()] = branch
    return lookup


def match_keys(incoming: IncomingRecord, match: Match) -> list[str]:
    """The keys under which --match finds an existing record for this one."""
    if match == "isbn":
        return _isbn_keys(incoming.mapped.isbns)
    if match == "control-number":
        number = _text(incoming.mapped.control_number, _RECORD_LENGTHS["control_number"])
        return [number] if number else []
    return []


def _find_matches(batch: Sequence[IncomingRecord], match: Match) -> dict[str, int]:
    keys = {key for incoming in batch for key in match_keys(incoming, match)}
    if not keys:
        return {}
    rows: Iterable[tuple[str, int]]
    if match == "isbn":
        rows = RecordIsbn.objects.filter(isbn__in=keys).values_list("isbn", "record_id")
    else:
        rows = Record.objects.filter(control_number__in=keys).values_list("control_number", "id")
    found: dict[str, int] = {}
    # The oldest record wins when several share a key: it is the one people have seen longest.
    for key, record_id in sorted(rows, key=lambda row: row[1]):
        found.setdefault(key, record_id)
    return found


@transaction.atomic
def records_store(
    *,
    batch: Sequence[IncomingRecord],
    at: dt.datetime,
    match: Match = "none",
    default_branch: Branch | None = None,
    branches: dict[str, Branch] | None = None,
    run: ImportRun | None = None,
    skip_known: bool = True,
    strict: bool = False,
) -> list[StoreResult]:
    """Store a batch of records in a fixed number of queries, whatever the batch size.

    A record whose source fingerprint is already stored is left alone ("unchanged") when
    `skip_known`; one that `match` finds is updated in place; the rest are created with their
    authors, ISBN keys and copies. Copy problems (no branch, barcode taken) are returned per
    record, or raised as errors when `strict` (the single-record service).
    """
    known: set[str] = set()
    if skip_known:
        known = set(
            Record.objects.filter(fingerprint__in={i.fingerprint for i in batch}).values_list(
                "fingerprint", flat=True
            )
        )
    matches = _find_matches(batch, match) if match != "none" else {}
    existing = Record.objects.in_bulk(set(matches.values())) if matches else {}

    results: list[StoreResult] = []
    to_create: list[tuple[Record, IncomingRecord, StoreResult]] = []
    to_update: list[tuple[Record, IncomingRecord, StoreResult]] = []
    for incoming in batch:
        if incoming.fingerprint in known:
            results.append(StoreResult("unchanged", None))
            continue
        known.add(incoming.fingerprint)
        target = next(
            (existing[matches[k]] for k in match_keys(incoming, match) if k in matches), None
        )
        if target is None:
            record = unsaved(
                Record,
                {
                    **incoming.values,
                    "format": incoming.flavour,
                    "source": incoming.source,
                    "source_encoding": incoming.encoding,
                    "fingerprint": incoming.fingerprint,
                    "import_run_id": run.pk if run is not None else None,
                    "created_at": at,
                    "updated_at": at,
                },
            )
            result = StoreResult("created", record)
            to_create.append((record, incoming, result))
        else:
            result = StoreResult("updated", target)
            to_update.append((target, incoming, result))
        results.append(result)

    _records_insert([record for record, _, _ in to_create], fingerprints_are_new=skip_known)
    if to_update:
        _records_replace_from_import(to_update, at=at, run=run)
    touched = to_create + to_update
    _links_store([(record, incoming.mapped) for record, incoming, _ in touched], replace=to_update)
    _items_store(
        [(record, incoming.mapped.items, result) for record, incoming, result in touched],
        at=at,
        default_branch=default_branch,
        branches=branch_lookup() if branches is None else branches,
        strict=strict,
    )
    stored = {
        record.pk: StoredSource(
            incoming.source, incoming.encoding, incoming.flavour, incoming.marc, incoming.slim
        )
        for record, incoming, _ in touched
    }
    with sources_stored(stored):
        index_records(list(stored))
    return results


def _records_insert(records: list[Record], *, fingerprints_are_new: bool) -> None:
    """Insert new records and learn their ids: by fingerprint when none of them can already be
    stored (the importer checked), else through bulk_create's RETURNING."""
    if not fingerprints_are_new:
        Record.objects.bulk_create(records)
        return
    rows_insert(Record, records)
    if records:
        # The run narrows the lookup: two imports of one file running at once on PostgreSQL
        # each find their own rows (SQLite lets only one writer in at a time anyway).
        run_id = records[0].import_run_id
        ids = dict(
            Record.objects.filter(
                fingerprint__in=[r.fingerprint for r in records], import_run_id=run_id
            ).values_list("fingerprint", "id")
        )
        for record in records:
            mark_saved(record, ids[record.fingerprint])


def _records_replace_from_import(
    pairs: list[tuple[Record, IncomingRecord, StoreResult]],
    *,
    at: dt.datetime,
    run: ImportRun | None,
) -> None:
    RecordRevision.objects.bulk_create(
        RecordRevision(
            record=record,
            at=at,
            action=RevisionAction.IMPORTED,
            summary=run.files[0] if run is not None and run.files else "",
            source_before=record.source,
            encoding_before=record.source_encoding,
            edited_before=record.edited,
        )
        for record, _, _ in pairs
    )
    for record, incoming, _ in pairs:
        for name, value in incoming.values.items():
            setattr(record, name, value)
        record.format = incoming.flavour
        record.source = incoming.source
        record.source_encoding = incoming.encoding
        record.fingerprint = incoming.fingerprint
        record.import_run = run
        record.edited = False
        record.updated_at = at
    Record.objects.bulk_update(
        [record for record, _, _ in pairs],
        [
            *STORED_FIELDS,
            "format",
            "source",
            "source_encoding",
            "fingerprint",
            "import_run",
            "edited",
            "updated_at",
        ],
    )


def _links_store(
    pairs: Sequence[tuple[Record, MappedRecord]], *, replace: Sequence[tuple[Record, Any, Any]] = ()
) -> None:
    """Authors (found or created as Person rows) and ISBN keys of freshly stored records."""
    replaced_ids = [record.pk for record, _, _ in replace]
    if replaced_ids:
        RecordAuthor.objects.filter(record_id__in=replaced_ids).delete()
        RecordIsbn.objects.filter(record_id__in=replaced_ids).delete()

    # Each author's dedup key, worked out once: (position, key, role) per record.
    keyed: list[list[tuple[int, str, str]]] = []
    wanted: dict[str, MappedAuthor] = {}
    for _, mapped in pairs:
        keys: list[tuple[int, str, str]] = []
        seen: set[tuple[str, str]] = set()
        for position, author in enumerate(mapped.authors):
            if not _text(author.name):
                continue
            key = person_key(author.name, author.dates)
            role = _text(author.role, _ROLE_LENGTH)
            if (key, role) not in seen:
                seen.add((key, role))
                keys.append((position, key, role))
                wanted.setdefault(key, author)
        keyed.append(keys)
    person_ids: dict[str, int] = (
        dict(Person.objects.filter(key__in=wanted).values_list("key", "id")) if wanted else {}
    )
    new_persons = [
        {
            "key": key,
            "name": _text(author.name, _PERSON_NAME_LENGTH),
            "name_forms": _json(list(author.name_forms)),
            "corporate": bool(getattr(author, "corporate", False)),
            "dates": _text(author.dates, _PERSON_DATES_LENGTH),
            "birth_year": _plausible_year(author.birth_year),
            "death_year": _plausible_year(author.death_year),
        }
        for key, author in wanted.items()
        if key not in person_ids
    ]
    values_insert(Person, new_persons)
    if new_persons:
        person_ids.update(
            Person.objects.filter(key__in=[p["key"] for p in new_persons]).values_list("key", "id")
        )

    # Plain rows, not model instances: thousands of them per batch, and nothing reads them back.
    authorships: list[dict[str, Any]] = []
    isbns: list[dict[str, Any]] = []
    for (record, mapped), keys in zip(pairs, keyed, strict=True):
        copied = RecordAuthor.copied_from(record)  # once a record, not once an author
        for position, key, role in keys:
            authorships.append(
                {
                    "record_id": record.pk,
                    "person_id": person_ids[key],
                    "role": role,
                    "position": position,
                    **copied,
                }
            )
        isbns.extend({"record_id": record.pk, "isbn": k} for k in _isbn_keys(mapped.isbns))
    values_insert(RecordAuthor, authorships)
    values_insert(RecordIsbn, isbns)


def _item_barcode(item: MappedItem) -> str:
    return _text(item.barcode or item.inventory_number, _max_length(Item, "barcode"))


def _items_store(
    triples: Sequence[tuple[Record, list[MappedItem], StoreResult]],
    *,
    at: dt.datetime,
    default_branch: Branch | None,
    branches: dict[str, Branch],
    strict: bool,
) -> None:
    barcodes = {_item_barcode(i) for _, items, _ in triples for i in items} - {""}
    taken = (
        dict(Item.objects.filter(barcode__in=barcodes).values_list("barcode", "record_id"))
        if barcodes
        else {}
    )
    unplaced: list[str] = []
    new_items: list[Item] = []
    for record, items, result in triples:
        for number, mapped in enumerate(items, start=1):
            branch = branches.get(mapped.branch_code.strip().casefold()) or default_branch
            if branch is None:
                unplaced.append(mapped.branch_code)
                result.problems.append(
                    f"copy {number}: no branch with code {mapped.branch_code!r} "
                    "and no default branch (--branch); copy not added"
                )
                continue
            barcode = _item_barcode(mapped)
            if not barcode:
                # A copy nobody can scan is still a copy the library owns: keep it with a
                # stand-in barcode the desk can replace, and say so.
                barcode = f"R{record.pk}-{number}"
                result.problems.append(f"copy {number}: no barcode; given {barcode}")
            if barcode in taken:
                if taken[barcode] != record.pk:
                    if strict:
                        raise BarcodeTaken(barcode)
                    result.problems.append(
                        f"copy {number}: barcode {barcode} already belongs to another record; "
                        "copy not added"
                    )
                continue
            taken[barcode] = record.pk
            new_items.append(
                _item_from_mapping(mapped, record=record, branch=branch, barcode=barcode, at=at)
            )
    if strict and unplaced:
        raise ItemsWithoutBranch(unplaced)
    rows_insert(Item, new_items)


def _item_from_mapping(
    mapped: MappedItem, *, record: Record, branch: Branch, barcode: str, at: dt.datetime
) -> Item:
    status = mapped.status if mapped.status in _ITEM_STATUSES else ItemStatus.AVAILABLE
    return Item(
        record=record,
        branch=branch,
        barcode=barcode,
        inventory_number=_text(mapped.inventory_number, _max_length(Item, "inventory_number")),
        shelf_mark=_text(mapped.shelf_mark, _max_length(Item, "shelf_mark")),
        location=_text(getattr(mapped, "location", ""), _max_length(Item, "location")),
        item_type=_text(mapped.item_type, _max_length(Item, "item_type")),
        status=status,
        price=_price(mapped.price),
        acquired_on=mapped.acquired_on,
        note=_text(mapped.note),
        created_at=at,
    )


# --- single records ------------------------------------------------------------------------------


def record_create(
    *,
    marc: MarcRecord,
    flavour: MarcFlavour,
    source: bytes | None = None,
    encoding: str = "utf-8",
    by: Any = None,
    at: dt.datetime,
    default_branch: Branch | None = None,
) -> Record:
    """Store one record with its authors and the copies its holdings fields describe.

    Without `source` the record is serialised to ISO 2709 (UTF-8). Copies whose branch code
    is unknown go to `default_branch`; if there is none, ItemsWithoutBranch is raised.
    """
    _require(by, CATALOG_EDIT, default_branch)
    if source is None:
        source = marc_serialise(marc, encoding=encoding)
    incoming = IncomingRecord.build(marc=marc, flavour=flavour, source=source, encoding=encoding)
    with transaction.atomic():
        (result,) = records_store(
            batch=[incoming], at=at, default_branch=default_branch, skip_known=False, strict=True
        )
        assert result.record is not None  # skip_known=False always stores
        RecordRevision.objects.create(
            record=result.record, user=by, at=at, action=RevisionAction.CREATED
        )
    return result.record


def _record_replace(
    record: Record,
    *,
    source: bytes,
    encoding: str,
    marc: MarcRecord,
    edited: bool,
    at: dt.datetime,
    revision: RecordRevision,
) -> Record:
    """Save `revision` (the state before), then give `record` a new source and its mapping."""
    revision.record = record
    revision.source_before = record.source
    revision.encoding_before = record.source_encoding
    revision.edited_before = record.edited
    revision.at = at
    revision.save()
    mapped = marc_map(marc, record.format)
    for name, value in record_values(mapped).items():
        setattr(record, name, value)
    record.source = source
    record.source_encoding = encoding
    record.edited = edited
    record.updated_at = at
    record.save(update_fields=[*STORED_FIELDS, "source", "source_encoding", "edited", "updated_at"])
    _links_store([(record, mapped)], replace=[(record, None, None)])
    index_records([record.pk])
    return record


def record_update(
    *, record: Record, marc: MarcRecord, by: Any, at: dt.datetime, summary: str = ""
) -> Record:
    """Replace a record's MARC (from the editor); the version before is kept for revert.

    The copies are not touched: they are managed with item_add/item_move/item_withdraw.
    """
    _require(by, CATALOG_EDIT)
    with transaction.atomic():
        locked = Record.objects.select_for_update().get(pk=record.pk)
        return _record_replace(
            locked,
            source=marc_serialise(marc, encoding="utf-8"),
            encoding="utf-8",
            marc=marc,
            edited=True,
            at=at,
            revision=RecordRevision(user=by, action=RevisionAction.UPDATED, summary=summary),
        )


def record_revert(*, revision: RecordRevision, by: Any, at: dt.datetime) -> Record:
    """Bring a record back to the source it had before `revision`; this too is a revision."""
    _require(by, CATALOG_EDIT)
    if revision.source_before is None:
        raise RevisionHasNoSource()
    source = bytes(revision.source_before)
    encoding = revision.encoding_before or "utf-8"
    with transaction.atomic():
        locked = Record.objects.select_for_update().get(pk=revision.record_id)
        marc = marc_parse_source(source, flavour=locked.format, encoding=encoding)  # type: ignore[arg-type]
        return _record_replace(
            locked,
            source=source,
            encoding=encoding,
            marc=marc,
            edited=revision.edited_before,
            at=at,
            revision=RecordRevision(
                user=by,
                action=RevisionAction.REVERTED,
                summary=f"{revision.at:%Y-%m-%d %H:%M:%S}",
            ),
        )


def record_delete(*, record: Record, by: Any, at: dt.datetime) -> None:
    """Delete a record with its copies (a copy on loan is protected by circulation)."""
    _require(by, CATALOG_EDIT)
    with transaction.atomic():
        record_id = record.pk
        unindex_records([record_id])
        Record.objects.filter(pk=record_id).delete()


# --- copies --------------------------------------------------------------------------------


def item_add(
    *,
    record: Record,
    branch: Branch,
    barcode: str,
    by: Any,
    at: dt.datetime,
    inventory_number: str = "",
    shelf_mark: str = "",
    item_type: str = "",
    price: Decimal | None = None,
    acquired_on: dt.date | None = None,
    acquisition_source: str = "",
    acquisition_act: str = "",
    carrier: str = "",
    language: str = "",
) -> Item:
    """A new copy; its accession (date, source, КСУ entry) is what the statistics count."""
    _require(by, ITEMS_MANAGE, branch)
    barcode = _text(barcode)
    if not barcode:
        raise BarcodeRequired()
    if len(barcode) > (_max_length(Item, "barcode") or 0):
        raise BarcodeTaken(barcode)
    with transaction.atomic():
        if Item.objects.filter(barcode=barcode).exists():
            raise BarcodeTaken(barcode)
        item = _item_from_mapping(
            MappedItem(
                barcode=barcode,
                inventory_number=inventory_number,
                shelf_mark=shelf_mark,
                item_type=item_type,
                price=price,
                acquired_on=acquired_on,
            ),
            record=record,
            branch=branch,
            barcode=barcode,
            at=at,
        )
        item.acquisition_source = acquisition_source
        item.acquisition_act = _text(acquisition_act, _max_length(Item, "acquisition_act"))
        item.carrier = carrier or Carrier.PRINT
        item.language = _text(language, _max_length(Item, "language")) or _record_language(record)
        if item.acquired_on is None:
            item.acquired_on = timezone.localdate(at)
        item.save()
        ItemEvent.objects.create(
            item=item, action=ItemEvent.Action.ADDED, at=at, user=by, to_branch=branch
        )
        index_records([record.pk])
    return item


def item_move(*, item: Item, branch: Branch, by: Any, at: dt.datetime) -> Item:
    """Move a copy to another branch (its home changes; transit is circulation's business)."""
    _require(by, ITEMS_MANAGE, item.branch)
    _require(by, ITEMS_MANAGE, branch)
    with transaction.atomic():
        locked = Item.objects.select_for_update().select_related("branch").get(pk=item.pk)
        if locked.status == ItemStatus.WITHDRAWN:
            raise ItemAlreadyWithdrawn(locked.barcode)
        from_branch = locked.branch
        locked.branch = branch
        locked.save(update_fields=["branch"])
        ItemEvent.objects.create(
            item=locked,
            action=ItemEvent.Action.MOVED,
            at=at,
            user=by,
            from_branch=from_branch,
            to_branch=branch,
        )
        index_records([locked.record_id])
    return locked


def _record_language(record: Record) -> str:
    languages = record.languages or []
    return str(languages[0])[:10] if languages else ""


def item_withdraw(*, item: Item, by: Any, at: dt.datetime, reason: str = "", act: str = "") -> Item:
    """Withdraw a copy under a write-off act («акт списания»): it leaves the holdings that day."""
    _require(by, ITEMS_MANAGE, item.branch)
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if locked.status == ItemStatus.WITHDRAWN:
            raise ItemAlreadyWithdrawn(locked.barcode)
        if locked.status == ItemStatus.ON_LOAN:
            raise ItemOnLoan(locked.barcode)
        locked.status = ItemStatus.WITHDRAWN
        locked.withdrawn_at = at
        locked.withdrawal_reason = _text(reason, _max_length(Item, "withdrawal_reason"))
        locked.withdrawal_act = _text(act, _max_length(Item, "withdrawal_act"))
        locked.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "withdrawal_act"])
        ItemEvent.objects.create(
            item=locked,
            action=ItemEvent.Action.WITHDRAWN,
            at=at,
            user=by,
            from_branch_id=locked.branch_id,
            note=locked.withdrawal_reason,
        )
        index_records([locked.record_id])
    return locked


def person_dates_set(
    *, person: Person, birth_date: dt.date | None, death_date: dt.date | None, by: Any
) -> Person:
    """Give a person authority full dates of life (the literary calendar lists them by day).

    A date must agree with a year the records already give and death cannot precede birth.
    """
    _require(by, CATALOG_EDIT)
    for day, year in ((birth_date, person.birth_year), (death_date, person.death_year)):
        if day is not None and year is not None and day.year != year:
            raise PersonDatesInvalid(person.name)
    if birth_date and death_date and death_date < birth_date:
        raise PersonDatesInvalid(person.name)
    person.birth_date, person.death_date = birth_date, death_date
    person.birth_year = birth_date.year if birth_date else person.birth_year
    person.death_year = death_date.year if death_date else person.death_year
    person.save(update_fields=["birth_date", "death_date", "birth_year", "death_year"])
    return person
