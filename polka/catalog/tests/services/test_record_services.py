from __future__ import annotations

import datetime as dt

import pytest

from polka.catalog import services
from polka.catalog.errors import ItemsWithoutBranch, RevisionHasNoSource
from polka.catalog.models import Item, Person, Record, RecordRevision, RevisionAction
from polka.catalog.tests.standins import marc

pytestmark = pytest.mark.django_db

LATER = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)


def test_created_record_keeps_its_source_and_mapped_fields(at, central):
    record = services.record_create(
        marc=marc("Война и мир", control="r1", isbn="978-5-17-090335-1", author="Толстой, Лев"),
        flavour="marc21",
        at=at,
    )
    record.refresh_from_db()
    assert record.title == "Война и мир"
    assert record.control_number == "r1"
    assert bytes(record.source) and len(record.fingerprint) == 64
    assert list(record.isbn_keys.values_list("isbn", flat=True)) == ["9785170903351"]
    assert [a.person.name for a in record.authorships.all()] == ["Толстой, Лев"]
    assert record.revisions.get().action == RevisionAction.CREATED


def test_one_person_is_shared_by_records_that_name_them_alike(at):
    services.record_create(marc=marc("A", author="Толстой, Лев."), flavour="marc21", at=at)
    services.record_create(marc=marc("B", author="толстой лев"), flavour="marc21", at=at)
    assert Person.objects.count() == 1


def test_copies_land_on_the_branch_their_holdings_name(at, central, branch2):
    record = services.record_create(
        marc=marc("A", holdings=[("Ф2", "0001"), ("central", "0002")]), flavour="marc21", at=at
    )
    placed = dict(record.items.values_list("barcode", "branch__code"))
    assert placed == {"0001": "f2", "0002": "central"}


def test_copies_with_an_unknown_branch_go_to_the_default_branch(at, central):
    record = services.record_create(
        marc=marc("A", holdings=[("nowhere", "0001")]),
        flavour="marc21",
        at=at,
        default_branch=central,
    )
    assert record.items.get().branch == central


def test_copies_with_an_unknown_branch_and_no_default_are_refused_not_dropped(at, central):
    with pytest.raises(ItemsWithoutBranch):
        services.record_create(
            marc=marc("A", holdings=[("nowhere", "0001")]), flavour="marc21", at=at
        )
    assert not Record.objects.exists()


def test_update_marks_the_record_edited_and_keeps_the_version_before(at):
    record = services.record_create(marc=marc("Old title"), flavour="marc21", at=at)
    source_before = bytes(record.source)
    services.record_update(
        record=record, marc=marc("New title"), by=None, at=LATER, summary="title fixed"
    )
    record.refresh_from_db()
    assert record.title == "New title"
    assert record.edited
    revision = record.revisions.first()
    assert revision.action == RevisionAction.UPDATED
    assert revision.summary == "title fixed"
    assert bytes(revision.source_before) == source_before
    assert not revision.edited_before


def test_revert_brings_back_the_source_and_the_unedited_state(at):
    record = services.record_create(
        marc=marc("Old title", author="Пушкин, А. С."), flavour="marc21", at=at
    )
    source_before = bytes(record.source)
    services.record_update(record=record, marc=marc("New title"), by=None, at=LATER)
    revision = record.revisions.get(action=RevisionAction.UPDATED)
    services.record_revert(revision=revision, by=None, at=LATER + dt.timedelta(hours=1))
    record.refresh_from_db()
    assert record.title == "Old title"
    assert bytes(record.source) == source_before
    assert not record.edited
    assert [a.person.name for a in record.authorships.all()] == ["Пушкин, А. С."]
    assert list(record.revisions.values_list("action", flat=True)) == [
        RevisionAction.REVERTED,
        RevisionAction.UPDATED,
        RevisionAction.CREATED,
    ]


def test_a_creation_revision_cannot_be_reverted_to(at):
    record = services.record_create(marc=marc("A"), flavour="marc21", at=at)
    with pytest.raises(RevisionHasNoSource):
        services.record_revert(revision=record.revisions.get(), by=None, at=LATER)


def test_deleting_a_record_deletes_its_copies_but_keeps_persons(at, central):
    record = services.record_create(
        marc=marc("A", author="X", holdings=[("central", "1")]), flavour="marc21", at=at
    )
    services.record_delete(record=record, by=None, at=LATER)
    assert not Record.objects.exists()
    assert not Item.objects.exists()
    assert not RecordRevision.objects.exists()
    assert Person.objects.count() == 1
