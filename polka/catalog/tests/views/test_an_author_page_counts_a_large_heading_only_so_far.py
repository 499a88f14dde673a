"""An author page counts a person's records only up to AUTHOR_COUNTED: past it the page says
"more than" and pages on without a total, so the largest heading costs what a small one does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polka.catalog import selectors
from polka.catalog.models import Person
from polka.catalog.tests.gost.factories import make_record

pytestmark = pytest.mark.django_db

AUTHOR = "Гиляровский, Владимир Алексеевич"


def _author_page(client, person: Person, page: int = 1) -> str:
    url = reverse("catalog:author", args=[person.pk])
    return client.get(url, {"page": page}).content.decode()


@pytest.fixture
def person() -> Person:
    for year in (2001, 2002, 2003):
        make_record(title=f"Книга {year}", year=year, people=((AUTHOR, "aut"),))
    return Person.objects.get(name=AUTHOR)


def test_a_heading_within_the_bound_is_counted_and_numbered(client, monkeypatch, person):
    monkeypatch.setattr(selectors, "AUTHOR_COUNTED", 3)
    monkeypatch.setattr("polka.catalog.views.PAGE_SIZE", 2)
    page = _author_page(client, person)
    assert "Изданий в каталоге: 3" in page and "Страница 1 из 2" in page


def test_past_the_bound_the_page_says_more_and_pages_on_without_a_total(
    client, monkeypatch, person
):
    monkeypatch.setattr(selectors, "AUTHOR_COUNTED", 2)
    monkeypatch.setattr("polka.catalog.views.PAGE_SIZE", 2)
    first = _author_page(client, person)
    assert "Изданий в каталоге: больше 2" in first
    assert "Страница 1<" in first and "?page=2" in first and " из " not in first
    assert "Книга 2003" in first and "Книга 2002" in first and "Книга 2001" not in first
    second = _author_page(client, person, 2)
    assert "Книга 2001" in second and "Страница 2<" in second and "?page=3" not in second


def test_a_person_named_twice_in_a_record_counts_it_once(monkeypatch):
    for year in (2001, 2002):
        make_record(title=f"Книга {year}", year=year, people=((AUTHOR, "aut"), (AUTHOR, "ill")))
    person = Person.objects.get(name=AUTHOR)
    monkeypatch.setattr(selectors, "AUTHOR_COUNTED", 3)  # four authorships, two records
    assert selectors.person_record_count(person_id=person.pk) == 2
    monkeypatch.setattr(selectors, "AUTHOR_COUNTED", 10)
    assert selectors.person_record_count(person_id=person.pk) == 2


def test_the_count_reads_no_more_than_the_bound_off_the_index(person):
    with CaptureQueriesContext(connection) as queries:
        selectors.person_record_count(person_id=person.pk)
    (count,) = [q["sql"] for q in queries.captured_queries]
    assert f"LIMIT {selectors.AUTHOR_COUNTED + 1}" in count, count
