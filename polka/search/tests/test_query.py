from polka.search.query import parse_query, with_respellings


def test_plain_words_become_one_clause_each_and_stopwords_drop_out():
    parsed = parse_query("книги о войне")
    assert [c.words for c in parsed.active_clauses()] == [("книги",), ("войне",)]


def test_a_query_of_stopwords_only_keeps_them():
    assert len(parse_query("о и").active_clauses()) == 2


def test_quoted_words_form_one_stemmed_phrase():
    (clause,) = parse_query('"великой войне"').clauses
    assert clause.phrase and clause.variants == (("велик", "войн"),)


def test_field_prefixes_in_russian_and_english():
    parsed = parse_query('автор:толстой title:"война и мир" тема:история')
    assert [(c.field, c.phrase) for c in parsed.clauses] == [
        ("authors", False),
        ("title", True),
        ("subjects", False),
    ]


def test_year_prefix_takes_a_year_or_a_range():
    assert (parse_query("год:1990-2000").year_from, parse_query("год:1990-2000").year_to) == (
        1990,
        2000,
    )
    assert (parse_query("year:1995").year_from, parse_query("year:1995").year_to) == (1995, 1995)
    assert (parse_query("год:1990-").year_from, parse_query("год:1990-").year_to) == (1990, None)


def test_isbn_is_recognised_with_or_without_prefix_and_hyphens():
    for text in ("isbn:978-5-17-090630-7", "5170906307", "5-17-090630-X"):
        (clause,) = parse_query(text).clauses
        assert clause.literal and clause.variants[0] == ("9785170906307",), text


def test_an_unknown_prefix_is_just_words():
    assert [c.words for c in parse_query("Война: роман").clauses] == [("война",), ("роман",)]


def test_respellings_add_layout_and_transliteration_variants():
    (layout, latin) = with_respellings(parse_query("ljcnjtdcrbq dostoevsky")).clauses
    assert ("достоевск",) in layout.variants
    assert ("достоевск",) in latin.variants


def test_query_text_round_trips_fields_and_years():
    assert parse_query('автор:толстой "война мир" год:1990-2000').text() == (
        'автор:толстой "война мир" год:1990-2000'
    )
