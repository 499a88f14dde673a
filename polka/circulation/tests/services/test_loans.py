import datetime as dt

import pytest

from polka.catalog.models import Item, ItemStatus
from polka.circulation import services
from polka.circulation.errors import (
    AgeRestricted,
    BranchClosed,
    ItemAlreadyOnLoan,
    ItemNotFound,
    ItemNotLendable,
    LoanLimitReached,
    ReaderBlocked,
    ReadingRoomOnly,
    RenewalRefused,
)
from polka.circulation.models import Event, Fact, Loan, LoanState, Settlement
from polka.circulation.tests.conftest import AT, TODAY, make_item, make_reader, make_record, rule
from polka.org import services as org
from polka.org.errors import NotPermitted
from polka.org.models import Branch, ExceptionKind
from polka.readers.services import reader_keep_history_set
from polka.search.backends import get_backend
from polka.search.backends.base import SearchRequest
from polka.search.indexing import index_records

pytestmark = pytest.mark.django_db


def lend(item, reader, branch, by, at=AT, **kwargs):
    return services.loan_checkout(
        barcode=item.barcode, reader=reader, branch=branch, by=by, at=at, **kwargs
    )


def test_a_loan_is_due_after_the_matrix_period_and_the_copy_is_on_loan(
    item, reader, branch_a, desk_a
):
    rule(loan_days=14)
    lent = lend(item, reader, branch_a, desk_a)
    # 18 Nov + 14 = 2 Dec, a Wednesday: the branch is open.
    assert lent.loan.due_on == dt.date(2026, 12, 2)
    assert Item.objects.get(pk=item.pk).status == ItemStatus.ON_LOAN
    event = Event.objects.get(loan=lent.loan)
    assert (event.action, event.from_state, event.to_state) == ("checkout", "", "active")


def test_the_most_specific_matrix_row_wins_and_is_reported(
    item, reader, branch_a, branch_b, desk_a
):
    rule(loan_days=30)
    rule(branch=branch_b, loan_days=5)
    rule(reader_category_id="adult", loan_days=21)
    chosen = rule(branch=branch_a, reader_category_id="adult", loan_days=10)
    rule(item_type="dvd", loan_days=3)
    lent = lend(item, reader, branch_a, desk_a)
    assert lent.rule == chosen and lent.loan.rule == chosen
    assert lent.loan.due_on == dt.date(2026, 11, 30)  # 28 Nov is a Saturday → Monday


def test_branch_outranks_category_outranks_item_type(reader, branch_a, desk_a, record):
    dvd = make_item(record, branch_a, item_type="dvd")
    by_type = rule(item_type="dvd", loan_days=3)
    assert lend(dvd, reader, branch_a, desk_a).rule == by_type
    services.loan_checkin(barcode=dvd.barcode, branch=branch_a, by=desk_a, at=AT)
    by_category = rule(reader_category_id="adult", loan_days=7)
    assert lend(dvd, reader, branch_a, desk_a).rule == by_category
    services.loan_checkin(barcode=dvd.barcode, branch=branch_a, by=desk_a, at=AT)
    by_branch = rule(branch=branch_a, loan_days=9)
    assert lend(dvd, reader, branch_a, desk_a).rule == by_branch


def test_a_due_date_on_a_closed_day_moves_to_the_next_open_day(item, reader, branch_a, desk_a):
    rule(loan_days=14)
    org.calendar_exception_add(
        branch=branch_a, on=dt.date(2026, 12, 2), is_open=False,
        kind=ExceptionKind.SANITARY, reason="Санитарный день", by=None, at=AT,
    )  # fmt: skip
    assert lend(item, reader, branch_a, desk_a).loan.due_on == dt.date(2026, 12, 3)


def test_nothing_is_lent_on_a_day_the_branch_is_closed(item, reader, branch_a, desk_a):
    saturday = AT + dt.timedelta(days=3)
    with pytest.raises(BranchClosed):
        lend(item, reader, branch_a, desk_a, at=saturday)
    assert not Loan.objects.exists() and not Fact.objects.exists()


def test_unknown_withdrawn_and_lent_copies_are_refused_with_nothing_stored(
    item, reader, other_reader, branch_a, desk_a, record
):
    with pytest.raises(ItemNotFound):
        services.loan_checkout(barcode="nope", reader=reader, branch=branch_a, by=desk_a, at=AT)
    gone = make_item(record, branch_a, status=ItemStatus.WITHDRAWN)
    with pytest.raises(ItemNotLendable):
        lend(gone, reader, branch_a, desk_a)
    lend(item, reader, branch_a, desk_a)
    with pytest.raises(ItemAlreadyOnLoan):
        lend(item, other_reader, branch_a, desk_a)
    assert Loan.objects.count() == 1


def test_a_desk_lends_only_in_its_own_branch(item, reader, branch_b, desk_a):
    with pytest.raises(NotPermitted):
        lend(item, reader, branch_b, desk_a)


def test_the_loan_limit_refuses_unless_overridden_with_a_logged_reason(
    reader, branch_a, desk_a, record
):
    rule(max_loans=1)
    first, second = make_item(record, branch_a), make_item(record, branch_a)
    lend(first, reader, branch_a, desk_a)
    with pytest.raises(LoanLimitReached):
        lend(second, reader, branch_a, desk_a)
    lent = lend(second, reader, branch_a, desk_a, override="читатель уезжает на дачу")
    event = Event.objects.get(loan=lent.loan)
    assert event.override == "читатель уезжает на дачу" and "книг на руках" in event.note


def test_a_reader_overdue_beyond_the_matrix_days_is_blocked(reader, branch_a, desk_a, record):
    rule(loan_days=7, block_overdue_days=10)
    lend(make_item(record, branch_a), reader, branch_a, desk_a)
    later = AT + dt.timedelta(days=7 + 12)
    with pytest.raises(ReaderBlocked) as refused:
        lend(make_item(record, branch_a), reader, branch_a, desk_a, at=later)
    assert "просрочка 12" in refused.value.message


def test_a_lost_copy_not_made_good_blocks_until_settled(reader, branch_a, desk_a, record):
    lent = lend(make_item(record, branch_a), reader, branch_a, desk_a)
    services.loan_lose(loan=lent.loan, by=desk_a, at=AT)
    assert Item.objects.get(pk=lent.loan.item_id).status == ItemStatus.LOST
    with pytest.raises(ReaderBlocked):
        lend(make_item(record, branch_a), reader, branch_a, desk_a)
    services.loan_settle(loan=lent.loan, settlement=Settlement.REPLACEMENT, by=desk_a, at=AT)
    lend(make_item(record, branch_a), reader, branch_a, desk_a)


def test_a_reader_not_reregistered_this_year_is_blocked_when_the_matrix_says_so(
    branch_a, desk_a, record
):
    rule(block_not_reregistered=True)
    reader = make_reader(branch_a)  # registered in 2026
    lend(make_item(record, branch_a), reader, branch_a, desk_a)
    next_year = dt.datetime(2027, 1, 13, 9, 0, tzinfo=dt.UTC)
    with pytest.raises(ReaderBlocked):
        lend(make_item(record, branch_a), reader, branch_a, desk_a, at=next_year)


def test_an_age_mark_above_the_readers_age_needs_an_override(branch_a, desk_a):
    child = make_reader(
        branch_a, category="child", birth_date=dt.date(2014, 1, 1),
        guardians=[services_guardian()],
    )  # fmt: skip
    adult_book = make_item(make_record("Для взрослых", age_mark="16+"), branch_a)
    with pytest.raises(AgeRestricted):
        lend(adult_book, child, branch_a, desk_a)
    lend(adult_book, child, branch_a, desk_a, override="по просьбе родителей, для учёбы")
    six = make_item(make_record("Детская", age_mark="6+"), branch_a)
    lend(six, child, branch_a, desk_a)


def services_guardian():
    from polka.readers.services import GuardianData

    return GuardianData(full_name="Иванова Анна Петровна")


def test_reading_room_copies_are_not_lent_home(reader, branch_a, desk_a, record):
    rule(item_type="ref", reading_room_only=True)
    copy = make_item(record, branch_a, item_type="ref")
    with pytest.raises(ReadingRoomOnly):
        lend(copy, reader, branch_a, desk_a)
    services.item_use_record(barcode=copy.barcode, branch=branch_a, by=desk_a, at=AT)
    assert Fact.objects.get().kind == "use"


def test_a_return_closes_the_loan_and_anonymises_it(item, reader, branch_a, desk_a):
    lent = lend(item, reader, branch_a, desk_a)
    back = services.loan_checkin(barcode=item.barcode, branch=branch_a, by=desk_a, at=AT)
    loan = Loan.objects.get(pk=lent.loan.pk)
    assert loan.state == LoanState.RETURNED and loan.reader is None
    assert back.reader == reader and back.hold is None and back.transit is None
    assert Item.objects.get(pk=item.pk).status == ItemStatus.AVAILABLE


def test_a_reader_who_keeps_a_history_keeps_their_returned_loans(item, branch_a, desk_a):
    reader = make_reader(branch_a)
    reader_keep_history_set(reader=reader, keep=True)
    lend(item, reader, branch_a, desk_a)
    services.loan_checkin(barcode=item.barcode, branch=branch_a, by=desk_a, at=AT)
    assert Loan.objects.get().reader == reader


def test_a_copy_returned_elsewhere_goes_home_in_transit(item, reader, branch_a, branch_b, desk_a):
    desk_ab = services_desk(branch_a, branch_b)
    lend(item, reader, branch_a, desk_a)
    back = services.loan_checkin(barcode=item.barcode, branch=branch_b, by=desk_ab, at=AT)
    assert back.transit is not None and back.transit.to_branch == branch_a
    assert Item.objects.get(pk=item.pk).status == ItemStatus.IN_TRANSIT
    services.loan_checkin(barcode=item.barcode, branch=branch_a, by=desk_ab, at=AT)
    assert Item.objects.get(pk=item.pk).status == ItemStatus.AVAILABLE


def services_desk(*branches):
    from polka.circulation.tests.conftest import desk_user

    return desk_user("desk-ab", *branches)


def test_renewal_moves_the_due_date_and_stops_at_the_matrix_limit(item, reader, branch_a, desk_a):
    rule(loan_days=14, renewals=1, renewal_days=20)
    lent = lend(item, reader, branch_a, desk_a)
    later = AT + dt.timedelta(days=10)  # 28 Nov, Saturday
    renewed = services.loan_renew(loan=lent.loan, reader=reader, at=later)
    assert renewed.due_on == dt.date(2026, 12, 18) and renewed.renewals == 1
    with pytest.raises(RenewalRefused):
        services.loan_renew(loan=lent.loan, reader=reader, at=later)
    services.loan_renew(loan=lent.loan, by=desk_a, at=later, override="болел")
    assert Loan.objects.get().renewals == 2


def test_a_loan_someone_waits_for_is_not_renewed(item, reader, other_reader, branch_a, desk_a):
    lent = lend(item, reader, branch_a, desk_a)
    services.hold_place(reader=other_reader, record=item.record, pickup_branch=branch_a, at=AT)
    with pytest.raises(RenewalRefused):
        services.loan_renew(loan=lent.loan, reader=reader, at=AT)


def test_every_loan_return_renewal_and_visit_writes_an_anonymous_fact(
    item, reader, branch_a, desk_a
):
    lent = lend(item, reader, branch_a, desk_a)
    services.loan_renew(loan=lent.loan, reader=reader, at=AT)
    services.loan_checkin(barcode=item.barcode, branch=branch_a, by=desk_a, at=AT)
    services.visit_record(reader=reader, branch=branch_a, by=desk_a, at=AT)
    facts = list(Fact.objects.order_by("pk").values_list("kind", "age_band", "remote", "language"))
    assert facts == [
        ("loan", "31+", False, "rus"),
        ("renewal", "31+", True, "rus"),
        ("return", "31+", False, "rus"),
        ("visit", "31+", False, ""),
    ]
    assert all(f.on == TODAY for f in Fact.objects.all())


def test_the_search_document_learns_when_the_last_copy_goes_and_comes_back(
    item, reader, branch_a, desk_a, monkeypatch
):
    indexed: list[list[int]] = []
    monkeypatch.setattr(services, "index_records", lambda ids: indexed.append(list(ids)))
    lend(item, reader, branch_a, desk_a)
    services.loan_checkin(barcode=item.barcode, branch=branch_a, by=desk_a, at=AT)
    assert indexed == [[item.record_id], [item.record_id]]


def test_the_search_index_learns_when_a_branch_has_no_copy_left_on_the_shelf(
    item, reader, branch_a, branch_b, desk_a
):
    """The branch filter finds records with a copy on the shelf there: lending a branch's
    last copy on the shelf takes the record out of it, though another branch still has one."""
    make_item(item.record, branch_b)

    def on_shelf_in(branch: Branch) -> list[int]:
        request = SearchRequest(text="", filters={"branch": [branch.code]})
        return [hit.record_id for hit in get_backend().query(request).hits]

    index_records([item.record_id])
    assert on_shelf_in(branch_a) == on_shelf_in(branch_b) == [item.record_id]
    lend(item, reader, branch_a, desk_a)
    assert on_shelf_in(branch_a) == [] and on_shelf_in(branch_b) == [item.record_id]
    services.loan_checkin(barcode=item.barcode, branch=branch_a, by=desk_a, at=AT)
    assert on_shelf_in(branch_a) == on_shelf_in(branch_b) == [item.record_id]


def test_a_lend_takes_a_bounded_number_of_queries(
    item, reader, branch_a, desk_a, django_assert_max_num_queries
):
    # Another copy stays on the shelf, so the search document need not change.
    make_item(item.record, branch_a)
    rule(loan_days=14)
    with django_assert_max_num_queries(15):
        lend(item, reader, branch_a, desk_a)
