"""Copies in the staff editor: added, moved between branches, withdrawn; rights per branch."""

import pytest
from django.urls import reverse

from polka.catalog import services
from polka.catalog.models import Item, ItemStatus
from polka.catalog.tests.standins import marc
from polka.catalog.tests.views.conftest import make_staff
from polka.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(at):
    return services.record_create(marc=marc("Москва и москвичи"), flavour="marc21", at=at)


@pytest.fixture
def item(record, central, at):
    return services.item_add(record=record, branch=central, barcode="0001", by=None, at=at)


@pytest.fixture
def central_cataloguer(central, at):
    return make_staff("central-cat", {Role.CATALOGUER: [central]}, at)


def test_a_cataloguer_adds_a_copy_in_a_branch(client, cataloguer, record, branch2):
    client.force_login(cataloguer)
    response = client.post(
        reverse("catalog-staff:item-add", args=[record.pk]),
        {"branch": branch2.pk, "barcode": "0002", "shelf_mark": "84(2)1 Г47"},
    )
    assert response.status_code == 302
    item = Item.objects.get(barcode="0002")
    assert (item.branch, item.shelf_mark, item.record) == (branch2, "84(2)1 Г47", record)


def test_a_taken_barcode_is_reported_and_the_form_keeps_its_input(
    client, cataloguer, record, item, branch2
):
    client.force_login(cataloguer)
    response = client.post(
        reverse("catalog-staff:item-add", args=[record.pk]),
        {"branch": branch2.pk, "barcode": "0001", "shelf_mark": "набранный шифр"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Штрихкод 0001 уже занят." in html
    assert 'value="набранный шифр"' in html


def test_a_copy_moves_to_another_branch(client, cataloguer, record, item, branch2):
    client.force_login(cataloguer)
    response = client.post(
        reverse("catalog-staff:item-move", args=[record.pk, item.pk]),
        {f"move-{item.pk}-branch": branch2.pk},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.branch == branch2


def test_a_copy_is_withdrawn_with_its_reason_and_disappears_from_the_public_page(
    client, cataloguer, record, item
):
    client.force_login(cataloguer)
    client.post(
        reverse("catalog-staff:item-withdraw", args=[record.pk, item.pk]),
        {f"withdraw-{item.pk}-reason": "ветхость"},
    )
    item.refresh_from_db()
    assert (item.status, item.withdrawal_reason) == (ItemStatus.WITHDRAWN, "ветхость")
    staff_page = client.get(reverse("catalog-staff:items", args=[record.pk])).content.decode()
    assert "ветхость" in staff_page
    public_page = client.get(reverse("catalog:record", args=[record.pk])).content.decode()
    assert "0001" not in public_page and "ветхость" not in public_page


def test_a_withdrawal_needs_a_reason(client, cataloguer, record, item):
    client.force_login(cataloguer)
    response = client.post(
        reverse("catalog-staff:item-withdraw", args=[record.pk, item.pk]),
        {f"withdraw-{item.pk}-reason": ""},
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == ItemStatus.AVAILABLE


def test_a_cataloguer_of_one_branch_cannot_manage_copies_of_another(
    client, central_cataloguer, record, branch2, at
):
    other = services.item_add(record=record, branch=branch2, barcode="0009", by=None, at=at)
    client.force_login(central_cataloguer)
    url = reverse("catalog-staff:item-withdraw", args=[record.pk, other.pk])
    assert client.post(url, {f"withdraw-{other.pk}-reason": "x"}).status_code == 403
    move = reverse("catalog-staff:item-move", args=[record.pk, other.pk])
    assert client.post(move, {f"move-{other.pk}-branch": branch2.pk}).status_code == 403
    other.refresh_from_db()
    assert other.status == ItemStatus.AVAILABLE


def test_a_copy_cannot_be_moved_into_a_branch_the_cataloguer_does_not_manage(
    client, central_cataloguer, record, item, branch2
):
    client.force_login(central_cataloguer)
    response = client.post(
        reverse("catalog-staff:item-move", args=[record.pk, item.pk]),
        {f"move-{item.pk}-branch": branch2.pk},
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.branch.code == "central"


def test_a_desk_librarian_cannot_add_copies(client, desk, record, central):
    client.force_login(desk)
    response = client.post(
        reverse("catalog-staff:item-add", args=[record.pk]),
        {"branch": central.pk, "barcode": "0003"},
    )
    assert response.status_code == 403
    assert not Item.objects.filter(barcode="0003").exists()
