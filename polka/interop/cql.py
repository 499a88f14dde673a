"""CQL (Contextual Query Language, as used by SRU) parsed by the `cql-parser` library into
small typed dataclasses. Pure; no Django. Errors carry the SRU diagnostic number to answer with.

The library builds an LR parser once per thread (a parse is a fraction of a millisecond); its
loggers are silenced because a bad query is the client's error, answered with a diagnostic.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Literal

from cql.lexer import CQLLexer, CQLLexerError
from cql.parser import CQLParser12, CQLParserError, CQLSearchClause, CQLTriple

logging.getLogger("cql").setLevel(logging.CRITICAL)

MAX_QUERY_LENGTH = 4_000
MAX_BOOLEANS = 32

# SRU diagnostics (info:srw/diagnostic/1/N) the parser can answer with.
QUERY_SYNTAX_ERROR = 10
TOO_MANY_BOOLEANS = 38
PROXIMITY_NOT_SUPPORTED = 39
QUERY_FEATURE_UNSUPPORTED = 48

Boolean = Literal["and", "or", "not"]


class CqlError(ValueError):
    """A query the server cannot run: `code` is the SRU diagnostic number."""

    def __init__(self, code: int, detail: str = "", message: str = "") -> None:
        super().__init__(message or detail or f"CQL diagnostic {code}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Modifier:
    name: str  # lower case, e.g. "sort.descending", "stem"
    comparison: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class SearchClause:
    index: str  # lower case with its prefix: "dc.title"; "cql.serverchoice" when none given
    relation: str  # lower case: "=", "==", "all", "any", "adj", "<", ">=", ...
    term: str  # unescaped
    modifiers: tuple[Modifier, ...] = ()


@dataclass(frozen=True, slots=True)
class BooleanNode:
    op: Boolean
    left: Node
    right: Node


Node = SearchClause | BooleanNode


@dataclass(frozen=True, slots=True)
class SortKey:
    index: str
    descending: bool = False


@dataclass(frozen=True, slots=True)
class CqlQuery:
    root: Node
    sort: tuple[SortKey, ...] = ()


_local = threading.local()


def _parser() -> CQLParser12:
    parser: CQLParser12 | None = getattr(_local, "parser", None)
    if parser is None:
        lexer = CQLLexer()
        lexer.build()
        parser = CQLParser12()
        parser.build(lexer)  # type: ignore[arg-type]  # the library's own hint is too narrow
        _local.parser = parser
    return parser


def _modifiers(source: Any) -> tuple[Modifier, ...]:
    return tuple(
        Modifier(
            name=str(m.name).lower(),
            comparison=str(m.comparitor or ""),
            value=str(m.value or ""),
        )
        for m in (getattr(source, "modifiers", None) or [])
    )


def _convert(node: Any, budget: list[int]) -> Node:
    if isinstance(node, CQLSearchClause):
        if node.index is None or node.relation is None:
            return SearchClause(index="cql.serverchoice", relation="=", term=node.term)
        return SearchClause(
            index=str(node.index).lower(),
            relation=str(node.relation.comparitor).lower(),
            term=node.term,
            modifiers=_modifiers(node.relation),
        )
    if isinstance(node, CQLTriple):
        budget[0] -= 1
        if budget[0] < 0:
            raise CqlError(TOO_MANY_BOOLEANS, str(MAX_BOOLEANS))
        op = str(node.operator.value).lower()
        if op == "prox":
            raise CqlError(PROXIMITY_NOT_SUPPORTED, "prox")
        if op not in ("and", "or", "not"):
            raise CqlError(QUERY_SYNTAX_ERROR, op)
        if _modifiers(node.operator):
            raise CqlError(QUERY_FEATURE_UNSUPPORTED, "boolean modifiers")
        return BooleanNode(op, _convert(node.left, budget), _convert(node.right, budget))  # type: ignore[arg-type]
    raise CqlError(QUERY_SYNTAX_ERROR, type(node).__name__)


def parse_cql(text: str) -> CqlQuery:
    """The query as dataclasses; raises CqlError (syntax error 10, too many booleans 38, ...)."""
    if not text.strip():
        raise CqlError(QUERY_SYNTAX_ERROR, "empty query")
    if len(text) > MAX_QUERY_LENGTH:
        raise CqlError(QUERY_SYNTAX_ERROR, f"query longer than {MAX_QUERY_LENGTH} characters")
    if text.count("(") > MAX_BOOLEANS * 2:
        raise CqlError(TOO_MANY_BOOLEANS, str(MAX_BOOLEANS))
    try:
        parsed = _parser().parse(text)
    except (CQLParserError, CQLLexerError) as error:
        raise CqlError(QUERY_SYNTAX_ERROR, str(error.args[0])[:200]) from None
    except Exception as error:  # the library's own slips (it is a young parser) are syntax errors
        raise CqlError(QUERY_SYNTAX_ERROR, type(error).__name__) from None
    if parsed is None:
        raise CqlError(QUERY_SYNTAX_ERROR, "empty query")
    if getattr(parsed.root, "prefixes", None):
        raise CqlError(QUERY_FEATURE_UNSUPPORTED, "prefix assignment")
    sort = tuple(
        SortKey(
            index=str(spec.index).lower(),
            descending=any(m.name == "sort.descending" for m in _modifiers(spec)),
        )
        for spec in (getattr(parsed.root, "sortSpecs", None) or [])
    )
    return CqlQuery(root=_convert(parsed.root, [MAX_BOOLEANS]), sort=sort)


def cql_words(term: str) -> list[str]:
    """A term's words as CQL sees them (split on spaces); masking characters stay attached."""
    return term.split()
