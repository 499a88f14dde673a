"""The SRU server's reads: a CQL query run on the catalogue's own search engine (the same
Snowball stems, name keys, ё = е, ISBN forms as the search page), records in the requested
schema, and scan over the index vocabulary and headings.

Each CQL search clause becomes the engine's match SQL for that clause; booleans become
INTERSECT / UNION / EXCEPT of record ids, which both SQLite and PostgreSQL run as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from polka.catalog.models import Record
from polka.interop.cql import BooleanNode, CqlError, CqlQuery, Node, SearchClause
from polka.interop.dc import srw_dc_xml
from polka.interop.sru import RecordSchema, ScanTerm
from polka.protocols.records import (
    MARCXML_FIELDS,
    PAYLOAD_FIELDS,
    dublin_core,
    marcxml_many,
    record_authors,
)
from polka.search.analysis import (
    STOPWORDS,
    isbn_forms,
    normalize,
    query_variants,
    stem,
    tokenize,
)
from polka.search.backends import get_backend
from polka.search.query import Clause

MARCXML = RecordSchema("marcxml", "info:srw/schema/1/marcxml-v1.1", "MARCXML (MARC21 slim)")
RUSMARC = RecordSchema("rusmarc", "info:srw/schema/1/rusmarc", "RUSMARC в MARCXML")
DC = RecordSchema("dc", "info:srw/schema/1/dc-v1.1", "Dublin Core")
SCHEMAS = (MARCXML, RUSMARC, DC)
DEFAULT_RECORDS = 10
MAX_RECORDS = 100
MAX_SCAN_TERMS = 100

# CQL index → the search engine's field (None: any field), or a special kind.
TEXT_INDEXES: dict[str, str | None] = {
    "cql.serverchoice": None,
    "cql.anywhere": None,
    "cql.keywords": None,
    "dc.anywhere": None,
    "dc.title": "title",
    "bath.title": "title",
    "dc.creator": "authors",
    "dc.author": "authors",
    "bath.author": "authors",
    "bath.name": "authors",
    "dc.subject": "subjects",
    "bath.subject": "subjects",
}
ISBN_INDEXES = {"bath.isbn", "dc.identifier", "isbn"}
ID_INDEXES = {"rec.id", "rec.identifier"}
YEAR_INDEXES = {"dc.date", "bath.date"}
ALL_INDEXES = {"cql.allrecords"}
TEXT_RELATIONS = {"=", "==", "adj", "all", "any"}
IGNORED_MODIFIERS = {"stem", "cql.stem", "relevant", "cql.relevant", "word", "cql.word"}
SORT_KEYS = {
    "dc.title": "d.title_sort",
    "bath.title": "d.title_sort",
    "dc.date": "d.year",
    "rec.id": "d.record_id",
}
# (set, name, title) for explain.
EXPLAIN_INDEXES = (
    ("cql", "anywhere", "Любое поле"),
    ("dc", "title", "Заглавие"),
    ("dc", "creator", "Автор"),
    ("dc", "subject", "Тема"),
    ("dc", "date", "Год издания"),
    ("bath", "isbn", "ISBN"),
    ("rec", "id", "Номер записи"),
    ("cql", "allRecords", "Все записи"),
)
INDEX_SETS = (
    ("cql", "info:srw/cql-context-set/1/cql-v1.2"),
    ("dc", "info:srw/cql-context-set/1/dc-v1.1"),
    ("bath", "http://zing.z3950.org/cql/bath/2.0/"),
    ("rec", "info:srw/cql-context-set/2/rec-1.1"),
)


@dataclass(frozen=True)
class SruHits:
    total: int
    record_ids: list[int]


def schema_named(name: str) -> RecordSchema | None:
    wanted = (name or MARCXML.name).strip()
    return next((s for s in SCHEMAS if wanted in (s.name, s.identifier)), None)


class _Compiler:
    def __init__(self) -> None:
        self.backend = get_backend()
        self.params: list[Any] = []
        self.count = 0

    def alias(self) -> str:
        self.count += 1
        return f"t{self.count}"

    def node(self, node: Node) -> str:
        if isinstance(node, BooleanNode):
            left = self.node(node.left)
            right = self.node(node.right)
            op = {"and": "INTERSECT", "or": "UNION", "not": "EXCEPT"}[node.op]
            return (
                f"SELECT id FROM ({left}) AS {self.alias()} {op} "  # noqa: S608 - our own SQL
                f"SELECT id FROM ({right}) AS {self.alias()}"
            )
        return self.clause(node)

    def match(self, clauses: Sequence[Clause], prefix: bool = False) -> str:
        sql, params = self.backend.match_sql(clauses, None, prefix=prefix, scored=False)
        self.params += params
        return f"SELECT id FROM ({sql}) AS {self.alias()}"  # noqa: S608 - the engine's SQL

    def clause(self, clause: SearchClause) -> str:
        index, relation, term = clause.index, clause.relation, clause.term
        if index in ALL_INDEXES:
            return "SELECT record_id AS id FROM search_document"
        known = index in TEXT_INDEXES or index in ISBN_INDEXES or index in ID_INDEXES
        if not known and index not in YEAR_INDEXES:
            raise CqlError(16, index)
        for modifier in clause.modifiers:
            if modifier.name not in IGNORED_MODIFIERS:
                raise CqlError(20, modifier.name)
        if not term.strip():
            raise CqlError(27, index)
        if index in ID_INDEXES:
            return self._record_id(relation, term)
        if index in YEAR_INDEXES:
            return self._year(relation, term)
        if relation not in TEXT_RELATIONS:
            raise CqlError(19, relation)
        if index in ISBN_INDEXES:
            return self._isbn(term)
        return self._text(TEXT_INDEXES[index], relation, term)

    def _record_id(self, relation: str, term: str) -> str:
        if relation not in ("=", "=="):
            raise CqlError(19, relation)
        if not term.strip().isdigit():
            raise CqlError(36, term[:40])
        self.params.append(int(term.strip()))
        return "SELECT record_id AS id FROM search_document WHERE record_id = %s"

    def _year(self, relation: str, term: str) -> str:
        operators = {"=": "=", "==": "=", "<": "<", ">": ">", "<=": "<=", ">=": ">=", "<>": "<>"}
        if relation not in operators:
            raise CqlError(19, relation)
        if not term.strip().isdigit():
            raise CqlError(36, term[:40])
        self.params.append(int(term.strip()))
        return f"SELECT record_id AS id FROM search_document WHERE year {operators[relation]} %s"  # noqa: S608

    def _isbn(self, term: str) -> str:
        forms = isbn_forms(term)
        if not forms:
            compact = "".join(ch for ch in term if ch.isalnum()).lower()
            forms = [compact] if compact else []
        if not forms:
            raise CqlError(27, term[:40])
        clause = Clause(
            raw=term,
            words=(forms[0].lower(),),
            variants=tuple((f.lower(),) for f in forms),
            field="other",
            literal=True,
        )
        return self.match([clause])

    def _text(self, field: str | None, relation: str, term: str) -> str:
        words: list[tuple[str, bool]] = []  # (normalised word, prefix)
        for raw in term.split():
            prefix = raw.endswith("*")
            body = raw.rstrip("*") if prefix else raw
            if "*" in body or "?" in body:
                raise CqlError(28, raw[:40])
            parts = tokenize(body)
            words += [(part, prefix and i == len(parts) - 1) for i, part in enumerate(parts)]
        if not words:
            raise CqlError(27, term[:40])
        if relation in ("all", "any"):
            meaningful = [w for w in words if w[0] not in STOPWORDS] or words
            truncated = [w for w in meaningful if w[1]]
            if relation == "all" and len(truncated) <= 1:
                # One engine match for every word (the engine ANDs its clauses, far cheaper
                # than intersecting each word's hits); a truncated word goes last.
                ordered = [w for w in meaningful if not w[1]] + truncated
                clauses = [Clause(w, (w,), _variants([w], p), field=field) for w, p in ordered]
                return self.match(clauses, prefix=bool(truncated))
            parts = [self._word(field, word, prefix) for word, prefix in meaningful]
            if len(parts) == 1:
                return parts[0]
            op = " INTERSECT " if relation == "all" else " UNION "
            return op.join(f"SELECT id FROM ({p}) AS {self.alias()}" for p in parts)  # noqa: S608
        # =, ==, adj: the words in this order (a phrase); only the last may be truncated.
        if any(prefix for _, prefix in words[:-1]):
            raise CqlError(28, term[:40])
        if len(words) == 1:
            return self._word(field, *words[0])
        plain = tuple(w for w, _ in words)
        clause = Clause(term, plain, _variants(plain, words[-1][1]), field=field, phrase=True)
        return self.match([clause], prefix=words[-1][1])

    def _word(self, field: str | None, word: str, prefix: bool) -> str:
        clause = Clause(word, (word,), _variants([word], prefix), field=field)
        return self.match([clause], prefix=prefix)


def _variants(words: Sequence[str], truncated: bool) -> tuple[tuple[str, ...], ...]:
    """What the words match, as on the search page: their stems and, for names, their name keys
    (a person's name is indexed by its key only, so «Дьяконов» and «Дьяконова» need the key to
    find «Дьяконов, Игорь Михайлович»). A truncated word is a prefix of stems only."""
    if truncated:
        return (tuple(stem(word) for word in words),)
    return query_variants(words)


def sru_search(*, query: CqlQuery, start: int, count: int) -> SruHits:
    """Total hits and the ids of records start..start+count-1 (1-based) in sort order."""
    compiler = _Compiler()
    ids_sql = compiler.node(query.root)
    order: list[str] = []
    for key in query.sort:
        column = SORT_KEYS.get(key.index)
        if column is None:
            raise CqlError(80, key.index)
        direction = "DESC" if key.descending else "ASC"
        nulls = " NULLS LAST" if column == "d.year" else ""
        order.append(f"{column} {direction}{nulls}")
    order.append("d.record_id")
    # Every clause yields distinct ids of indexed records (a text match, search_document, or
    # a set operation of those), so the hits are counted and paged as they are. In record
    # order, SQLite's FTS5 hands a single match's first rows over without reading the rest.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({ids_sql}) AS hits", compiler.params)  # noqa: S608
        total = int(cursor.fetchone()[0])
        if not total or count <= 0 or start > total:
            return SruHits(total, [])
        if query.sort:
            page = (
                f"SELECT d.record_id FROM search_document d WHERE d.record_id IN ({ids_sql}) "  # noqa: S608
                f"ORDER BY {', '.join(order)} LIMIT %s OFFSET %s"
            )
        else:
            page = f"SELECT id FROM ({ids_sql}) AS hits ORDER BY id LIMIT %s OFFSET %s"  # noqa: S608
        cursor.execute(page, [*compiler.params, count, start - 1])
        return SruHits(total, [int(row[0]) for row in cursor.fetchall()])


def sru_payloads(*, record_ids: Sequence[int], schema: RecordSchema) -> list[str | None]:
    """The records in `schema`, in the order asked; None where a record cannot be given in it
    (a MARC21 record asked for as RUSMARC, an unreadable source)."""
    fields = PAYLOAD_FIELDS if schema is DC else MARCXML_FIELDS
    records = Record.objects.only(*fields).in_bulk(list(record_ids))
    authors = record_authors(list(record_ids)) if schema is DC else {}
    wanted = [r for r in records.values() if schema is MARCXML or r.format == "rusmarc"]
    xml = marcxml_many(wanted) if schema is not DC else {}
    payloads: list[str | None] = []
    for record_id in record_ids:
        record = records.get(record_id)
        if record is None:
            payloads.append(None)
        elif schema is DC:
            payloads.append(srw_dc_xml(dublin_core(record, authors.get(record_id, []))))
        elif schema is RUSMARC and record.format != "rusmarc":
            payloads.append(None)
        else:
            payloads.append(xml.get(record_id))
    return payloads


def sru_scan(*, index: str, term: str, position: int, maximum: int) -> list[ScanTerm]:
    """Terms around `term`: headings (dc.creator, dc.subject) with their record counts, or
    the words of titles, authors and subjects with their frequency (other indexes)."""
    facet = {"dc.creator": "author", "dc.author": "author", "dc.subject": "subject"}.get(index)
    if facet is None and index not in TEXT_INDEXES:
        raise CqlError(16, index)
    before = max(0, min(position - 1, maximum))
    after = max(0, maximum - before)
    with connection.cursor() as cursor:
        if facet:
            sql = (
                "SELECT value, COUNT(*) FROM search_facet WHERE field = %s AND value {op} %s "
                "GROUP BY value ORDER BY value {direction} LIMIT %s"
            )
            start: str = term
            params: list[Any] = [facet]
        else:
            sql = (
                "SELECT term, freq FROM search_term WHERE term {op} %s "
                "ORDER BY term {direction} LIMIT %s"
            )
            start = normalize(term)
            params = []
        cursor.execute(sql.format(op="<", direction="DESC"), [*params, start, before])
        preceding = list(reversed(cursor.fetchall())) if before else []
        cursor.execute(sql.format(op=">=", direction="ASC"), [*params, start, after])
        following = cursor.fetchall()
    return [ScanTerm(str(value), int(count)) for value, count in preceding + following]
