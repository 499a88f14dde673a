import datetime as dt

import pytest
from django.core import mail

from polka.catalog.models import Item, ItemStatus
from polka.circulation import services
from polka.circulation.errors import HoldRefused, ItemHeldForAnother
from polka.circulation.models import Hold, HoldState, Loan, Transit
from polka.circulation.tests.conftest import (
    AT,
    desk_user,
    make_item,
    make_reader,
    make_record,
    rule,
)
from polka.notices.models import Notice
from polka.notices.services import notices_run
from polka.readers.services import GuardianData

pytestmark = pytest.mark.django_db


def lend(item, reader, branch, by, at=AT):
    return services.loan_checkout(barcode=item.barcode, reader=reader, branch=branch, by=by, at=at)


def back(item, branch, by, at=AT):
    return services.loan_checkin(barcode=item.barcode, branch=branch, by=by, at=at)


def place(reader, record, branch, at=AT, **kwargs):
    return services.hold_place(reader=reader, record=record, pickup_branch=branch, at=at, **kwargs)


def test_a_returned_copy_is_trapped_for_the_first_in_the_queue_who_is_told(
    item, reader, other_reader, branch_a, desk_a
):
    third = make_reader(branch_a)
    lend(item, reader, branch_a, desk_a)
    first = place(other_reader, item.record, branch_a)
    second = place(third, item.record, branch_a, at=AT + dt.timedelta(minutes=1))
    returned = back(item, branch_a, desk_a)
    assert returned.hold == first and "полку брони" in returned.instruction
    first.refresh_from_db()
    assert first.state == HoldState.READY and first.item == item
    assert first.expires_on == dt.date(2026, 11, 25)  # 7 shelf days, a Wednesday
    assert Hold.objects.get(pk=second.pk).state == HoldState.WAITING
    assert Item.objects.get(pk=item.pk).status == ItemStatus.ON_HOLD
    notice = Notice.objects.get(kind="circulation.hold_ready")
    assert notice.to_email == other_reader.email and "Бронь ждёт вас" in notice.subject


def test_a_trapped_copy_is_lent_only_to_its_reader_and_collects_the_hold(
    item, reader, other_reader, branch_a, desk_a
):
    hold = place(other_reader, item.record, branch_a)
    back(item, branch_a, desk_a)  # checked in from the shelf (the daily pull list)
    with pytest.raises(ItemHeldForAnother):
        lend(item, reader, branch_a, desk_a)
    lend(item, other_reader, branch_a, desk_a)
    assert Hold.objects.get(pk=hold.pk).state == HoldState.COLLECTED


def test_a_hold_for_another_branch_goes_in_transit_and_is_ready_on_arrival(
    item, reader, other_reader, branch_a, branch_b, desk_a, desk_b
):
    lend(item, reader, branch_a, desk_a)
    hold = place(other_reader, item.record, branch_b)
    returned = back(item, branch_a, desk_a)
    assert returned.transit is not None and returned.transit.to_branch == branch_b
    assert "Библиотека-филиал № 2" in returned.instruction
    assert Hold.objects.get(pk=hold.pk).state == HoldState.IN_TRANSIT
    assert Item.objects.get(pk=item.pk).status == ItemStatus.IN_TRANSIT
    arrived = back(item, branch_b, desk_b)
    assert arrived.hold == hold and Hold.objects.get(pk=hold.pk).state == HoldState.READY
    assert Transit.objects.get().received_at == AT


def test_a_suspended_hold_keeps_its_place_but_is_skipped(
    item, reader, other_reader, branch_a, desk_a
):
    third = make_reader(branch_a)
    first = place(other_reader, item.record, branch_a)
    second = place(third, item.record, branch_a, at=AT + dt.timedelta(minutes=1))
    services.hold_suspend(hold=first, until=dt.date(2026, 12, 1), reader=other_reader, at=AT)
    assert back(item, branch_a, desk_a).hold == second
    assert Hold.objects.get(pk=first.pk).state == HoldState.WAITING


def test_an_uncollected_hold_expires_and_the_copy_passes_to_the_next(
    item, reader, other_reader, branch_a, desk_a
):
    first = place(reader, item.record, branch_a)
    second = place(other_reader, item.record, branch_a, at=AT + dt.timedelta(minutes=1))
    back(item, branch_a, desk_a)
    assert services.holds_expire(at=AT + dt.timedelta(days=7)) == 0
    assert services.holds_expire(at=AT + dt.timedelta(days=8)) == 1
    assert Hold.objects.get(pk=first.pk).state == HoldState.EXPIRED
    assert Hold.objects.get(pk=second.pk).state == HoldState.READY


def test_cancelling_a_ready_hold_hands_the_copy_on_or_shelves_it(
    item, reader, other_reader, branch_a, desk_a
):
    first = place(reader, item.record, branch_a)
    back(item, branch_a, desk_a)
    services.hold_cancel(hold=first, reader=reader, at=AT)
    assert Hold.objects.get(pk=first.pk).state == HoldState.CANCELLED
    assert Item.objects.get(pk=item.pk).status == ItemStatus.AVAILABLE


def test_a_specific_copy_hold_waits_for_that_copy_only(reader, other_reader, branch_a, desk_a):
    record = make_record()
    wanted, other = make_item(record, branch_a), make_item(record, branch_a)
    hold = place(reader, record, branch_a, item=wanted)
    assert back(other, branch_a, desk_a).hold is None
    assert back(wanted, branch_a, desk_a).hold == hold


def test_a_readers_own_hold_over_their_age_mark_is_refused_with_the_reason(branch_a):
    child = make_reader(
        branch_a, category="child", birth_date=dt.date(2016, 1, 1),
        guardians=[GuardianData(full_name="Петров Пётр")],
    )  # fmt: skip
    record = make_record("Взрослая книга", age_mark="18+")
    make_item(record, branch_a)
    with pytest.raises(HoldRefused) as refused:
        place(child, record, branch_a)
    assert "18+" in refused.value.message and "436-ФЗ" in refused.value.message


def test_holds_follow_the_matrix_limits_and_refuse_duplicates(reader, branch_a):
    rule(max_holds=1)
    one, two = make_record("Один"), make_record("Два")
    make_item(one, branch_a)
    make_item(two, branch_a)
    place(reader, one, branch_a)
    with pytest.raises(HoldRefused):
        place(reader, one, branch_a)
    with pytest.raises(HoldRefused):
        place(reader, two, branch_a)


def test_a_record_without_copies_cannot_be_held(reader, branch_a):
    with pytest.raises(HoldRefused):
        place(reader, make_record("Нет экземпляров"), branch_a)


def test_notices_go_once_however_often_the_run_repeats(item, reader, branch_a, desk_a):
    lend(item, reader, branch_a, desk_a)  # due 18 Dec
    three_days_before = dt.datetime(2026, 12, 15, 6, 0, tzinfo=dt.UTC)
    notices_run(now=three_days_before)
    notices_run(now=three_days_before)
    overdue = dt.datetime(2026, 12, 20, 6, 0, tzinfo=dt.UTC)
    notices_run(now=overdue)
    notices_run(now=overdue + dt.timedelta(days=1))
    kinds = sorted(Notice.objects.values_list("kind", flat=True))
    assert kinds == ["circulation.due_soon", "circulation.overdue"]
    assert len(mail.outbox) == 2


def test_a_run_killed_midway_and_rerun_queues_each_notice_once(
    reader, branch_a, desk_a, monkeypatch
):
    record = make_record()
    for _ in range(4):
        lend(make_item(record, branch_a), reader, branch_a, desk_a)
    now = dt.datetime(2026, 12, 20, 6, 0, tzinfo=dt.UTC)
    real = services._loan_notice_text
    calls = {"n": 0}

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_loan_notice_text", dying)
    with pytest.raises(KeyboardInterrupt):
        notices_run(now=now)
    monkeypatch.setattr(services, "_loan_notice_text", real)
    notices_run(now=now)
    notices_run(now=now)
    assert Notice.objects.filter(kind="circulation.overdue").count() == 4
    assert len(mail.outbox) == 4


def test_loan_notices_rendered_once_per_due_date_read_as_if_rendered_one_by_one(
    reader, other_reader, branch_a, desk_a
):
    lend(make_item(make_record("Отцы & дети  <1862>"), branch_a), reader, branch_a, desk_a)
    lend(make_item(make_record("Обломов"), branch_a), other_reader, branch_a, desk_a)
    services.notices_queue(now=dt.datetime(2026, 12, 20, 6, 0, tzinfo=dt.UTC))
    link = services._account_link()
    for loan in Loan.objects.select_related("reader", "item__record"):
        notice = Notice.objects.get(dedupe_key__startswith=f"circulation.overdue:{loan.pk}:")
        expected = services.notice_render(
            template="circulation/notices/overdue",
            context={"loan": loan, "record": loan.item.record, "link": link},
        )
        assert (notice.subject, notice.body) == expected
        assert notice.to_email == loan.reader.email


def test_the_hold_expiring_notice_goes_the_day_before(item, reader, branch_a, desk_a):
    place(reader, item.record, branch_a)
    back(item, branch_a, desk_a)  # ready until 25 Nov
    notices_run(now=dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC))
    notices_run(now=dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC))
    assert Notice.objects.filter(kind="circulation.hold_expiring").count() == 1


def test_staff_in_any_branch_may_place_a_hold_for_a_reader(item, reader, branch_b):
    desk = desk_user("desk-x", branch_b)
    hold = place(reader, item.record, branch_b, by=desk)
    assert hold.state == HoldState.WAITING


def test_automatic_renewal_when_configured_and_nobody_waits(
    settings, reader, other_reader, branch_a, desk_a
):
    settings.POLKA_AUTO_RENEW = True
    record = make_record()
    free, wanted = make_item(record, branch_a), make_item(make_record("Ждут"), branch_a)
    lend(free, reader, branch_a, desk_a)  # due 18 Dec
    lend(wanted, reader, branch_a, desk_a)
    place(other_reader, wanted.record, branch_a)
    notices_run(now=dt.datetime(2026, 12, 16, 6, 0, tzinfo=dt.UTC))
    loans = {loan.item_id: loan for loan in Loan.objects.all()}
    assert loans[free.pk].renewals == 1 and loans[free.pk].due_on == dt.date(2026, 12, 30)
    assert loans[wanted.pk].renewals == 0
    assert Notice.objects.filter(kind="circulation.due_soon").count() == 1


def test_a_copy_found_after_being_lost_returns_and_the_loan_closes(item, reader, branch_a, desk_a):
    lent = lend(item, reader, branch_a, desk_a)
    services.loan_lose(loan=lent.loan, by=desk_a, at=AT)
    back(item, branch_a, desk_a)
    assert Item.objects.get(pk=item.pk).status == ItemStatus.AVAILABLE
    assert Loan.objects.get().state == "returned"
