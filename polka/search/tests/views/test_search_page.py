import pytest
from django.urls import reverse
from django.utils import timezone

from polka.catalog.models import Item, ItemStatus
from polka.org.models import Role
from polka.org.services import staff_role_grant
from polka.search.tests.factories import ON_LOAN, ON_SHELF, make_record

pytestmark = pytest.mark.django_db


def test_search_page_without_a_query_shows_the_form(client):
    response = client.get(reverse("search:search"))
    assert response.status_code == 200
    assert 'role="search"' in response.text and "search-hit" not in response.text


def test_search_page_lists_hits_with_availability_per_branch(client):
    make_record(
        "Книга о великой войне",
        authors=("Иванов, Иван",),
        year=2015,
        copies=(("central", ON_SHELF), ("north", ON_LOAN)),
    )
    response = client.get(reverse("search:search"), {"q": "книги о войне"})
    text = response.text
    assert "Книга о великой войне" in text and "Иванов, Иван" in text and "2015" in text
    assert "на полке:</strong> Central, шифр 84(2)" in text
    assert "North: выдан" in text


def test_facet_links_narrow_the_search_and_keep_the_query(client):
    make_record("Война и мир", year=1869)
    make_record("Война миров", year=1898)
    response = client.get(reverse("search:search"), {"q": "война"})
    assert "?q=%D0%B2%D0%BE%D0%B9%D0%BD%D0%B0&amp;decade=1890" in response.text
    narrowed = client.get(reverse("search:search"), {"q": "война", "decade": "1890"})
    assert "Война миров" in narrowed.text and "Война и мир<" not in narrowed.text


def test_pages_link_to_each_other(client):
    for number in range(25):
        make_record(f"Сборник задач {number}")
    first = client.get(reverse("search:search"), {"q": "сборник"})
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = client.get(reverse("search:search"), {"q": "сборник", "page": 2})
    assert 'rel="prev"' in second.text and 'start="21"' in second.text


def test_layout_fix_is_announced(client):
    make_record("Бесы", authors=("Достоевский, Федор",))
    response = client.get(reverse("search:search"), {"q": "ljcnjtdcrbq"})
    assert "Показаны результаты по запросу" in response.text and "Бесы" in response.text


def test_suggestions_return_matching_titles(client):
    record = make_record("Достоевский и мировая культура")
    response = client.get(reverse("search:suggest"), {"q": "достоевс"}, HTTP_HX_REQUEST="true")
    assert reverse("catalog:record", args=[record.pk]) in response.text


def test_withdrawn_copies_and_notes_show_only_in_staff_search(client, django_user_model):
    record = make_record("Старый справочник", copies=(("central", ON_SHELF),))
    Item.objects.filter(record=record).update(status=ItemStatus.WITHDRAWN, note="ветхий")
    public = client.get(reverse("search:search"), {"q": "справочник", "staff": "1"})
    assert "списан" not in public.text and "ветхий" not in public.text
    # Django's is_staff (the admin site) gives no catalogue rights: only roles do.
    admin_only = django_user_model.objects.create_user(
        username="a", password="x" * 12, is_staff=True
    )
    client.force_login(admin_only)
    assert (
        "ветхий" not in client.get(reverse("search:search"), {"q": "справочник", "staff": "1"}).text
    )
    keeper = django_user_model.objects.create_user(username="cat", password="x" * 12)
    staff_role_grant(user=keeper, role=Role.CATALOGUER, branches="all", by=None, at=timezone.now())
    client.force_login(keeper)
    response = client.get(reverse("search:search"), {"q": "справочник", "staff": "1"})
    assert "Central: списан" in response.text and "ветхий" in response.text
