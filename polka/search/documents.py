"""What the index knows about a record: stemmed text per field, sort keys and facet values.

Built for a batch of records with three flat queries (records, authors, copies) so that a
full reindex runs at thousands of records a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from polka.catalog.models import Item, ItemStatus, MaterialType, Record, RecordAuthor
from polka.search.analysis import isbn_tokens, normalize, stem

# Which record fields feed which index field; title and authors weigh most in ranking.
TEXT_FIELDS = ("title", "authors", "subjects", "other")
FACET_FIELDS = ("author", "subject", "language", "decade", "material", "branch", "age", "ebook")
_VALUE_MAX = 200
_ONLINE = {MaterialType.EBOOK.value, MaterialType.ELECTRONIC.value}
_RECORD_COLUMNS = (
    "id", "title", "remainder_of_title", "responsibility", "edition", "place", "publisher",
    "year", "series", "isbns", "issns", "languages", "subjects", "annotation", "age_mark",
    "material_type", "links",
)  # fmt: skip


@dataclass(slots=True)
class Document:
    record_id: int
    text: dict[str, list[str]]  # index field → stems, in order
    title_sort: str
    year: int | None
    available: bool
    facets: list[tuple[str, str]] = field(default_factory=list)
    # Normalised words of title, authors and subjects with their stems: the spelling vocabulary.
    words: dict[str, str] = field(default_factory=dict)


def _words(text: str) -> list[str]:
    return normalize(text).split()


def _build(
    row: dict[str, object], authors: list[tuple[str, list[str]]], branches: set[str]
) -> Document:
    title_text = f"{row['title']} {row['remainder_of_title']}"
    author_text = " ".join(
        [name for name, _ in authors]
        + [form for _, forms in authors for form in forms or []]
        + [str(row["responsibility"])]
    )
    subjects = [str(s) for s in row["subjects"] or []]  # type: ignore[attr-defined]
    other_text = " ".join(
        str(row[name]) for name in ("series", "edition", "place", "publisher", "annotation")
    )
    isbns = isbn_tokens(row["isbns"] or [])  # type: ignore[arg-type]
    issns = [normalize(str(i)).replace(" ", "") for i in row["issns"] or []]  # type: ignore[attr-defined]

    vocabulary: dict[str, str] = {}
    text: dict[str, list[str]] = {}
    for name, words in (
        ("title", _words(title_text)),
        ("authors", _words(author_text)),
        ("subjects", _words(" ".join(subjects))),
    ):
        stems = []
        for word in words:
            stemmed = stem(word)
            stems.append(stemmed)
            if len(word) > 2 and not word.isdigit():
                vocabulary[word] = stemmed
        text[name] = stems
    text["other"] = [stem(word) for word in _words(other_text)] + isbns + issns

    year = row["year"]
    facets = [("author", name[:_VALUE_MAX]) for name, _ in authors[:10]]
    facets += [("subject", s.strip(" .;,")[:_VALUE_MAX]) for s in dict.fromkeys(subjects[:20])]
    facets += [("language", str(code)) for code in dict.fromkeys(row["languages"] or [])]  # type: ignore[call-overload]
    if isinstance(year, int):
        facets.append(("decade", str(year // 10 * 10)))
    facets.append(("material", str(row["material_type"])))
    facets += [("branch", code) for code in sorted(branches)]
    if row["age_mark"]:
        facets.append(("age", str(row["age_mark"])))
    if row["material_type"] in _ONLINE or row["links"]:
        facets.append(("ebook", "1"))
    return Document(
        record_id=int(row["id"]),  # type: ignore[call-overload]
        text=text,
        title_sort=normalize(str(row["title"]))[:_VALUE_MAX],
        year=year if isinstance(year, int) else None,
        available=bool(branches),
        facets=[(name, value) for name, value in facets if value],
        words=vocabulary,
    )


def build_documents(record_ids: Sequence[int]) -> list[Document]:
    """Index documents for the given records; records that no longer exist are left out."""
    authors: dict[int, list[tuple[str, list[str]]]] = defaultdict(list)
    for record_id, name, forms in (
        RecordAuthor.objects.filter(record_id__in=record_ids)
        .order_by("record_id", "position")
        .values_list("record_id", "person__name", "person__name_forms")
    ):
        authors[record_id].append((name, forms))
    shelves: dict[int, set[str]] = defaultdict(set)
    for record_id, code in Item.objects.filter(
        record_id__in=record_ids, status=ItemStatus.AVAILABLE
    ).values_list("record_id", "branch__code"):
        shelves[record_id].add(code)
    rows = Record.objects.filter(id__in=record_ids).order_by("id").values(*_RECORD_COLUMNS)
    return [_build(row, authors.get(row["id"], []), shelves.get(row["id"], set())) for row in rows]
