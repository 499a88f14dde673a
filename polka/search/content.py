"""Search other texts with the catalogue's engines: answered reference questions, news, ….

The same analysis as the catalogue (Snowball stems with the name keys, ё = е, the wrong keyboard
layout and Latin transliteration tried when nothing matches), on SQLite FTS5 or PostgreSQL
tsvector. Callers index and unindex inside the transaction that publishes or withdraws the
text, and register where every text of their kind comes from, for a rebuild after the analysis
changed (content_reindex).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet

from polka.search.analysis import analyze
from polka.search.backends import get_backend
from polka.search.models import ContentDocument
from polka.search.query import ParsedQuery, parse_query, with_respellings


@dataclass(frozen=True)
class ContentResults:
    ids: list[int]  # object ids of `kind`, best first
    total: int
    suggestion: str | None = None  # what was searched instead (layout, alphabet), if anything


@dataclass(frozen=True)
class ContentText:
    """One published text of a kind, as its app indexes it."""

    object_id: int
    title: str
    body: str
    tags: Sequence[str] = ()


# kind → every published text of that kind. Apps above search register here at start-up.
_sources: dict[str, Callable[[], Iterable[ContentText]]] = {}


def register_content_source(kind: str, texts: Callable[[], Iterable[ContentText]]) -> None:
    _sources[kind] = texts


def content_reindex() -> int:
    """Index every registered kind's texts afresh (after the analysis changed); a kind no app
    registers is left as it is. Returns the number of texts indexed."""
    count = 0
    with transaction.atomic():
        for kind, texts in sorted(_sources.items()):
            _delete(ContentDocument.objects.filter(kind=kind))
            for text in texts():
                content_index_text(kind=kind, text=text)
                count += 1
    return count


def content_index_text(*, kind: str, text: ContentText) -> None:
    content_index(
        kind=kind, object_id=text.object_id, title=text.title, body=text.body, tags=text.tags
    )


def content_index(
    *, kind: str, object_id: int, title: str, body: str, tags: Sequence[str] = ()
) -> None:
    """Index (or re-index) one object's text under `kind`."""
    tag_text = "|" + "|".join(t.replace("|", " ").strip() for t in tags) + "|" if tags else ""
    document, _ = ContentDocument.objects.update_or_create(
        kind=kind, object_id=object_id, defaults={"title": title[:500], "tags": tag_text}
    )
    with connection.cursor() as cursor:
        get_backend().content_write(cursor, document.pk, analyze(title), analyze(body))


def content_unindex(*, kind: str, object_id: int) -> None:
    _delete(ContentDocument.objects.filter(kind=kind, object_id=object_id))


def _delete(documents: QuerySet[ContentDocument]) -> None:
    """Drop these documents and their full-text rows, in steps (SQLite caps parameters)."""
    ids = list(documents.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            get_backend().content_delete(cursor, ids[start : start + 500])
    if ids:
        documents.delete()


def _run(
    parsed: ParsedQuery, kind: str, tag: str | None, page: int, per_page: int
) -> tuple[list[int], int]:
    clauses = parsed.active_clauses()
    if not clauses:
        return [], 0
    match, params = get_backend().content_match_sql(clauses)
    where, extra = "c.kind = %s", [kind]
    if tag:
        where += " AND c.tags LIKE %s"
        extra.append("%|" + tag.replace("%", "").replace("_", "") + "|%")
    base = f"FROM ({match}) h JOIN search_content c ON c.id = h.id WHERE {where}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {base}", [*params, *extra])
        total = int(cursor.fetchone()[0])
        cursor.execute(
            f"SELECT c.object_id {base} ORDER BY h.score DESC, c.id DESC LIMIT %s OFFSET %s",
            [*params, *extra, per_page, (max(page, 1) - 1) * per_page],
        )
        return [int(row[0]) for row in cursor.fetchall()], total


def content_search(
    *, kind: str, text: str, tag: str | None = None, page: int = 1, per_page: int = 20
) -> ContentResults:
    """Objects of `kind` whose title or body has every word of `text` (in any word form);
    title matches rank first. Nothing found: the wrong layout and transliteration are tried."""
    parsed = parse_query(text)
    ids, total = _run(parsed, kind, tag, page, per_page)
    if total:
        return ContentResults(ids, total)
    respelled = with_respellings(parsed)
    ids, total = _run(respelled, kind, tag, page, per_page)
    if total:
        return ContentResults(ids, total, suggestion=respelled.text())
    return ContentResults([], 0)
