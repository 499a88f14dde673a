"""Two desks at the same moment, on both engines: threads each with their own connection."""

import threading

import pytest
from django.db import connection

from polka.catalog.models import ItemStatus
from polka.circulation import services
from polka.circulation.errors import CirculationError, LoanLimitReached
from polka.circulation.models import Hold, HoldState, Loan
from polka.circulation.tests.conftest import (
    AT,
    desk_user,
    make_item,
    make_reader,
    make_record,
    rule,
)
from polka.readers.services import reader_categories_ensure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _categories(db):
    # A transactional test starts from empty tables: the migration's categories are gone.
    reader_categories_ensure()


def _together(*calls):
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    unexpected: list[BaseException] = []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except CirculationError as refused:
            results.append(refused)
        except BaseException as error:  # reported below
            unexpected.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert unexpected == []
    return results


@pytest.mark.parametrize("attempt", range(3))
def test_two_desks_lending_one_copy_at_once_make_exactly_one_loan(branch_a, attempt):
    copy = make_item(make_record(), branch_a, barcode=f"R{attempt}")
    desks = [desk_user(f"race-{attempt}-{n}", branch_a) for n in range(2)]
    readers = [make_reader(branch_a) for _ in range(2)]
    results = _together(
        *(
            lambda d=d, r=r: services.loan_checkout(
                barcode=copy.barcode, reader=r, branch=branch_a, by=d, at=AT
            )
            for d, r in zip(desks, readers, strict=True)
        )
    )
    assert sum(isinstance(r, CirculationError) for r in results) == 1
    assert Loan.objects.filter(item=copy).count() == 1
    copy.refresh_from_db()
    assert copy.status == ItemStatus.ON_LOAN


def test_two_returns_racing_trap_the_last_copy_once(branch_a):
    record = make_record()
    copy = make_item(record, branch_a)
    desks = [desk_user(f"back-{n}", branch_a) for n in range(2)]
    lender = make_reader(branch_a)
    services.loan_checkout(barcode=copy.barcode, reader=lender, branch=branch_a, by=desks[0], at=AT)
    waiting = [make_reader(branch_a) for _ in range(2)]
    for n, reader in enumerate(waiting):
        services.hold_place(
            reader=reader, record=record, pickup_branch=branch_a,
            at=AT.replace(minute=n + 1),
        )  # fmt: skip
    _together(
        *(
            lambda d=d: services.loan_checkin(barcode=copy.barcode, branch=branch_a, by=d, at=AT)
            for d in desks
        )
    )
    states = sorted(Hold.objects.values_list("state", flat=True))
    assert states == [HoldState.READY, HoldState.WAITING]
    assert Hold.objects.get(state=HoldState.READY).reader == waiting[0]


@pytest.mark.parametrize("attempt", range(3))
def test_two_desks_lending_to_one_reader_at_the_limit_make_one_loan(branch_a, attempt):
    rule(max_loans=1)
    reader = make_reader(branch_a)
    copies = [make_item(make_record(), branch_a, barcode=f"L{attempt}-{n}") for n in range(2)]
    desks = [desk_user(f"limit-{attempt}-{n}", branch_a) for n in range(2)]
    results = _together(
        *(
            lambda d=d, c=c: services.loan_checkout(
                barcode=c.barcode, reader=reader, branch=branch_a, by=d, at=AT
            )
            for d, c in zip(desks, copies, strict=True)
        )
    )
    assert [type(r).__name__ for r in results].count("LoanLimitReached") == 1
    assert Loan.objects.filter(reader=reader).count() == 1


@pytest.mark.skipif(
    "connection.features.has_select_for_update",
    reason="judged before the transaction only where writers take turns (SQLite)",
)
def test_a_loan_made_between_the_judgement_and_the_lock_is_counted(branch_a, monkeypatch):
    rule(max_loans=1)
    reader = make_reader(branch_a)
    first, second = (make_item(make_record(), branch_a) for _ in range(2))
    desk = desk_user("between", branch_a)
    judge = services._checkout_judge
    judgements: list[str] = []

    def judge_then_another_desk_lends(**kwargs):
        judgements.append(kwargs["item"].barcode)
        judged = judge(**kwargs)
        if judgements == [first.barcode]:  # judged outside the lock: another desk lends now
            services.loan_checkout(
                barcode=second.barcode, reader=reader, branch=branch_a, by=desk, at=AT
            )
        return judged

    monkeypatch.setattr(services, "_checkout_judge", judge_then_another_desk_lends)
    with pytest.raises(LoanLimitReached):
        services.loan_checkout(
            barcode=first.barcode, reader=reader, branch=branch_a, by=desk, at=AT
        )
    assert list(Loan.objects.filter(reader=reader).values_list("item", flat=True)) == [second.pk]
    # Judged outside the lock; the other desk's loan, judged once (nothing changed before its
    # lock); judged again under the lock, where the new loan makes the refusal.
    assert judgements == [first.barcode, second.barcode, first.barcode]
