"""Annual re-registration, and staff of one branch kept to their branch's readers."""

from __future__ import annotations

import datetime as dt

import pytest

from polka.org.errors import NotPermitted
from polka.readers.models import RecordView, Registration
from polka.readers.selectors import readers_for_staff, readers_search, registrations_count
from polka.readers.services import reader_record_open, reader_reregister, reader_update
from polka.readers.tests.conftest import AT, register

pytestmark = pytest.mark.django_db

NEXT_YEAR = dt.datetime(2027, 2, 3, 10, 0, tzinfo=dt.UTC)


def test_reregistration_is_recorded_once_a_year_and_counted_in_that_years_statistics(
    branch_a, desk_a
):
    reader = register(branch_a)
    registration, created = reader_reregister(
        reader=reader, branch=branch_a, at=NEXT_YEAR, by=desk_a
    )
    assert created and registration.year == 2027 and not registration.is_new
    again, created = reader_reregister(reader=reader, branch=branch_a, at=NEXT_YEAR, by=desk_a)
    assert not created and again == registration
    assert registrations_count(year=2026) == 1
    assert registrations_count(year=2027) == 1
    assert registrations_count(year=2027, branch_id=branch_a.pk) == 1


def test_reregistration_saves_the_corrected_data(branch_a, desk_a):
    reader = register(branch_a, phone="1")
    reader_reregister(
        reader=reader, branch=branch_a, at=NEXT_YEAR, by=desk_a, changes={"phone": "+7 900 1"}
    )
    reader.refresh_from_db()
    assert reader.phone == "+7 900 1"


def test_branch_a_staff_see_only_branch_a_readers(branch_a, branch_b, desk_a):
    mine = register(branch_a)
    register(branch_b, last_name="Петров", first_name="Пётр", birth_date=None)
    assert list(readers_for_staff(user=desk_a)) == [mine]
    assert readers_search(user=desk_a, query="Петров") == []
    assert readers_search(user=desk_a, query="иванова") == [mine]


def test_branch_a_staff_are_refused_branch_b_readers_record_edit_and_reregistration(
    branch_a, branch_b, desk_a
):
    theirs = register(branch_b)
    with pytest.raises(NotPermitted):
        reader_record_open(reader_id=theirs.pk, by=desk_a, at=AT)
    with pytest.raises(NotPermitted):
        reader_update(reader=theirs, changes={"phone": "2"}, at=AT, by=desk_a)
    with pytest.raises(NotPermitted):
        reader_reregister(reader=theirs, branch=branch_a, at=NEXT_YEAR, by=desk_a)
    assert not RecordView.objects.exists()
    assert Registration.objects.count() == 1


def test_every_view_of_a_record_by_staff_is_logged(branch_a, desk_a):
    reader = register(branch_a)
    reader_record_open(reader_id=reader.pk, by=desk_a, at=AT)
    view = RecordView.objects.get()
    assert (view.reader, view.viewer, view.at) == (reader, desk_a, AT)


def test_a_member_of_staff_cannot_move_a_reader_into_a_branch_outside_their_scope(
    branch_a, branch_b, desk_a
):
    reader = register(branch_a)
    with pytest.raises(NotPermitted):
        reader_update(reader=reader, changes={"home_branch": branch_b}, at=AT, by=desk_a)


def test_one_card_works_at_the_lending_desk_of_every_branch(branch_a, branch_b, desk_a):
    from polka.readers.selectors import reader_at_desk

    theirs = register(branch_b)
    assert reader_at_desk(user=desk_a, card_number=f" {theirs.card_number} ") == theirs
    assert reader_at_desk(user=desk_a, card_number="Иванова") is None
    assert readers_search(user=desk_a, query=theirs.card_number) == []
