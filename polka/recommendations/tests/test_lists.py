"""A reading list shows each book's availability and prints as a ГОСТ recommendatory list."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from polka.catalog.models import Item, ItemStatus
from polka.catalog.tests.gost.factories import make_record
from polka.org.errors import NotPermitted
from polka.org.models import Role
from polka.org.services import staff_user_create
from polka.recommendations import services
from polka.recommendations.selectors import list_books, recommendations_current

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(branch_a):
    user, _ = staff_user_create(username="ed", roles={Role.METHODIST: "all"}, at=timezone.now())
    return user


def test_a_list_shows_availability_and_prints_gost_descriptions(client, editor, branch_a):
    reading_list = services.list_save(
        reading_list=None, by=editor, at=timezone.now(), slug="leto", title="Читаем летом",
        audience="children", theme="Приключения", intro="<p>Для 5–7 классов</p><script>x</script>",
        is_published=True,
    )  # fmt: skip
    book = make_record(
        title="Остров сокровищ", responsibility="Роберт Льюис Стивенсон", year=2019,
        people=(("Стивенсон, Роберт Льюис", "aut"),), place="Москва", publisher="Махаон",
    )  # fmt: skip
    Item.objects.create(record=book, branch=branch_a, barcode="1", status=ItemStatus.AVAILABLE)
    services.item_add(
        reading_list=reading_list, record=book, annotation="<p>Пираты!</p>", by=editor,
        at=timezone.now(),
    )  # fmt: skip
    (entry,) = list_books(reading_list=reading_list)
    assert entry.on_shelf and entry.copies[0].branch == branch_a.name
    page = client.get(reverse("recommendations:detail", args=["leto"])).content.decode()
    assert "Остров сокровищ" in page and "на полке" in page and "Пираты!" in page
    assert "<script>" not in page.split("<main")[1]
    printed = client.get(reverse("recommendations:print", args=["leto"])).content.decode()
    assert "Стивенсон, Р. Л." in printed and "Рекомендательный список литературы" in printed
    assert recommendations_current() == [reading_list]


def test_unpublished_lists_stay_hidden_and_only_editors_edit(client, editor, django_user_model):
    services.list_save(
        reading_list=None, by=editor, at=timezone.now(), slug="draft", title="Черновик",
        audience="adults",
    )  # fmt: skip
    assert client.get(reverse("recommendations:detail", args=["draft"])).status_code == 404
    reader = django_user_model.objects.create_user(username="reader")
    with pytest.raises(NotPermitted):
        services.list_save(
            reading_list=None, by=reader, at=timezone.now(), slug="x", title="x", audience="adults"
        )
    client.force_login(reader)
    assert client.get(reverse("recommendations:staff")).status_code == 403
