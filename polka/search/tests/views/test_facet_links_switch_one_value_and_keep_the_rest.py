"""A facet link is the search's query string with that one value switched on or off, the other
parameters kept in their order and encoding, and the page back to the first."""

from urllib.parse import parse_qsl

import pytest
from django.http import QueryDict

from polka.search.forms import facet_toggles


@pytest.mark.parametrize(
    ("query", "name", "value", "expected"),
    [
        ("q=war+and+peace&sort=title", "decade", "1990", "q=war+and+peace&sort=title&decade=1990"),
        ("q=a&decade=1990&sort=title", "decade", "1990", "q=a&sort=title"),
        ("q=a&decade=1990&page=4", "decade", "2000", "q=a&decade=1990&decade=2000"),
        ("author=X&author=Y+Z&q=b", "author", "X", "author=Y+Z&q=b"),
        ("", "subject", "a&b=c+d/é", "subject=a%26b%3Dc%2Bd%2F%C3%A9"),
        (
            "q=%D0%B2%D0%BE%D0%B9%D0%BD%D0%B0&page=2",
            "author",
            "Толстой, Лев",
            "q=%D0%B2%D0%BE%D0%B9%D0%BD%D0%B0&author=%D0%A2%D0%BE%D0%BB%D1%81%D1%82%D0%BE%D0%B9"
            "%2C+%D0%9B%D0%B5%D0%B2",
        ),
    ],
)
def test_one_value_is_switched(query: str, name: str, value: str, expected: str) -> None:
    assert facet_toggles(QueryDict(query))(name, value) == expected


def test_each_link_starts_from_the_search_not_from_the_last_link() -> None:
    toggle = facet_toggles(QueryDict("q=a&decade=1990"))
    assert toggle("decade", "2000") == "q=a&decade=1990&decade=2000"
    assert toggle("decade", "1990") == "q=a"
    assert parse_qsl(toggle("language", "rus")) == [
        ("q", "a"),
        ("decade", "1990"),
        ("language", "rus"),
    ]
