"""The demo plan is pure data fixed by the seed (the schedule: test_demo_schedule.py)."""

from __future__ import annotations

from polka.cli.demo import vocabulary as v
from polka.cli.demo.books import isbn13, plan_records
from polka.cli.demo.generator import plan_readers


def _isbn_is_valid(isbn: str) -> bool:
    digits = isbn.replace("-", "")
    return len(digits) == 13 and isbn13(digits[:12]) == digits


def test_the_same_seed_plans_the_same_records_copies_and_readers():
    first, second = plan_records(seed=7, count=80), plan_records(seed=7, count=80)
    assert [p.marc for p in first] == [p.marc for p in second]
    assert [i.barcode for p in first for i in p.items] == [
        i.barcode for p in second for i in p.items
    ]
    assert plan_readers(seed=7, count=30) == plan_readers(seed=7, count=30)


def test_another_seed_plans_another_catalogue():
    titles = [p.book.title for p in plan_records(seed=1, count=40)]
    assert titles != [p.book.title for p in plan_records(seed=2, count=40)]


def test_records_are_mostly_rusmarc_with_some_marc21():
    flavours = [p.flavour for p in plan_records(seed=1, count=300)]
    assert 0.6 < flavours.count("rusmarc") / len(flavours) < 0.97
    assert "marc21" in flavours


def test_every_isbn_and_barcode_has_a_valid_check_digit_and_barcodes_are_unique():
    planned = plan_records(seed=3, count=300)
    isbns = [p.book.isbn for p in planned if p.book.isbn]
    assert isbns and all(_isbn_is_valid(i) for i in isbns)
    barcodes = [i.barcode for p in planned for i in p.items]
    assert all(isbn13(b[:12]) == b for b in barcodes)
    assert len(set(barcodes)) == len(barcodes)


def test_fixed_length_marc_fields_have_their_standard_length():
    for plan in plan_records(seed=5, count=200):
        if plan.flavour == "marc21":
            assert len(plan.marc.leader) == 24
            assert len(plan.marc.control("008") or "") == 40
        else:
            assert len(plan.marc.leader) == 24
            assert len(plan.marc.values("100", "a")[0]) == 36


def test_every_record_has_one_to_five_copies_in_known_branches_with_its_holdings_fields():
    codes = {b.code for b in v.BRANCHES}
    for plan in plan_records(seed=9, count=200):
        assert 1 <= len(plan.items) <= 5
        assert {i.branch_code for i in plan.items} <= codes
        holdings = list(plan.marc.get_fields("910", "952"))
        assert len(holdings) == len(plan.items)


def test_children_readers_are_born_within_their_category_ages():
    for reader in plan_readers(seed=1, count=200):
        if reader.category == "child":
            assert 6 <= v.REFERENCE_YEAR - reader.birth_year <= 13


def test_even_a_small_catalogue_has_two_editions_of_one_work():
    books = [p.book for p in plan_records(seed=1, count=20)]
    first_novel, second_edition = next(b for b in books if b.literary_form), books[-1]
    assert (second_edition.title, second_edition.authors) == (
        first_novel.title,
        first_novel.authors,
    )
    assert second_edition.year != first_novel.year and second_edition.edition == "2-е изд."
