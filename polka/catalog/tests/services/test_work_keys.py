"""The work key a record gets when it is stored: editions of one work share it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from polka.catalog.mapping import MappedAuthor
from polka.catalog.models import Person, Record, RecordAuthor
from polka.catalog.services import record_create, record_update
from polka.catalog.works import first_author, stored_work_key, work_key
from polka.interop.marc.record import Field, MarcRecord, Subfield

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def _sf(*pairs: str) -> list[Subfield]:
    return [Subfield(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]


def marc21(title: str, *, author: str = "", uniform: str = "", year: str = "") -> MarcRecord:
    fields = []
    if author:
        fields.append(Field("100", "1 ", _sf("a", author)))
    if uniform:
        fields.append(Field("240", "10", _sf("a", uniform, "l", "Russian")))
    fields.append(Field("245", "10", _sf("a", title)))
    fields.append(Field("260", "  ", _sf("b", "Эксмо", "c", year or "2020")))
    return MarcRecord(leader="00000nam a2200000 a 4500", fields=fields)


def rusmarc(title: str, *, surname: str, forenames: str, uniform: str = "") -> MarcRecord:
    fields = [Field("200", "1 ", _sf("a", title))]
    if uniform:
        fields.append(Field("500", "10", _sf("a", uniform, "m", "rus")))
    fields.append(Field("700", " 1", _sf("a", surname, "g", forenames)))
    fields.append(Field("210", "  ", _sf("c", "Дрофа", "d", "2001")))
    return MarcRecord(leader="00000nam0 2200000   450 ", fields=fields)


def _store(marc: MarcRecord, flavour: str = "marc21") -> Record:
    return record_create(marc=marc, flavour=flavour, at=AT)  # type: ignore[arg-type]


def test_editions_of_one_work_share_a_key_whatever_the_year_publisher_or_punctuation():
    first = _store(marc21("Война и мир", author="Толстой, Лев Николаевич", year="1957"))
    second = _store(marc21("Война и мир.", author="Толстой, Лев Николаевич.", year="2020"))
    third = _store(rusmarc("ВОЙНА И МИР", surname="Толстой", forenames="Лев Николаевич"), "rusmarc")
    assert first.work_key == "война и мир|толстой лев николаевич"
    assert second.work_key == first.work_key
    assert third.work_key == first.work_key


def test_one_title_by_two_authors_is_two_works():
    fet = _store(marc21("Стихотворения", author="Фет, Афанасий Афанасьевич"))
    tyutchev = _store(marc21("Стихотворения", author="Тютчев, Фёдор Иванович"))
    assert fet.work_key != tyutchev.work_key


def test_uniform_title_wins_over_the_title_proper():
    # A translation under another title proper: 240 (MARC21) and 500 (RUSMARC) name the work.
    original = _store(marc21("Хоббит", author="Толкин, Джон Рональд Руэл", uniform="The Hobbit"))
    retitled = _store(
        marc21("Хоббит, или Туда и обратно", author="Толкин, Джон Рональд Руэл", uniform="Hobbit")
    )
    rus = _store(
        rusmarc(
            "Туда и обратно", surname="Толкин", forenames="Джон Рональд Руэл", uniform="Hobbit"
        ),
        "rusmarc",
    )
    assert retitled.work_key == "hobbit|толкин джон рональд руэл"
    assert rus.work_key == retitled.work_key
    # The uniform title is compared as written: «The Hobbit» is not «Hobbit».
    assert original.work_key == "the hobbit|толкин джон рональд руэл"


def test_an_anonymous_title_gets_no_key_unless_a_uniform_title_names_the_work():
    assert _store(marc21("Сборник задач")).work_key == ""
    assert _store(marc21("Песнь о Роланде", uniform="Chanson de Roland")).work_key == (
        "chanson de roland|"
    )


def test_an_edit_that_changes_the_author_moves_the_record_to_another_work():
    record = _store(marc21("Война и мир", author="Толстой, Лев Николаевич"))
    record_update(
        record=record, marc=marc21("Война и мир", author="Толстой, Алексей"), by=None, at=AT
    )
    record.refresh_from_db()
    assert record.work_key == "война и мир|толстой алексей"


def test_the_key_of_a_stored_source_is_the_key_the_record_was_stored_with():
    record = _store(marc21("Война и мир", author="Толстой, Лев Николаевич", uniform="Voina i mir"))
    key = stored_work_key(
        source=bytes(record.source), flavour=record.format, encoding=record.source_encoding
    )
    assert key == record.work_key == "voina i mir|толстой лев николаевич"
    assert stored_work_key(source=b"", flavour="marc21", encoding="utf-8") is None


def test_translators_and_editors_are_not_the_work_s_author():
    people = [MappedAuthor("Ганзен, Анна", role="trl"), MappedAuthor("Андерсен, Ганс Христиан")]
    assert first_author(people) == "Андерсен, Ганс Христиан"
    assert first_author(people[:1]) == ""
    assert work_key(title="Сказки", parts="Т. 2", author="Андерсен") == "сказки т 2|андерсен"


def test_reindex_with_work_keys_recomputes_them_from_the_sources():
    stored = _store(marc21("Война и мир", author="Толстой, Лев Николаевич", uniform="Voina i mir"))
    bare = Record.objects.create(
        format="marc21", source=b"", title="Анна Каренина", created_at=AT, updated_at=AT
    )
    person = Person.objects.get(name="Толстой, Лев Николаевич")  # the import made it
    RecordAuthor.objects.create(record=bare, person=person, position=0)
    Record.objects.filter(pk=stored.pk).update(work_key="")
    out = StringIO()
    call_command("reindex", "--work-keys", verbosity=0, stdout=out)
    assert "work keys changed: 2" in out.getvalue()
    keys = dict(Record.objects.values_list("pk", "work_key"))
    assert keys[stored.pk] == "voina i mir|толстой лев николаевич"
    assert keys[bare.pk] == "анна каренина|толстой лев николаевич"
