"""Projects gather their events and totals; exhibitions show availability; a reading
programme records a child's books and meetings and prints a certificate at the end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from polka.catalog.models import Item, ItemStatus
from polka.catalog.tests.gost.factories import make_record
from polka.consents.models import ConsentRecord
from polka.events.services import attendance_record, event_create
from polka.org.models import Role
from polka.org.services import staff_user_create
from polka.programmes import services
from polka.programmes.errors import BookInvalid, ProgrammeClosed
from polka.programmes.models import Programme
from polka.programmes.selectors import exhibition_books, participant_progress
from polka.search.indexing import index_records

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def methodist(branch_a):
    user, _ = staff_user_create(username="m", roles={Role.METHODIST: "all"}, at=AT)
    return user


@pytest.fixture
def summer(methodist):
    return services.programme_save(
        programme=None,
        by=methodist,
        slug="leto",
        title="Лето с книгой",
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 8, 31),
        min_books=2,
        min_meetings=1,
        description="<p>Читаем всё лето</p><img src=x onerror=alert(1)>",
    )


def _meeting(branch, programme=None, project=None, day=2):
    starts = dt.datetime(2026, 6, day, 8, 0, tzinfo=dt.UTC)
    return event_create(
        title="Встреча", branch=branch, starts_at=starts, ends_at=starts + dt.timedelta(hours=1),
        audience="children", age_mark="6+", at=AT, programme=programme, project=project,
    )  # fmt: skip


def test_a_guardian_signs_a_child_up_under_consent_and_gets_the_diary_link(summer):
    participant = services.participant_join(
        programme=summer,
        child_name="Маша",
        child_age=9,
        guardian_name="Ольга Иванова",
        guardian_email="olga@example.org",
        ip_address="192.0.2.5",
        at=AT,
    )
    consent = ConsentRecord.objects.get()
    assert (consent.purpose, consent.name, consent.ip_address) == (
        "programme_participation",
        "Ольга Иванова",
        "192.0.2.5",
    )
    assert participant.token and "onerror" not in Programme.objects.get().description
    with pytest.raises(ProgrammeClosed):
        services.participant_join(
            programme=summer,
            child_name="Поздно",
            guardian_name="X",
            guardian_email="x@example.org",
            at=dt.datetime(2026, 9, 2, tzinfo=dt.UTC),
        )


def test_books_and_meetings_make_the_certificate(client, summer, methodist, branch_a):
    participant = services.participant_join(
        programme=summer,
        child_name="Маша",
        guardian_name="Ольга",
        guardian_email="o@example.org",
        at=AT,
    )
    book = make_record(title="Денискины рассказы")
    services.book_record(participant=participant, record=book, read_on=dt.date(2026, 6, 5))
    with pytest.raises(BookInvalid):
        services.book_record(participant=participant, read_on=dt.date(2026, 6, 6))
    services.book_record(
        participant=participant, title="Муми-тролль", read_on=dt.date(2026, 6, 9), by=methodist
    )
    assert not participant_progress(participant=participant).complete  # no meeting yet
    assert (
        client.get(reverse("programmes:certificate", args=[participant.token])).status_code == 404
    )
    meeting = _meeting(branch_a, programme=summer)
    services.meeting_mark(participant=participant, event=meeting, attended=True, by=methodist)
    progress = participant_progress(participant=participant)
    assert (progress.books, progress.meetings, progress.complete) == (2, 1, True)
    page = client.get(reverse("programmes:certificate", args=[participant.token])).content.decode()
    assert "Маша" in page and "Лето с книгой" in page


def test_the_guardian_adds_a_book_through_the_private_link(client, summer):
    participant = services.participant_join(
        programme=summer,
        child_name="Петя",
        guardian_name="Ольга",
        guardian_email="o@example.org",
        at=AT,
    )
    url = reverse("programmes:progress", args=[participant.token])
    client.post(url, {"title": "Незнайка", "read_on": "2026-06-10"})
    assert "Незнайка" in client.get(url).content.decode()
    assert client.get(reverse("programmes:progress", args=["wrong"])).status_code == 404


def test_an_exhibition_shows_each_books_availability(methodist, branch_a, branch_b):
    exhibition = services.exhibition_save(
        exhibition=None, by=methodist, slug="pushkin", title="Пушкин", branch=branch_a,
        starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 6, 30),
    )  # fmt: skip
    onegin = make_record(title="Евгений Онегин")
    Item.objects.create(record=onegin, branch=branch_a, barcode="1", status=ItemStatus.AVAILABLE)
    Item.objects.create(record=onegin, branch=branch_b, barcode="2", status=ItemStatus.ON_LOAN)
    services.exhibition_item_add(
        exhibition=exhibition, record=onegin, annotation="<p>Роман в стихах</p>", by=methodist
    )
    (book,) = exhibition_books(exhibition=exhibition)
    assert book.on_shelf
    assert {(c.branch, c.on_shelf, c.total) for c in book.copies} == {
        (branch_a.name, 1, 1),
        (branch_b.name, 0, 1),
    }


def test_a_project_page_gathers_its_events_courses_and_totals(client, methodist, branch_a):
    project = services.project_save(
        project=None, by=methodist, slug="obshchiy-dom", title="Россия — общий дом",
        summary="Адаптация мигрантов", funder="Фонд президентских грантов",
    )  # fmt: skip
    event = _meeting(branch_a, project=project)
    attendance_record(
        event=event,
        came=[],
        walk_in_children=5,
        walk_in_youth=3,
        walk_in_adults=2,
        by=methodist,
        at=AT,
    )
    from polka.courses.services import course_save

    course_save(
        course=None, by=methodist, slug="kurs", title="Курс для коллег", hours=8, project=project
    )
    page = client.get(reverse("programmes:project", args=["obshchiy-dom"])).content.decode()
    assert "Россия — общий дом" in page and "Фонд президентских грантов" in page
    assert "Курс для коллег" in page and "участников: 10" in page


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ru", "Как записаться в библиотеку"),
        ("en", "How to join the library"),
        ("uz", "Kutubxonaga qanday yozilish mumkin"),
        ("tg", "Чӣ тавр ба китобхона узв шудан мумкин"),
        ("ky", "Китепканага кантип жазылууга болот"),
    ],
)
def test_newcomers_read_how_to_get_a_card_in_their_language(client, branch_a, language, words):
    with translation.override(language):
        client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert words in client.get(reverse("readers:join")).content.decode()


def _child(programme, name="Лиза"):
    return services.participant_join(
        programme=programme, child_name=name, guardian_name="Ольга",
        guardian_email="o@example.org", at=AT,
    )  # fmt: skip


def test_the_certificate_names_the_library_and_the_day_the_goal_was_reached(
    client, summer, methodist, branch_a
):
    participant = _child(summer)
    services.book_record(participant=participant, title="Муми-тролль", read_on=dt.date(2026, 6, 5))
    services.book_record(participant=participant, title="Незнайка", read_on=dt.date(2026, 7, 9))
    meeting = _meeting(branch_a, programme=summer, day=3)
    services.meeting_mark(participant=participant, event=meeting, attended=True, by=methodist)
    progress = participant_progress(participant=participant)
    assert progress.earned_on == dt.date(2026, 7, 9)  # the second book, after the meeting
    page = client.get(reverse("programmes:certificate", args=[participant.token])).content.decode()
    assert "9 июля 2026" in page and "31 августа" not in page
    assert branch_a.network.name in page
    assert "@media print{.no-print{display:none}}" in page and 'class="no-print"' in page


def test_the_diary_finds_a_catalogue_book_and_records_it_with_iso_dates(client, summer):
    participant = _child(summer)
    book = make_record(title="Денискины рассказы")
    index_records([book.pk])
    url = reverse("programmes:progress", args=[participant.token])
    page = client.get(url).content.decode()
    # The date input carries an ISO value the browser accepts.
    assert 'type="date"' in page and f'value="{timezone.localdate().isoformat()}"' in page
    found = client.get(url, {"q": "денискины"}).content.decode()
    assert f'name="record" value="{book.pk}"' in found
    client.post(url, {"record": str(book.pk), "read_on": "2026-06-12"})
    [entry] = participant.books.all()
    assert entry.record == book and entry.title == "Денискины рассказы"
    assert "В каталоге такой книги не нашлось" in client.get(url, {"q": "zzzqqq"}).content.decode()


def test_progress_is_shown_against_the_goal_and_a_zero_goal_is_not_mentioned(client, methodist):
    programme = services.programme_save(
        programme=None, by=methodist, slug="zima", title="Зима с книгой",
        starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2027, 2, 28), min_books=3,
        min_meetings=0,
    )  # fmt: skip
    participant = _child(programme)
    services.book_record(participant=participant, title="Каштанка", read_on=dt.date(2026, 12, 3))
    diary = client.get(reverse("programmes:progress", args=[participant.token])).content.decode()
    assert (
        "Прочитано 1 из 3 книг" in diary and '<progress id="goal-books" max="3" value="1"' in diary
    )
    assert "Встреч:" not in diary
    rules = client.get(reverse("programmes:programme", args=["zima"])).content.decode()
    assert "не меньше 3 книг" in rules and "0 встреч" not in rules


def test_staff_see_which_catalogue_books_children_read_most(client, summer, methodist):
    book, other = make_record(title="Денискины рассказы"), make_record(title="Каштанка")
    for name in ("Лиза", "Петя"):
        services.book_record(
            participant=_child(summer, name), record=book, read_on=dt.date(2026, 6, 5)
        )
    services.book_record(
        participant=_child(summer, "Оля"), record=other, read_on=dt.date(2026, 6, 6)
    )
    client.force_login(methodist)
    page = client.get(reverse("programmes:staff-participants", args=[summer.pk])).content.decode()
    assert "Чаще всего читают" in page
    assert page.index("Денискины рассказы") < page.index("Каштанка")
    assert "участников прочитали: 2" in page
