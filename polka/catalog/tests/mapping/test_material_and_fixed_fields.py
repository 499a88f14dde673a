import pytest

from polka.catalog.mapping import map_record
from polka.catalog.tests.mapping.builders import control_field, data_field, record

BOOK_008 = "151116s2005    ru            000 0 rus d"


@pytest.mark.parametrize(
    ("type_and_level", "expected"),
    [
        ("am", "book"),
        ("tm", "book"),
        ("as", "serial"),
        ("ai", "serial"),
        ("aa", "article"),
        ("ab", "article"),
        ("cm", "score"),
        ("dm", "score"),
        ("em", "map"),
        ("fm", "map"),
        ("im", "audio"),
        ("jm", "audio"),
        ("gm", "video"),
        ("mm", "electronic"),
        ("km", "graphic"),
        ("om", "kit"),
    ],
)
def test_marc21_material_type_comes_from_the_leader(type_and_level, expected):
    marc = record(control_field("008", BOOK_008), leader=f"00000n{type_and_level} a2200000 i 4500")
    assert map_record(marc, "marc21").material_type == expected


def test_marc21_online_text_is_an_ebook():
    online = BOOK_008[:23] + "o" + BOOK_008[24:]
    marc = record(control_field("008", online), leader="00000nam a2200000 i 4500")
    assert map_record(marc, "marc21").material_type == "ebook"
    marc = record(control_field("007", "cr |||||||||||"))
    assert map_record(marc, "marc21").material_type == "ebook"


def test_a_printed_book_with_a_digitised_reproduction_stays_a_book():
    marc = record(control_field("007", "cr_|||||||||||"), control_field("008", BOOK_008))
    assert map_record(marc, "marc21").material_type == "book"


@pytest.mark.parametrize(
    ("type_and_level", "expected"),
    [("am", "book"), ("as", "serial"), ("aa", "article"), ("cm", "score"), ("em", "map"),
     ("jm", "audio"), ("gm", "video"), ("lm", "electronic"), ("km", "graphic")],
)  # fmt: skip
def test_rusmarc_material_type_comes_from_the_leader(type_and_level, expected):
    marc = record(leader=f"00000n{type_and_level}0 2200000 i 450 ")
    assert map_record(marc, "rusmarc").material_type == expected


def test_rusmarc_text_on_an_electronic_carrier_is_an_ebook():
    marc = record(data_field("106", "a", "s"), leader="00000nam0 2200000 i 450 ")
    assert map_record(marc, "rusmarc").material_type == "ebook"


def test_year_falls_back_to_the_fixed_fields():
    marc = record(control_field("008", BOOK_008), data_field("260", "a", "М.", "c", "[б. г.]"))
    assert map_record(marc, "marc21").year == 2005
    rus = record(data_field("100", "a", "19991220e19991913u  y0rusy0189    ca"))
    assert map_record(rus, "rusmarc").year == 1999


def test_marc21_languages_merge_008_and_041_including_run_together_codes():
    marc = record(control_field("008", BOOK_008), data_field("041", "a", "engrus", "a", "fre"))
    assert map_record(marc, "marc21").languages == ["rus", "eng", "fre"]


def test_age_mark_from_marc21_521_and_from_rusmarc_333():
    marc = record(data_field("521", "a", "Для детей старше 12 лет. 12+"))
    assert map_record(marc, "marc21").age_mark == "12+"
    rus = record(data_field("333", "a", "16+"))
    assert map_record(rus, "rusmarc").age_mark == "16+"
    assert map_record(record(data_field("300", "a", "0+")), "rusmarc").age_mark == "0+"


def test_links_take_their_label_from_y_or_3():
    marc = record(
        data_field("856", "u", "https://example.org/a.pdf", "y", "Полный текст"),
        data_field("856", "3", "Обложка", "u", "https://example.org/c.jpg"),
    )
    assert map_record(marc, "marc21").links == [
        {"url": "https://example.org/a.pdf", "label": "Полный текст"},
        {"url": "https://example.org/c.jpg", "label": "Обложка"},
    ]


def test_rusmarc_author_mark_comes_from_908_and_marc21_from_090_before_852():
    assert map_record(record(data_field("908", "a", "Т53")), "rusmarc").author_mark == "Т53"
    marc = record(data_field("090", "b", "Т53"), data_field("852", "a", "X", "i", "Т54"))
    assert map_record(marc, "marc21").author_mark == "Т53"


def test_issn_is_validated():
    mapped = map_record(
        record(data_field("022", "a", "0317-8471"), data_field("022", "a", "1234-5678")), "marc21"
    )
    assert mapped.issns == ["0317-8471"]
    assert any("1234-5678" in w for w in mapped.warnings)


def test_an_authority_record_is_mapped_with_a_warning_saying_so():
    marc = record(
        data_field("100", "a", "Tolstoy, Leo,", "d", "1828-1910."),
        leader="00000nz  a2200000n  4500",
    )
    mapped = map_record(marc, "marc21")
    assert mapped.material_type == "other"
    assert any("authority" in w for w in mapped.warnings)
