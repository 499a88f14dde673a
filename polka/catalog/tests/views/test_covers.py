"""Covers: the record's own cover link when it has one, otherwise a typographic cover in a
colour of the record, so no result and no record page is ever without a cover."""

import pytest
from django.urls import reverse

from polka.catalog.covers import PALETTE, record_cover_image
from polka.catalog.models import Item, ItemStatus
from polka.catalog.tests.gost.factories import make_record
from polka.org.models import Branch, BranchKind, Network

pytestmark = pytest.mark.django_db


def test_a_record_without_a_cover_link_gets_a_typographic_cover_with_its_title_and_author():
    record = make_record(title="Москва и москвичи", responsibility="Владимир Гиляровский")
    cover = record_cover_image(record)
    assert cover.generated and cover.colour in PALETTE
    assert " ".join(cover.title_lines) == "Москва и москвичи"
    assert " ".join(cover.author_lines) == "Владимир Гиляровский"
    assert record_cover_image(record).colour == cover.colour  # the same every time


def test_a_very_long_title_is_cut_to_five_lines_ending_with_an_ellipsis():
    record = make_record(title="Очень длинное заглавие " * 12)
    lines = record_cover_image(record).title_lines
    assert len(lines) == 5 and lines[-1].endswith("…")


def test_the_records_own_cover_link_wins():
    record = make_record(title="С обложкой")
    record.links = [{"url": "https://example.org/cover.jpg", "label": "Обложка"}]
    assert record_cover_image(record).url == "https://example.org/cover.jpg"


def test_record_page_shows_the_cover_and_copies_on_the_shelf_per_branch(client):
    network = Network.objects.create(name="ЦБС")
    branch = Branch.objects.create(
        network=network, code="f2", name="Филиал № 2", kind=BranchKind.BRANCH
    )
    record = make_record(title="Москва и москвичи", responsibility="Владимир Гиляровский")
    for barcode, status in (("1", ItemStatus.AVAILABLE), ("2", ItemStatus.ON_LOAN)):
        Item.objects.create(record=record, branch=branch, barcode=barcode, status=status)
    html = client.get(reverse("catalog:record", args=[record.pk])).content.decode()
    assert 'class="cover cover-large"' in html and "<svg" in html
    assert "на полке: 1" in html
