"""The public record page, the browse list and the reader's selection list."""

import pytest
from django.urls import reverse

from polka.catalog.models import Item, ItemStatus
from polka.catalog.tests.gost.factories import make_record
from polka.org.models import Branch, BranchKind, Network

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch():
    network = Network.objects.create(name="ЦБС")
    return Branch.objects.create(
        network=network, code="f2", name="Библиотека-филиал № 2", kind=BranchKind.BRANCH
    )


@pytest.fixture
def book():
    return make_record(
        title="Москва и москвичи",
        responsibility="Владимир Гиляровский",
        place="Москва",
        publisher="АСТ",
        year=2017,
        extent="448 с.",
        subjects=["Москва -- История"],
        people=(("Гиляровский, Владимир Алексеевич", "aut"),),
    )


def _item(record, branch, barcode, **fields):
    return Item.objects.create(record=record, branch=branch, barcode=barcode, **fields)


def test_record_page_shows_title_description_and_where_the_copies_are(client, book, branch):
    _item(book, branch, "0001", shelf_mark="84(2)1 Г47", status=ItemStatus.AVAILABLE)
    response = client.get(reverse("catalog:record", args=[book.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Москва и москвичи" in html
    assert (
        '<span class="gost-heading">Гиляровский, В. А.</span> '
        '<span class="gost-title">Москва и москвичи</span> / Владимир Гиляровский. '
        "– Москва : АСТ, 2017. – 448 с. – Текст : непосредственный."
    ) in html
    assert "Библиотека-филиал № 2" in html and "84(2)1 Г47" in html and "на полке" in html
    assert "Москва -- История" in html


def test_record_page_hides_withdrawn_copies_and_staff_notes(client, book, branch):
    _item(book, branch, "0001", shelf_mark="ПОЛКА-1", note="угол надорван, не выдавать")
    _item(book, branch, "0002", shelf_mark="СПИСАН-2", status=ItemStatus.WITHDRAWN)
    html = client.get(reverse("catalog:record", args=[book.pk])).content.decode()
    assert "ПОЛКА-1" in html
    assert "СПИСАН-2" not in html
    assert "не выдавать" not in html


def test_record_page_never_links_to_a_script_address(client):
    record = make_record(
        title="Ссылки",
        links=[
            {"url": "javascript:alert(1)", "label": "плохая"},
            {"url": "https://example.org/book", "label": "Полный текст"},
        ],
    )
    html = client.get(reverse("catalog:record", args=[record.pk])).content.decode()
    assert 'href="https://example.org/book"' in html
    assert "javascript:" not in html


def test_an_unknown_record_is_not_found(client, db):
    assert client.get(reverse("catalog:record", args=[999999])).status_code == 404


def test_browse_lists_the_latest_records_twenty_to_a_page(client):
    for n in range(25):
        make_record(title=f"Книга номер {n:02d}")
    first = client.get(reverse("catalog:browse")).content.decode()
    second = client.get(reverse("catalog:browse") + "?page=2").content.decode()
    assert "Книга номер 24" in first and "Книга номер 05" in first
    assert "Книга номер 04" not in first
    assert "Книга номер 04" in second and "Страница 2<" in second
    assert 'rel="next"' in first and 'rel="next"' not in second  # no count, one row more read


def _select(client, *records, ticked=None, next_url=""):
    ticked = records if ticked is None else ticked
    data = {"record": [r.pk for r in records], "selected": [r.pk for r in ticked]}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("catalog:selection-update"), data)


def test_selected_records_are_listed_by_gost_numbered_for_copying(client, book):
    other = make_record(title="Сказки", year=2020, material_type="ebook")
    _select(client, book, other)
    html = client.get(reverse("catalog:selection")).content.decode()
    expected = (
        "1. Гиляровский, В. А. Москва и москвичи / Владимир Гиляровский. – Москва : АСТ, 2017. "
        "– 448 с. – Текст : непосредственный.\n"
        "2. Сказки. – 2020. – Текст : электронный."
    )
    assert f'readonly rows="5" cols="80">{expected}</textarea>' in html
    assert html.count("<li>") >= 2


def test_unticking_a_record_takes_it_out_of_the_list(client, book):
    other = make_record(title="Сказки", year=2020)
    _select(client, book, other)
    _select(client, book, ticked=[])
    html = client.get(reverse("catalog:selection")).content.decode()
    assert "Москва и москвичи" not in html and "1. Сказки" in html


def test_the_record_page_shows_the_box_ticked_once_selected(client, book):
    _select(client, book)
    html = client.get(reverse("catalog:record", args=[book.pk])).content.decode()
    assert f'value="{book.pk}" id="select-{book.pk}" checked' in html


def test_clearing_empties_the_list(client, book):
    _select(client, book)
    client.post(reverse("catalog:selection-clear"))
    html = client.get(reverse("catalog:selection")).content.decode()
    assert "Список пуст" in html


def test_selection_returns_to_the_page_it_came_from_but_never_to_another_site(client, book):
    page = reverse("catalog:record", args=[book.pk])
    assert _select(client, book, next_url=page)["Location"] == page
    assert _select(client, book, next_url="https://evil.example/")["Location"] == reverse(
        "catalog:selection"
    )


def test_selection_changes_only_by_post(client, book):
    assert client.get(reverse("catalog:selection-update")).status_code == 405


def test_the_public_navigation_links_the_catalogue(client, db):
    html = client.get("/").content.decode()
    assert f'href="{reverse("catalog:browse")}"' in html


def test_browse_reads_a_page_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for n in range(20):
        make_record(title=f"Книга {n}", people=((f"Автор{n}, Иван", "aut"), ("Общий, Пётр", "edt")))
    # session, network, count, records, their authorships with persons: not one per record
    with django_assert_max_num_queries(7):
        response = client.get(reverse("catalog:browse"))
    assert response.content.decode().count('class="gost-description"') == 20


def test_the_selection_downloads_as_a_text_file(client, book):
    _select(client, book)
    response = client.get(reverse("catalog:selection-text"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode() == (
        "1. Гиляровский, В. А. Москва и москвичи / Владимир Гиляровский. – Москва : АСТ, 2017. "
        "– 448 с. – Текст : непосредственный.\n"
    )
