import pytest
from django.utils import timezone

from polka.catalog.models import Item, ItemStatus
from polka.circulation import services
from polka.circulation.models import Fact, Hold, HoldState, Loan, Transit
from polka.circulation.tests.conftest import make_item, make_record, rule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _open_today(monkeypatch):
    # The desk reads the clock; the test branches are open on weekdays only.
    import datetime as dt

    from polka.circulation.tests.conftest import AT

    monkeypatch.setattr(timezone, "now", lambda: AT)
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, timezone=None: dt.date(2026, 11, 18)
    )


@pytest.fixture
def desk(client, desk_a):
    client.force_login(desk_a)
    return client


def test_the_desk_is_for_circulation_staff_only(client, reader):
    assert client.get("/circulation/desk/").status_code == 302


def test_scanning_a_card_shows_the_readers_summary(desk, reader, item, branch_a, desk_a):
    services.loan_checkout(
        barcode=item.barcode, reader=reader, branch=branch_a, by=desk_a, at=timezone.now()
    )
    page = desk.get("/circulation/desk/", {"card": reader.card_number}).content.decode()
    assert reader.full_name in page and item.barcode in page and "На руках 1 книга" in page
    assert 'id="lend-barcode"' in page


def test_an_unknown_card_is_said_plainly(desk, branch_a):
    page = desk.get("/circulation/desk/", {"card": "0000"}).content.decode()
    assert "Читателя с билетом 0000 нет" in page


def test_lending_by_htmx_answers_with_a_line_and_a_fresh_summary(desk, reader, item):
    response = desk.post(
        "/circulation/desk/checkout/",
        {"reader": reader.pk, "barcode": item.barcode},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Выдано: «Война и мир»" in html and 'hx-swap-oob="true"' in html
    assert Loan.objects.filter(item=item).exists()


def test_a_second_copy_lent_by_htmx_adds_its_row_and_redraws_only_the_heading(
    desk, reader, item, record, branch_a
):
    desk.post("/circulation/desk/checkout/", {"reader": reader.pk, "barcode": item.barcode})
    second = make_item(make_record("Анна Каренина"), branch_a)
    html = desk.post(
        "/circulation/desk/checkout/",
        {"reader": reader.pk, "barcode": second.barcode},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Выдано: «Анна Каренина»" in html
    assert 'id="desk-loans-heading" hx-swap-oob="true"' in html and "Книг на руках: 2" in html
    assert 'hx-swap-oob="beforeend:#desk-loans"' in html and second.barcode in html
    # The first copy's row is already on the screen: it is not sent again.
    assert item.barcode not in html and 'id="summary"' not in html


def test_collecting_a_hold_by_htmx_redraws_the_whole_summary(
    desk, reader, item, record, branch_a, desk_a
):
    other = make_item(make_record("Анна Каренина"), branch_a)
    desk.post("/circulation/desk/checkout/", {"reader": reader.pk, "barcode": other.barcode})
    services.hold_place(reader=reader, record=record, pickup_branch=branch_a, at=timezone.now())
    desk.post("/circulation/desk/checkin/", {"barcode": item.barcode})  # trapped for the hold
    html = desk.post(
        "/circulation/desk/checkout/",
        {"reader": reader.pk, "barcode": item.barcode},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'id="summary" hx-swap-oob="true"' in html and "Брони ждут на полке" not in html
    assert other.barcode in html and item.barcode in html


def test_a_refused_scan_by_htmx_leaves_the_summary_on_the_screen(desk, reader):
    html = desk.post(
        "/circulation/desk/checkout/",
        {"reader": reader.pk, "barcode": "nope"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "нет в каталоге" in html and 'id="summary"' not in html


def test_lending_without_javascript_renders_the_whole_page(desk, reader, item):
    html = desk.post(
        "/circulation/desk/checkout/", {"reader": reader.pk, "barcode": item.barcode}
    ).content.decode()
    assert "<html" in html and "Выдано" in html


def test_a_refused_rule_offers_an_override_with_a_reason(desk, reader, record, branch_a):
    rule(max_loans=0)
    copy = make_item(record, branch_a)
    html = desk.post(
        "/circulation/desk/checkout/", {"reader": reader.pk, "barcode": copy.barcode}
    ).content.decode()
    assert "Отказ:" in html and 'name="override"' in html
    assert not Loan.objects.exists()
    desk.post(
        "/circulation/desk/checkout/",
        {"reader": reader.pk, "barcode": copy.barcode, "override": "заведующая разрешила"},
    )
    assert Loan.objects.get().item == copy


def test_an_unknown_barcode_is_refused_without_an_override(desk, reader):
    html = desk.post(
        "/circulation/desk/checkout/", {"reader": reader.pk, "barcode": "nope"}
    ).content.decode()
    assert "нет в каталоге" in html and 'name="override"' not in html


def test_a_return_that_a_hold_traps_elsewhere_gives_a_transit_slip(
    desk, reader, other_reader, item, branch_a, branch_b, desk_a
):
    services.loan_checkout(
        barcode=item.barcode, reader=reader, branch=branch_a, by=desk_a, at=timezone.now()
    )
    services.hold_place(
        reader=other_reader, record=item.record, pickup_branch=branch_b, at=timezone.now()
    )
    html = desk.post("/circulation/desk/checkin/", {"barcode": item.barcode}).content.decode()
    assert "Отправьте в «Библиотека-филиал № 2»" in html
    transit = Transit.objects.get()
    slip = desk.get(f"/circulation/transit/{transit.pk}/slip/").content.decode()
    assert "Библиотека-филиал № 2" in slip and other_reader.card_number in slip


def test_renew_all_visit_use_and_receipt(desk, reader, item, record, branch_a):
    desk.post("/circulation/desk/checkout/", {"reader": reader.pk, "barcode": item.barcode})
    html = desk.post("/circulation/desk/renew/", {"reader": reader.pk, "loan": "all"}).content
    assert "Продлено до" in html.decode()
    desk.post("/circulation/desk/visit/", {"reader": reader.pk})
    other = make_item(record, branch_a)
    desk.post("/circulation/desk/use/", {"barcode": other.barcode})
    kinds = sorted(Fact.objects.values_list("kind", flat=True))
    assert kinds == ["loan", "renewal", "use", "visit"]
    receipt = desk.get("/circulation/desk/receipt/", {"reader": reader.pk}).content.decode()
    assert "Война и мир" in receipt and item.barcode in receipt


def test_the_daily_holds_list_says_which_copies_to_pull(desk, reader, item, branch_a):
    services.hold_place(
        reader=reader, record=item.record, pickup_branch=branch_a, at=timezone.now()
    )
    html = desk.get("/circulation/holds/").content.decode()
    assert item.barcode in html and "Снять с полок" in html
    desk.post("/circulation/desk/checkin/", {"barcode": item.barcode})
    assert Hold.objects.get().state == HoldState.READY
    assert Item.objects.get(pk=item.pk).status == ItemStatus.ON_HOLD


def test_the_scan_of_a_copy_stays_within_a_query_budget(
    desk, reader, item, branch_a, django_assert_max_num_queries
):
    make_item(item.record, branch_a)
    desk.get("/circulation/desk/", {"card": reader.card_number})
    with django_assert_max_num_queries(40):
        desk.post(
            "/circulation/desk/checkout/",
            {"reader": reader.pk, "barcode": item.barcode},
            HTTP_HX_REQUEST="true",
        )


def test_a_lost_copy_is_marked_then_made_good_at_the_desk(desk, reader, item):
    desk.post("/circulation/desk/checkout/", {"reader": reader.pk, "barcode": item.barcode})
    loan = Loan.objects.get()
    html = desk.post("/circulation/desk/lost/", {"reader": reader.pk, "loan": loan.pk}).content
    assert "Отмечено как утерянное" in html.decode() and "Возмещение" in html.decode()
    desk.post(
        "/circulation/desk/lost/",
        {"reader": reader.pk, "loan": loan.pk, "settlement": "payment", "amount": "350,50"},
    )
    loan.refresh_from_db()
    assert loan.settlement == "payment" and str(loan.amount) == "350.50"
    assert Item.objects.get(pk=item.pk).status == ItemStatus.LOST


def test_the_desk_marks_a_returned_copy_damaged_and_back_after_repair(
    desk, reader, item, branch_a, desk_a
):
    services.loan_checkout(
        barcode=item.barcode, reader=reader, branch=branch_a, by=desk_a, at=timezone.now()
    )
    form = {"barcode": item.barcode, "branch": branch_a.code}
    page = desk.post("/circulation/desk/checkin/", {**form, "condition": "damaged"})
    assert "повреждённое" in page.content.decode()
    assert Item.objects.get(pk=item.pk).status == ItemStatus.DAMAGED
    page = desk.post("/circulation/desk/checkin/", form).content.decode()
    assert "после ремонта отметьте" in page
    desk.post("/circulation/desk/checkin/", {**form, "condition": "repaired"})
    assert Item.objects.get(pk=item.pk).status == ItemStatus.AVAILABLE
