"""The desk's reader pages through the real URLs: registration keeps what was typed, scope is
enforced by URL too, and reader pages are never cached."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from polka.consents.models import ConsentRecord
from polka.readers.models import PreRegistration, Reader, RecordView, Registration
from polka.readers.services import GuardianData
from polka.readers.tests.conftest import AT, register, register_child

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(branch, **changes):
    data = {
        "last_name": "Сидорова",
        "first_name": "Вера",
        "middle_name": "Ивановна",
        "birth_date": "1985-04-02",
        "phone": "+7 900 111-22-33",
        "email": "vera@example.org",
        "address": "ул. Мира, 5, кв. 1",
        "category": "adult",
        "home_branch": str(branch.pk),
        "card_number": "",
        "consent_personal_data": "on",
        "consent_notifications": "on",
    }
    data.update(changes)
    return data


def assert_private(response):
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_desk_registers_a_reader_and_lands_on_the_record(branch_a, desk_a):
    client = logged_in(desk_a)
    page = client.get("/readers/register/")
    assert page.status_code == 200
    assert_private(page)
    response = client.post("/readers/register/", form(branch_a))
    reader = Reader.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/readers/{reader.pk}/"
    assert ConsentRecord.objects.filter(reader_link__reader=reader).count() == 2
    record = client.get(response["Location"])
    assert "Сидорова Вера Ивановна" in record.content.decode()
    assert reader.card_number in record.content.decode()


def test_a_future_birth_date_is_refused_and_the_form_keeps_what_was_typed(branch_a, desk_a):
    response = logged_in(desk_a).post("/readers/register/", form(branch_a, birth_date="2099-01-01"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Дата рождения не может быть в будущем" in page
    assert 'value="Сидорова"' in page
    assert "ул. Мира, 5, кв. 1" in page
    assert not Reader.objects.exists()


def test_a_child_without_a_guardian_is_refused_with_a_message(branch_a, desk_a):
    today = timezone.localdate()
    child = form(branch_a, birth_date=str(today.replace(year=today.year - 8)), category="child")
    response = logged_in(desk_a).post("/readers/register/", child)
    assert response.status_code == 400
    assert "младше 14 лет" in response.content.decode()
    assert not Reader.objects.exists()


def test_a_child_is_registered_with_a_guardian_who_is_a_reader(branch_a, desk_a):
    mother = register(branch_a)
    today = timezone.localdate()
    child = form(
        branch_a,
        birth_date=str(today.replace(year=today.year - 8)),
        category="child",
        email="",
        phone="",
        guardian_card=mother.card_number,
        guardian_relation="мать",
    )
    response = logged_in(desk_a).post("/readers/register/", child)
    assert response.status_code == 302
    registered = Reader.objects.get(first_name="Вера")
    assert registered.guardians.get().reader == mother


def test_a_likely_duplicate_is_shown_and_a_second_card_needs_confirmation(branch_a, desk_a):
    client = logged_in(desk_a)
    client.post("/readers/register/", form(branch_a))
    again = client.post("/readers/register/", form(branch_a, email="", phone=""))
    assert again.status_code == 400
    assert "уже записан" in again.content.decode()
    assert Reader.objects.count() == 1
    confirmed = client.post(
        "/readers/register/", form(branch_a, email="", phone="", confirm_duplicates="on")
    )
    assert confirmed.status_code == 302
    assert Reader.objects.count() == 2


def test_a_taken_card_number_is_refused_beside_the_field(branch_a, desk_a):
    register(branch_a, card_number="A-7")
    response = logged_in(desk_a).post("/readers/register/", form(branch_a, card_number="A-7"))
    assert response.status_code == 400
    assert "уже выдан" in response.content.decode()


def test_branch_a_staff_are_refused_branch_b_readers_by_url(branch_a, branch_b, desk_a):
    theirs = register(branch_b)
    client = logged_in(desk_a)
    for url in (
        f"/readers/{theirs.pk}/",
        f"/readers/{theirs.pk}/edit/",
        f"/readers/{theirs.pk}/reregister/",
    ):
        assert client.get(url).status_code == 403, url
    assert (
        theirs.card_number not in client.post("/readers/search/", {"q": "Иванова"}).content.decode()
    )
    assert not RecordView.objects.exists()


def test_opening_a_record_is_logged_and_the_page_is_private(branch_a, desk_a):
    reader = register(branch_a)
    response = logged_in(desk_a).get(f"/readers/{reader.pk}/")
    assert response.status_code == 200
    assert_private(response)
    assert RecordView.objects.get().viewer == desk_a


def test_the_desk_prints_a_consent_for_signature(branch_a, desk_a):
    child = register_child(branch_a)
    record = ConsentRecord.objects.get(reader_link__reader=child)
    response = logged_in(desk_a).get(f"/readers/{child.pk}/consents/{record.pk}/print/")
    page = response.content.decode()
    assert "Иванова Анна Петровна, законный представитель" in page
    assert record.text_version in page
    assert "Подпись" in page


def test_reregistration_is_scan_confirm_done(branch_a, desk_a):
    reader = register(branch_a)
    client = logged_in(desk_a)
    scanned = client.post("/readers/reregister/", {"card": reader.card_number})
    assert scanned["Location"] == f"/readers/{reader.pk}/reregister/"
    data = form(branch_a, last_name=reader.last_name, first_name=reader.first_name)
    data.update(birth_date="1990-05-17", email="", phone="")
    done = client.post(scanned["Location"], data)
    assert done.status_code == 302
    assert Registration.objects.filter(reader=reader).count() in (1, 2)
    year = timezone.localdate().year
    assert Registration.objects.filter(reader=reader, year=year).exists()


def test_at_14_the_desk_records_the_readers_own_consent(branch_a, desk_a):
    today = timezone.localdate()
    born = (
        today.replace(year=today.year - 14)
        if not (today.month == 2 and today.day == 29)
        else dt.date(today.year - 14, 2, 28)
    )
    child = register_child(branch_a, birth_date=born + dt.timedelta(days=1))
    # Registered the day before the 14th birthday; the desk now sees the reminder.
    Reader.objects.filter(pk=child.pk).update(birth_date=born)
    client = logged_in(desk_a)
    assert "исполнилось 14 лет" in client.get(f"/readers/{child.pk}/").content.decode()
    response = client.post(f"/readers/{child.pk}/consent/")
    assert response.status_code == 302
    assert "исполнилось 14 лет" not in client.get(f"/readers/{child.pk}/").content.decode()


def test_a_person_applies_online_and_the_desk_completes_the_registration(client, branch_a, desk_a):
    data = {
        "last_name": "Орлова",
        "first_name": "Нина",
        "birth_date": "30.08.1979",
        "email": "nina@example.org",
        "home_branch": str(branch_a.pk),
        "consent_personal_data": "on",
    }
    applied = client.post("/readers/apply/", data)
    assert applied.status_code == 200
    assert "no-store" in applied["Cache-Control"]
    number = PreRegistration.objects.get().number
    assert number in applied.content.decode()

    desk = logged_in(desk_a)
    page = desk.post("/readers/search/", {"q": number.lower()})
    assert 'value="Орлова"' in page.content.decode()
    assert number not in page.request["PATH_INFO"]
    completed = desk.post(
        "/readers/register/", form(branch_a, last_name="Орлова", first_name="Нина",
                                birth_date="30.08.1979", email="nina@example.org",
                                consent_personal_data="", preregistration=number,
                                identity_checked="on"),
    )  # fmt: skip
    assert completed.status_code == 302
    reader = Reader.objects.get()
    assert (
        ConsentRecord.objects.get(reader_link__reader=reader, purpose="personal_data").channel
        == "online"
    )


def test_what_the_desk_types_into_search_stays_out_of_urls(branch_a, desk_a):
    reader = register(branch_a)
    found = logged_in(desk_a).post("/readers/search/", {"q": reader.card_number})
    assert found["Location"] == f"/readers/{reader.pk}/"


def test_a_network_administrator_adds_a_reader_category_in_the_admin(branch_a):
    from polka.org import services as org
    from polka.org.models import Role
    from polka.readers.models import ReaderCategory

    admin_user, _ = org.staff_user_create(
        username="boss", password="a-long-test-password", roles={Role.ADMINISTRATOR: "all"}, at=AT
    )
    client = logged_in(admin_user)
    response = client.post(
        "/admin/readers/readercategory/add/",
        {"code": "veteran", "name": "ветеран", "position": "9", "is_active": "on"},
    )
    assert response.status_code == 302
    assert ReaderCategory.objects.filter(code="veteran").exists()
    assert logged_in_desk_forbidden(branch_a)


def logged_in_desk_forbidden(branch) -> bool:
    from polka.readers.tests.conftest import desk_user

    client = logged_in(desk_user("desk-x", branch))
    return client.get("/admin/readers/readercategory/").status_code in (302, 403)


def test_the_desk_erases_a_reader_on_request_and_the_erasure_names_who_did_it(
    branch_a, branch_b, desk_a
):
    from polka.readers.models import Erasure

    mine, theirs = register(branch_a), register(branch_b, last_name="Петров", first_name="Пётр")
    client = logged_in(desk_a)
    assert client.post(f"/readers/{theirs.pk}/erase/").status_code == 403
    assert client.get(f"/readers/{mine.pk}/erase/").status_code == 200
    assert client.post(f"/readers/{mine.pk}/erase/").status_code == 302
    assert list(Reader.objects.all()) == [theirs]
    assert Erasure.objects.get().by == desk_a


def test_the_desk_adds_a_guardian_to_a_reader_already_registered(branch_a, desk_a):
    child = register_child(branch_a)
    client = logged_in(desk_a)
    client.post(
        f"/readers/{child.pk}/guardians/",
        {"guardian_name": "Иванов Пётр", "guardian_relation": "отец"},
    )
    assert sorted(g.display_name for g in child.guardians.all()) == [
        "Иванов Пётр",
        "Иванова Анна Петровна",
    ]
    refused = client.post(f"/readers/{child.pk}/guardians/", {"guardian_card": "NOPE"}, follow=True)
    assert "не найден" in refused.content.decode()
    assert child.guardians.count() == 2


def test_search_and_the_record_page_take_a_fixed_number_of_queries(
    branch_a, desk_a, django_assert_max_num_queries
):
    mother = register(branch_a)
    for n in range(8):
        register_child(
            branch_a,
            first_name=f"Ребёнок{n}",
            card_number=f"C-{n}",
            guardians=[GuardianData(reader=mother)],
            duplicates_confirmed=True,
        )
    client = logged_in(desk_a)
    client.get("/readers/search/")  # session and user loaded once
    with django_assert_max_num_queries(8):
        page = client.post("/readers/search/", {"q": "Иванова"})
    assert page.content.decode().count("C-") == 8
    with django_assert_max_num_queries(16):
        client.get(f"/readers/{mother.pk}/")


def test_the_online_application_turns_bots_and_floods_away_and_stores_nothing(client, branch_a):
    data = {
        "last_name": "Орлова", "first_name": "Нина", "birth_date": "30.08.1979",
        "email": "nina@example.org", "home_branch": str(branch_a.pk),
        "consent_personal_data": "on",
    }  # fmt: skip
    client.post("/readers/apply/", {**data, "website": "http://spam.example"})
    assert not PreRegistration.objects.exists()
    from polka.readers.views import APPLY_LIMIT

    for n in range(APPLY_LIMIT):
        client.post("/readers/apply/", {**data, "email": f"n{n}@example.org"})
    refused = client.post("/readers/apply/", {**data, "email": "late@example.org"})
    assert refused.status_code == 400 and "Слишком много заявок" in refused.content.decode()
    assert 'value="Орлова"' in refused.content.decode()  # what was typed is kept
    assert not PreRegistration.objects.filter(email="late@example.org").exists()
