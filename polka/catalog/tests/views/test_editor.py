"""The staff record editor: common fields, MARC lines, history with revert, rights."""

import pytest
from django.urls import reverse

from polka.catalog import services
from polka.catalog.models import Record, RecordRevision
from polka.catalog.source import read_source
from polka.catalog.tests.standins import marc

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(at):
    return services.record_create(
        marc=marc("Москва и москвичи", isbn="9785170939176"), flavour="marc21", at=at
    )


def _stored_title(record):
    record.refresh_from_db()
    return read_source(record).first_field("245").first("a")


def test_a_cataloguer_changes_the_title_in_the_common_fields_form(client, cataloguer, record):
    client.force_login(cataloguer)
    response = client.post(
        reverse("catalog-staff:edit", args=[record.pk]),
        {"title": "Москва и москвичи (новое издание)", "isbns": "978-5-17-093917-6"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.title == "Москва и москвичи (новое издание)"
    assert record.revisions.filter(action="updated").get().user == cataloguer


def test_the_common_fields_form_keeps_what_was_typed_when_an_isbn_is_wrong(
    client, cataloguer, record
):
    client.force_login(cataloguer)
    response = client.post(
        reverse("catalog-staff:edit", args=[record.pk]),
        {"title": "Набранное заглавие", "isbns": "978-5-17-093917-8"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Неверный ISBN (проверьте цифры): 978-5-17-093917-8" in html
    assert 'value="Набранное заглавие"' in html
    record.refresh_from_db()
    assert record.title == "Москва и москвичи"


def test_the_marc_editor_shows_errors_by_line_and_keeps_the_typed_text(client, cataloguer, record):
    client.force_login(cataloguer)
    typed = (
        "=LDR  00000nam a2200000 i 4500\n=245  1X$aНовое заглавие\n=020  \\\\$a978-5-17-093917-8"
    )
    response = client.post(reverse("catalog-staff:marc", args=[record.pk]), {"text": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<td>2</td><td>Индикатор 2 поля 245 — «X»" in html
    assert "<td>3</td><td>ISBN «978-5-17-093917-8»: неверная контрольная цифра.</td>" in html
    assert "=245  1X$aНовое заглавие" in html
    assert not RecordRevision.objects.filter(record=record, action="updated").exists()


def test_the_marc_editor_saves_a_valid_record(client, cataloguer, record):
    client.force_login(cataloguer)
    page = client.get(reverse("catalog-staff:marc", args=[record.pk])).content.decode()
    assert "=245  10$aМосква и москвичи" in page
    typed = "=LDR  00000nam a2200000 i 4500\n=245  10$aДругое заглавие"
    response = client.post(reverse("catalog-staff:marc", args=[record.pk]), {"text": typed})
    assert response.status_code == 302
    assert _stored_title(record) == "Другое заглавие"


def test_a_new_record_is_created_from_the_marc_editor(client, cataloguer):
    client.force_login(cataloguer)
    typed = "=LDR  00000nam a2200000 i 4500\n=245  10$aСовсем новая книга"
    response = client.post(reverse("catalog-staff:new"), {"format": "marc21", "text": typed})
    created = Record.objects.get()
    assert response["Location"] == reverse("catalog:record", args=[created.pk])
    assert created.title == "Совсем новая книга"


def test_a_new_record_without_a_title_field_is_refused_and_kept(client, cataloguer):
    client.force_login(cataloguer)
    typed = "=LDR  00000nam a2200000 i 4500\n=100  1\\$aИванов, Иван"
    response = client.post(reverse("catalog-staff:new"), {"format": "marc21", "text": typed})
    html = response.content.decode()
    assert "Нет обязательного поля 245 (заглавие)." in html
    assert "=100  1\\$aИванов, Иван" in html
    assert not Record.objects.exists()


@pytest.mark.parametrize("name", ["edit", "marc", "history", "items"])
def test_staff_without_cataloguing_rights_get_403(client, desk, record, name):
    client.force_login(desk)
    assert client.get(reverse(f"catalog-staff:{name}", args=[record.pk])).status_code == 403


def test_a_desk_librarian_cannot_post_an_edit(client, desk, record):
    client.force_login(desk)
    response = client.post(reverse("catalog-staff:edit", args=[record.pk]), {"title": "X"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.title == "Москва и москвичи"


def test_anonymous_visitors_are_sent_to_log_in(client, record):
    response = client.get(reverse("catalog-staff:edit", args=[record.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_history_lists_who_changed_what_and_revert_restores_the_previous_source(
    client, cataloguer, record, at
):
    original = bytes(Record.objects.get(pk=record.pk).source)
    services.record_update(record=record, marc=marc("Исправленное заглавие"), by=cataloguer, at=at)
    client.force_login(cataloguer)
    html = client.get(reverse("catalog-staff:history", args=[record.pk])).content.decode()
    assert "cataloguer" in html
    assert "<del>=245  10$aМосква и москвичи</del>" in html
    assert "<ins>=245  10$aИсправленное заглавие</ins>" in html

    revision = record.revisions.get(action="updated")
    response = client.post(reverse("catalog-staff:revert", args=[record.pk, revision.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert bytes(record.source) == original
    assert record.title == "Москва и москвичи"


def test_revert_is_only_by_post(client, cataloguer, record, at):
    services.record_update(record=record, marc=marc("Другое"), by=cataloguer, at=at)
    revision = record.revisions.get(action="updated")
    client.force_login(cataloguer)
    url = reverse("catalog-staff:revert", args=[record.pk, revision.pk])
    assert client.get(url).status_code == 405


def test_a_record_whose_source_cannot_be_read_is_sent_to_the_marc_editor(client, cataloguer, at):
    from polka.catalog.tests.gost.factories import make_record

    broken = make_record(title="Сломанная", source_bytes=b"not a MARC record")
    client.force_login(cataloguer)
    response = client.get(reverse("catalog-staff:edit", args=[broken.pk]))
    assert response["Location"] == reverse("catalog-staff:marc", args=[broken.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Исходная запись не читается" in page
    assert "=LDR  00000nam a2200000 i 4500" in page
