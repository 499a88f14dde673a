"""Reading through search: hits shaped for the public page, the CLI and suggestions."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import Item, ItemStatus, MaterialType, Record, RecordAuthor
from polka.catalog.record_fields import record_cover
from polka.core.prepared import PreparedIn
from polka.org.models import Branch
from polka.search.backends import get_backend
from polka.search.backends.base import FacetCount, SearchRequest, SearchResults
from polka.search.cache import cached_query

FACET_TITLES: dict[str, Any] = {
    "author": _("Автор"),
    "subject": _("Тема"),
    "language": _("Язык"),
    "decade": _("Годы издания"),
    "material": _("Вид материала"),
    "branch": _("На полке сейчас"),
    "age": _("Возрастной знак"),
    "ebook": _("Электронная версия"),
}
LANGUAGE_NAMES: dict[str, Any] = {
    "rus": _("русский"),
    "eng": _("английский"),
    "ger": _("немецкий"),
    "fre": _("французский"),
    "ita": _("итальянский"),
    "spa": _("испанский"),
    "ukr": _("украинский"),
    "bel": _("белорусский"),
    "uzb": _("узбекский"),
    "tgk": _("таджикский"),
    "kir": _("киргизский"),
    "kaz": _("казахский"),
    "tat": _("татарский"),
    "arm": _("армянский"),
    "heb": _("иврит"),
    "nep": _("непальский"),
    "lat": _("латинский"),
}


@dataclass(frozen=True)
class BranchCopies:
    branch: Branch
    on_shelf: int
    total: int
    shelf_marks: list[str]
    statuses: list[str]  # labels of the copies not on the shelf, e.g. "выдан"
    notes: list[str] = field(default_factory=list)  # staff notes on the copies (staff only)


@dataclass(frozen=True)
class ResultRow:
    record: Record
    score: float
    authors: list[str]
    copies: list[BranchCopies]
    author_ids: list[int] = field(default_factory=list)  # in the order of `authors`
    cover: str | None = None

    @property
    def people(self) -> list[tuple[int, str]]:
        return list(zip(self.author_ids, self.authors, strict=True))

    # Drawn once per row in Python: a work's list of editions repeats them for every edition
    # (a field's display label costs a translation each time a template asks for it).
    @functools.cached_property
    def material(self) -> str:
        return str(self.record.get_material_type_display())

    @functools.cached_property
    def imprint(self) -> str:
        """An edition in a work's list: year (or «без года»), publisher, edition statement."""
        record = self.record
        parts = [str(record.year) if record.year else str(_("без года"))]
        parts += [text for text in (record.publisher, record.edition) if text]
        return ", ".join(parts)

    @property
    def on_shelf(self) -> bool:
        return any(c.on_shelf for c in self.copies)


@dataclass(frozen=True)
class WorkEntry:
    """One entry of the result list: the editions of one work found on this page, in rank
    order (one record when the work has one edition here), numbered by its first edition."""

    position: int
    editions: list[ResultRow]

    @property
    def first(self) -> ResultRow:
        return self.editions[0]

    @property
    def grouped(self) -> bool:
        return len(self.editions) > 1

    @property
    def formats(self) -> list[str]:
        return list(dict.fromkeys(row.material for row in self.editions))

    @property
    def years(self) -> str:
        years = sorted({row.record.year for row in self.editions if row.record.year})
        if not years:
            return ""
        return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"

    @property
    def on_shelf(self) -> int:
        return sum(c.on_shelf for row in self.editions for c in row.copies)

    @property
    def copies(self) -> int:
        return sum(c.total for row in self.editions for c in row.copies)


def group_works(rows: Sequence[ResultRow], *, start: int = 1) -> list[WorkEntry]:
    """The page's rows with the editions of one work (one work key) gathered under the first
    of them; rows without a key stay alone. Numbers are the rows' places in the whole list."""
    entries: list[WorkEntry] = []
    by_key: dict[str, WorkEntry] = {}
    for offset, row in enumerate(rows):
        key = row.record.work_key
        if key and key in by_key:
            by_key[key].editions.append(row)
            continue
        entry = WorkEntry(start + offset, [row])
        entries.append(entry)
        if key:
            by_key[key] = entry
    return entries


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    options: list[FacetOption]


@dataclass
class SearchPage:
    results: SearchResults
    rows: list[ResultRow]
    facets: list[FacetGroup] = field(default_factory=list)

    @functools.cached_property
    def works(self) -> list[WorkEntry]:
        start = (self.results.page - 1) * self.results.per_page + 1
        return group_works(self.rows, start=start)

    @property
    def pages(self) -> int:
        per_page = self.results.per_page
        reachable = min(self.results.total, self.results.ranked_limit or self.results.total)
        return max(1, (reachable + per_page - 1) // per_page)


def search_records(*, request: SearchRequest) -> SearchResults:
    return cached_query(request)


def _copies_of(ids: list[int], staff: bool) -> QuerySet[Item]:
    items = Item.objects.select_related("branch").order_by("branch__name", "shelf_mark", "id")
    if not staff:
        items = items.exclude(status=ItemStatus.WITHDRAWN)
    return items.filter(record_id__in=ids)


# A page of hits reads its records, their people and copies: three queries compiled once per
# number of hits (polka.core.prepared), which cost more to compile than to run. The MARC
# source is the largest column and a hit list never shows it; of the people, the list shows
# the names only (tuples: no model instances for them).
_HIT_RECORDS = PreparedIn(
    lambda ids: Record.objects.filter(id__in=ids).defer(
        "source",
        "annotation",
        "subjects",
        "issns",
        "languages",
        "series",
        "parts",
        "extent",
        "udc",
        "bbk",
        "fingerprint",
        "created_at",
        "updated_at",
    )
)
_HIT_PEOPLE = PreparedIn(
    lambda ids: (
        RecordAuthor.objects.filter(record_id__in=ids)
        .order_by("position", "id")
        .values_list("record_id", "person_id", "person__name")
    )
)
_HIT_COPIES = {
    staff: PreparedIn(functools.partial(_copies_of, staff=staff)) for staff in (False, True)
}


def _branch_copies(items: Sequence[Item], *, staff: bool) -> list[BranchCopies]:
    by_branch: dict[int, list[Item]] = {}
    for item in items:
        by_branch.setdefault(item.branch_id, []).append(item)
    copies = []
    for shelf in by_branch.values():
        shelved = [i for i in shelf if i.status == ItemStatus.AVAILABLE]
        copies.append(
            BranchCopies(
                branch=shelf[0].branch,
                on_shelf=len(shelved),
                total=len(shelf),
                shelf_marks=sorted({i.shelf_mark for i in shelved if i.shelf_mark}),
                statuses=sorted(
                    {str(i.get_status_display()) for i in shelf if i.status != ItemStatus.AVAILABLE}
                ),
                notes=[f"{i.barcode}: {i.note}" for i in shelf if i.note] if staff else [],
            )
        )
    copies.sort(key=lambda c: (-c.on_shelf, str(c.branch)))
    return copies


def result_rows(*, results: SearchResults, staff: bool = False) -> list[ResultRow]:
    """The hits with their records, authors and copies per branch (staff also see withdrawn)."""
    ids = [hit.record_id for hit in results.hits]
    records = {record.id: record for record in _HIT_RECORDS.rows(ids)}
    people: dict[int, list[tuple[int, str]]] = {}
    for record_id, person_id, name in _HIT_PEOPLE.tuples(ids):
        people.setdefault(record_id, []).append((person_id, name))
    items: dict[int, list[Item]] = {}
    for item in _HIT_COPIES[staff].rows(ids):
        items.setdefault(item.record_id, []).append(item)
    rows = []
    for hit in results.hits:
        record = records.get(hit.record_id)
        if record is None:  # deleted since the query ran
            continue
        named = people.get(record.id, [])
        rows.append(
            ResultRow(
                record,
                hit.score,
                [name for _, name in named],
                _branch_copies(items.get(record.id, []), staff=staff),
                author_ids=[person_id for person_id, _ in named],
                cover=record_cover(record),
            )
        )
    return rows


def _facet_label(name: str, value: str, branches: Mapping[str, str]) -> str:
    if name == "language":
        return str(LANGUAGE_NAMES.get(value, value))
    if name == "decade":
        return _("%(decade)s-е") % {"decade": value}
    if name == "material":
        return str(dict(MaterialType.choices).get(value, value))
    if name == "branch":
        return branches.get(value, value)
    if name == "ebook":
        return str(_("есть"))
    return value


def facet_groups(
    *, facets: Mapping[str, list[FacetCount]], selected: Mapping[str, Sequence[str]]
) -> list[FacetGroup]:
    """Facets with labels for people, selected values first and kept even at zero hits."""
    codes = {f.value for f in facets.get("branch", [])} | set(selected.get("branch", []))
    # No copies among the hits, no branches to name: Django would still build the query.
    branches = {b.code: str(b) for b in Branch.objects.filter(code__in=codes)} if codes else {}
    groups = []
    for name, title in FACET_TITLES.items():
        chosen = list(selected.get(name, []))
        counts = {f.value: f.count for f in facets.get(name, [])}
        values = chosen + [v for v in counts if v not in chosen]
        options = [
            FacetOption(v, _facet_label(name, v, branches), counts.get(v, 0), v in chosen)
            for v in values
        ]
        if options:
            groups.append(FacetGroup(name, str(title), options))
    return groups


def search_page(*, request: SearchRequest, staff: bool = False) -> SearchPage:
    results = search_records(request=request)
    return SearchPage(
        results=results,
        rows=result_rows(results=results, staff=staff),
        facets=facet_groups(facets=results.facets, selected=request.filters),
    )


def search_hits_json(*, text: str, limit: int = 10) -> dict[str, Any]:
    """Hits as the CLI prints them: id, control number, title, authors, year, score."""
    if not text.strip():  # a blank line of input asks for nothing, not for everything
        return {"query": text, "query_used": None, "suggestion": None, "total": 0, "hits": []}
    results = search_records(request=SearchRequest(text=text, per_page=limit, facets=False))
    rows = result_rows(results=results)
    return {
        "query": text,
        "query_used": results.query_used,
        "suggestion": results.suggestion,
        "total": results.total,
        "hits": [
            {
                "id": row.record.id,
                "control_number": row.record.control_number,
                "title": row.record.title,
                "authors": row.authors,
                "year": row.record.year,
                "score": round(row.score, 6),
            }
            for row in rows
        ],
    }


def search_suggestions(*, text: str, limit: int = 8) -> list[Record]:
    """Records whose words start as typed, for suggestions as you type."""
    ids = get_backend().suggest(text, limit)
    records = Record.objects.in_bulk(ids)
    return [records[i] for i in ids if i in records]
