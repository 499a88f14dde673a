import pytest

from polka.catalog.mapping._common import (
    age_mark_in,
    clean,
    clean_keeping_stop,
    clean_name,
    life_years,
    relator_code,
    year_in,
)


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ("1828-1910", (1828, 1910)),
        ("1821-1881.", (1821, 1881)),
        ("1799-1837", (1799, 1837)),
        ("1705 - 1770", (1705, 1770)),
        ("b. 1950", (1950, None)),
        ("d. 1837", (None, 1837)),
        ("род. 1950", (1950, None)),
        ("1952-", (1952, None)),
        ("1926 Dec. 5-", (1926, None)),
        ("384-322 B.C.", (-384, -322)),
        ("1821-81", (1821, 1881)),
        ("fl. 1890-1910", (None, None)),
        ("20th cent.", (None, None)),
        ("", (None, None)),
    ],
)
def test_life_years_are_read_from_heading_dates(dates, expected):
    assert life_years(dates) == expected


@pytest.mark.parametrize(
    ("text", "year"),
    [("c1989.", 1989), ("[2002?]", 2002), ("1997-2000", 1997), ("s.a.", None), ("19--", None)],
)
def test_publication_year_is_the_first_four_digit_year(text, year):
    assert year_in(text) == year


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("Люди с чистой совестью :", "Люди с чистой совестью"),
        ("Стихотворения и поэмы /", "Стихотворения и поэмы"),
        ("Jazz ;", "Jazz"),
        ("П. Вершигора; Ил. И.И. Пчелко.", "П. Вершигора; Ил. И.И. Пчелко"),
        ("Редкол.: В. Н. Барсуков и др.", "Редкол.: В. Н. Барсуков и др."),
        ("Вып. 13.", "Вып. 13"),
        ("2-е изд.", "2-е изд."),
        ("Правда,", "Правда"),
        ("Les Lombards en France et à  Paris", "Les Lombards en France et à Paris"),
    ],
)
def test_isbd_punctuation_is_stripped_but_abbreviations_keep_their_stop(value, cleaned):
    assert clean(value) == cleaned


def test_age_mark_is_found_in_a_note():
    assert age_mark_in("Для детей старшего школьного возраста. 16+") == "16+"
    assert age_mark_in("0+") == "0+"
    assert age_mark_in("С. 1-18") == ""
    assert age_mark_in("Знак информационной продукции: 12 +") == "12+"


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("Niu, Li.", "Niu, Li"),
        ("Félice, Philippe de.", "Félice, Philippe de"),
        ("Smith, J.", "Smith, J."),
        ("Пчелко, И.И.", "Пчелко, И.И."),
        ("King, Martin Luther, Jr.", "King, Martin Luther, Jr."),
        ("Толстой, Лев Николаевич,", "Толстой, Лев Николаевич"),
    ],
)
def test_a_name_loses_its_closing_stop_but_not_an_initial(value, cleaned):
    assert clean_name(value) == cleaned


def test_extent_keeps_its_abbreviation_but_not_the_plus_before_accompanying_material():
    assert clean_keeping_stop("23 cm. +") == "23 cm."
    assert clean_keeping_stop("М. :") == "М."


@pytest.mark.parametrize(
    ("code", "relator"),
    [("prf.", "prf"), ("aut", "aut"), ("http://id.loc.gov/vocabulary/relators/edt", "edt")],
)
def test_relator_codes_are_normalised(code, relator):
    assert relator_code(code) == relator
