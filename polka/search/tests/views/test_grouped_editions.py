"""Editions of one work are one entry of the result list; counts and pages stay in records."""

import re

import pytest
from django.urls import reverse

from polka.search.backends.base import SearchRequest
from polka.search.selectors import search_page
from polka.search.tests.factories import ON_LOAN, ON_SHELF, make_record

pytestmark = pytest.mark.django_db

TOLSTOY = ("Толстой, Лев Николаевич",)


def _war_and_peace() -> list[int]:
    return [
        make_record(
            "Война и мир", authors=TOLSTOY, year=1957, publisher="Гослитиздат",
            copies=(("central", ON_SHELF), ("north", ON_LOAN)),
        ).pk,
        make_record(
            "Война и мир", authors=TOLSTOY, year=2020, publisher="Эксмо",
            copies=(("central", ON_SHELF),),
        ).pk,
        make_record(
            "Война и мир", authors=TOLSTOY, year=2012, publisher="Азбука",
            material_type="audio", copies=(("north", ON_LOAN),),
        ).pk,
    ]  # fmt: skip


def test_editions_of_one_work_are_one_entry_with_their_years_formats_and_copies():
    editions = _war_and_peace()
    page = search_page(request=SearchRequest(text="война и мир"))
    assert page.results.total == 3  # the count stays in records: each edition is one
    (work,) = page.works
    assert sorted(row.record.pk for row in work.editions) == sorted(editions)
    assert work.grouped and work.position == 1
    assert work.years == "1957–2020"
    assert work.formats == ["книга", "аудиозапись"]
    assert (work.on_shelf, work.copies) == (2, 4)


def test_one_title_by_different_authors_stays_two_entries():
    make_record("Стихотворения", authors=("Фет, Афанасий",), year=1990)
    make_record("Стихотворения", authors=("Тютчев, Фёдор",), year=1991)
    make_record("Стихотворения", authors=("Тютчев, Фёдор",), year=2005)
    page = search_page(request=SearchRequest(text="стихотворения", sort="newest"))
    assert [len(work.editions) for work in page.works] == [2, 1]
    assert [work.position for work in page.works] == [1, 3]
    assert {work.first.authors[0] for work in page.works} == {"Фет, Афанасий", "Тютчев, Фёдор"}


def test_a_uniform_title_gathers_editions_whose_titles_differ():
    make_record("Хоббит", authors=("Толкин, Джон",), uniform_title="Hobbit", year=2000)
    make_record(
        "Хоббит, или Туда и обратно", authors=("Толкин, Джон",), uniform_title="Hobbit", year=1976
    )
    make_record("Хоббит", authors=("Толкин, Джон",), year=2015)  # no uniform title: apart
    page = search_page(request=SearchRequest(text="хоббит", sort="newest"))
    assert sorted(len(work.editions) for work in page.works) == [1, 2]


def test_records_without_a_work_key_are_never_grouped():
    make_record("Сборник задач", year=2001)
    make_record("Сборник задач", year=2002)
    page = search_page(request=SearchRequest(text="сборник задач"))
    assert [len(work.editions) for work in page.works] == [1, 1]


def test_facets_count_records_and_filters_narrow_the_editions_shown():
    _war_and_peace()
    page = search_page(request=SearchRequest(text="война и мир"))
    decades = {f.value: f.count for f in page.results.facets["decade"]}
    assert decades == {"1950": 1, "2010": 1, "2020": 1}
    narrowed = search_page(request=SearchRequest(text="война и мир", filters={"decade": ["2010"]}))
    (work,) = narrowed.works
    assert not work.grouped and work.first.record.year == 2012


def test_the_page_shows_one_entry_whose_editions_open_without_javascript(client):
    editions = _war_and_peace()
    text = client.get(reverse("search:search"), {"q": "война и мир"}).text
    assert text.count('class="search-hit search-work"') == 1
    assert "Найдено записей: 3" in text and "изданий: 3 (1957–2020)" in text
    assert "на полке экземпляров: 2" in text
    details = re.search(r"<details class=\"search-work-editions\">(.*?)</details>", text, re.S)
    assert details is not None and "<summary>Издания (3)</summary>" in details.group(1)
    for pk in editions:
        assert reverse("catalog:record", args=[pk]) in details.group(1)
    assert "Гослитиздат" in details.group(1) and "North: выдан" in details.group(1)


def test_entries_keep_the_numbers_of_their_first_records(client):
    for year in (2001, 2002):
        make_record("Задачник по физике", authors=("Рымкевич, А. П.",), year=year)
    make_record("Задачник по физике", authors=("Гольдфарб, Н. И.",), year=2000)
    text = client.get(reverse("search:search"), {"q": "задачник", "sort": "newest"}).text
    assert re.findall(r'<li class="search-hit[^"]*" value="(\d+)"', text) == ["1", "3"]


def test_each_edition_in_a_work_names_its_year_publisher_and_kind(client):
    from polka.catalog.models import MaterialType

    _war_and_peace()
    make_record("Война и мир", authors=TOLSTOY, publisher="Дрофа")  # no year
    text = client.get(reverse("search:search"), {"q": "война и мир"}).text
    details = re.search(r"<details class=\"search-work-editions\">(.*?)</details>", text, re.S)
    assert details is not None
    editions = details.group(1)
    assert f">2012, Азбука</a> · {MaterialType('audio').label}" in editions
    assert f">1957, Гослитиздат</a> · {MaterialType('book').label}" in editions
    assert ">без года, Дрофа</a>" in editions
