"""Author pages, other books of a record's authors, covers, and new arrivals per branch."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from polka.catalog.models import Item, ItemStatus, Person
from polka.catalog.selectors import new_arrivals
from polka.catalog.tests.gost.factories import make_record
from polka.org.models import Branch, BranchKind, Network

pytestmark = pytest.mark.django_db

GILYAROVSKY = ("Гиляровский, Владимир Алексеевич", "aut")


@pytest.fixture
def branches():
    network = Network.objects.create(name="ЦБС")
    return [
        Branch.objects.create(network=network, code=code, name=name, kind=BranchKind.BRANCH)
        for code, name in (("f1", "Филиал № 1"), ("f2", "Филиал № 2"))
    ]


def _copy(record, branch, barcode, acquired_on, **fields):
    return Item.objects.create(
        record=record, branch=branch, barcode=barcode, acquired_on=acquired_on, **fields
    )


def test_an_author_page_lists_their_books_and_the_record_page_links_to_it(client):
    moscow = make_record(title="Москва и москвичи", year=2017, people=(GILYAROVSKY,))
    make_record(title="Трущобные люди", year=1957, people=(GILYAROVSKY,))
    make_record(title="Чужая книга", people=(("Толстой, Лев Николаевич", "aut"),))
    person = Person.objects.get(name=GILYAROVSKY[0])
    page = client.get(reverse("catalog:record", args=[moscow.pk])).content.decode()
    assert reverse("catalog:author", args=[person.pk]) in page
    assert "Другие книги авторов" in page and "Трущобные люди" in page
    author = client.get(reverse("catalog:author", args=[person.pk])).content.decode()
    assert "Москва и москвичи" in author and "Трущобные люди" in author
    assert "Чужая книга" not in author
    assert author.index("Москва и москвичи") < author.index("Трущобные люди")  # newest first
    assert client.get(reverse("catalog:author", args=[999999])).status_code == 404


def test_an_undated_book_comes_after_the_dated_ones_on_either_engine(client):
    # PostgreSQL sorts NULL first when descending, SQLite last: the order is said outright.
    page = make_record(title="Москва и москвичи", year=2017, people=(GILYAROVSKY,))
    make_record(title="Без года", people=(GILYAROVSKY,))
    make_record(title="Трущобные люди", year=1957, people=(GILYAROVSKY,))
    person = Person.objects.get(name=GILYAROVSKY[0])
    author = client.get(reverse("catalog:author", args=[person.pk])).content.decode()
    assert author.index("Москва и москвичи") < author.index("Трущобные люди")
    assert author.index("Трущобные люди") < author.index("Без года")
    record = client.get(reverse("catalog:record", args=[page.pk])).content.decode()
    assert record.index("Трущобные люди") < record.index("Без года")


def test_a_linked_cover_is_shown_and_shared_but_none_is_invented(client):
    with_cover = make_record(
        title="С обложкой",
        links=[{"url": "https://covers.example.org/1.jpg", "label": "Обложка"}],
    )
    toc_only = make_record(
        title="Без обложки",
        links=[{"url": "https://d-nb.info/1/04", "label": "Inhaltsverzeichnis"}],
    )
    page = client.get(reverse("catalog:record", args=[with_cover.pk])).content.decode()
    assert '<img class="record-cover" src="https://covers.example.org/1.jpg"' in page
    assert '<meta property="og:image" content="https://covers.example.org/1.jpg">' in page
    assert '<meta property="og:title" content="С обложкой">' in page
    page = client.get(reverse("catalog:record", args=[toc_only.pk])).content.decode()
    assert "record-cover" not in page and "og:image" not in page


def test_new_arrivals_count_a_record_from_its_first_copy_in_the_branch(branches):
    first, second = branches
    today = dt.date(2026, 11, 20)
    old = make_record(title="Давняя книга")
    _copy(old, first, "1", today - dt.timedelta(days=400))
    _copy(old, first, "2", today - dt.timedelta(days=3))  # a second copy: not new here
    _copy(old, second, "3", today - dt.timedelta(days=2))  # but new in the other branch
    fresh = make_record(title="Свежая книга")
    _copy(fresh, first, "4", today - dt.timedelta(days=10), status=ItemStatus.ON_LOAN)
    since = today - dt.timedelta(days=30)
    assert list(new_arrivals(branch=first, since=since)) == [fresh]
    assert list(new_arrivals(branch=second, since=since)) == [old]
    assert list(new_arrivals(since=since)) == [fresh]  # network-wide, `old` came long ago
    assert list(new_arrivals(branch=first)) == [fresh, old]


def test_the_new_arrivals_pages_list_per_branch(client, branches):
    first = branches[0]
    book = make_record(title="Свежая книга")
    _copy(book, first, "1", timezone.localdate())
    page = client.get(reverse("catalog:new-arrivals")).content.decode()
    assert "Свежая книга" in page and "Филиал № 2" in page
    page = client.get(reverse("catalog:new-arrivals-branch", args=["f2"])).content.decode()
    assert "Свежая книга" not in page
    assert client.get(reverse("catalog:new-arrivals-branch", args=["nope"])).status_code == 404
