"""CQL parsed by cql-parser into Polka's dataclasses, and the diagnostics bad queries get."""

from __future__ import annotations

import pytest

from polka.interop.cql import (
    MAX_BOOLEANS,
    BooleanNode,
    CqlError,
    Modifier,
    SearchClause,
    SortKey,
    parse_cql,
)


def test_a_bare_term_searches_the_server_choice_index():
    assert parse_cql("война").root == SearchClause("cql.serverchoice", "=", "война")


def test_indexes_and_relations_are_lower_cased_and_quoted_terms_unescaped():
    query = parse_cql('DC.Title ALL "война \\"и\\" мир"')
    assert query.root == SearchClause("dc.title", "all", 'война "и" мир')


def test_booleans_nest_as_written_and_sort_keys_keep_their_direction():
    query = parse_cql(
        "толстой and (dc.subject any история or bath.isbn = 5-01) not x "
        "sortBy dc.title/sort.descending dc.date"
    )
    assert isinstance(query.root, BooleanNode) and query.root.op == "not"
    left = query.root.left
    assert isinstance(left, BooleanNode) and left.op == "and"
    assert isinstance(left.right, BooleanNode) and left.right.op == "or"
    assert query.sort == (SortKey("dc.title", descending=True), SortKey("dc.date"))


def test_relation_modifiers_are_kept():
    query = parse_cql("dc.title =/stem война*")
    assert query.root == SearchClause("dc.title", "=", "война*", (Modifier("stem"),))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", 10),
        ("a and", 10),
        ("(a", 10),
        ('"unterminated', 10),
        ("a" * 100_000, 10),
        ("a prox b", 39),
        (" or ".join(["a"] * (MAX_BOOLEANS + 2)), 38),
        ("(" * 200 + "a" + ")" * 200, 38),
        ('> dc = "info:srw/cql-context-set/1/dc-v1.1" dc.title = a', 48),
    ],
)
def test_bad_queries_raise_the_sru_diagnostic(text, code):
    with pytest.raises(CqlError) as raised:
        parse_cql(text)
    assert raised.value.code == code


def test_the_parser_recovers_after_an_error():
    with pytest.raises(CqlError):
        parse_cql("a and")
    assert parse_cql("b").root == SearchClause("cql.serverchoice", "=", "b")
