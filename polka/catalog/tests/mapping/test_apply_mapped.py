"""The common-fields editor writes into the MARC record: map → change → map shows the change
and nothing else."""

import dataclasses

import pytest

from polka.catalog.mapping import MappedAuthor, apply_mapped, map_record
from polka.catalog.tests.mapping.builders import data_field, record
from polka.catalog.tests.mapping.records import record_numbered

CHANGES = [
    ("title", "Новое заглавие"),
    ("title", ""),
    ("remainder_of_title", "сборник статей"),
    ("remainder_of_title", ""),
    ("parts", "Ч. 2"),
    ("responsibility", "И. И. Иванов ; под ред. П. П. Петрова"),
    ("edition", "2-е изд., испр."),
    ("edition", ""),
    ("place", "Москва ; Санкт-Петербург"),
    ("publisher", "Наука : Питер"),
    ("publisher", ""),
    ("year", 2021),
    ("year", None),
    ("extent", "320 с. : ил. ; 22 см + 1 CD"),
    ("extent", "100 с."),
    ("series", "Библиотека школьника ; 12"),
    ("series", ""),
    ("isbns", ["9785930933420", "9780553268478"]),
    ("isbns", []),
    ("issns", ["0317-8471"]),
    ("languages", ["rus", "eng"]),
    ("languages", ["fre"]),
    ("languages", []),
    ("subjects", ["Гидравлика -- Учебники"]),
    ("subjects", []),
    ("udc", "532(075.8)"),
    ("udc", ""),
    ("bbk", "30.123я73"),
    ("bbk", ""),
    ("author_mark", "Г46"),
    ("author_mark", ""),
    ("annotation", "Пособие для студентов вузов."),
    ("age_mark", "16+"),
    ("age_mark", ""),
    ("authors", [MappedAuthor(name="Иванов, Иван Иванович", role="aut", dates="1950-")]),
    ("authors", []),
]


SOURCES = {
    "marc21-rkp": (record_numbered("pymarc/1251.dat", "ru03-000002RKP"), "marc21"),
    "marc21-fsl": (record_numbered("evergreen/FSL.marc", "000538819"), "marc21"),
    "rusmarc-nlr": (
        record_numbered("managedirbis/TestData/TEST1.ISO", "RU\\NLR\\bibl\\341772"),
        "rusmarc",
    ),
}


def _comparable(mapped, key, value):
    data = dataclasses.asdict(mapped)
    data.pop("warnings")
    changed = data.pop(key)
    if key == "authors":
        changed = [(a["name"], a["role"], a["dates"]) for a in changed]
        value = [(a.name, a.role, a.dates) for a in value]
    if key in ("subjects", "isbns", "languages"):
        changed, value = sorted(changed), sorted(value)
    return data, changed, value


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize(("key", "value"), CHANGES, ids=[f"{k}={v!r}"[:40] for k, v in CHANGES])
def test_one_changed_field_shows_and_nothing_else_changes(source, key, value):
    original, flavour = SOURCES[source]
    before = map_record(original, flavour)
    edited = apply_mapped(original, flavour, {key: value})
    after = map_record(edited, flavour)
    rest_before, _, _ = _comparable(before, key, value)
    rest_after, written, wanted = _comparable(after, key, value)
    assert written == wanted
    if key == "author_mark" and flavour == "marc21":
        # The author mark is the item part of the call number in 852: copies follow it.
        rest_before.pop("items")
        rest_after.pop("items")
    assert rest_after == rest_before


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_sending_every_field_unchanged_leaves_the_record_as_it_was(source):
    original, flavour = SOURCES[source]
    mapped = map_record(original, flavour)
    form = {key: getattr(mapped, key) for key in (k for k, _ in CHANGES)}
    assert apply_mapped(original, flavour, form) == original


def test_apply_mapped_does_not_touch_the_record_it_was_given():
    original, flavour = SOURCES["rusmarc-nlr"]
    snapshot = dataclasses.replace(original, fields=list(original.fields))
    apply_mapped(original, flavour, {"title": "Другое"})
    assert original == snapshot


def test_isbd_punctuation_is_kept_when_a_title_is_edited():
    original, _ = SOURCES["marc21-fsl"]
    edited = apply_mapped(original, "marc21", {"title": "Люди с больной совестью"})
    title = next(f for f in edited.fields if f.tag == "245")
    assert title.subfields[0].value == "Люди с больной совестью :"


def test_an_unchanged_author_keeps_the_authority_link_when_another_is_added():
    original, _ = SOURCES["rusmarc-nlr"]
    marc = dataclasses.replace(original, fields=list(original.fields))
    marc.fields.append(
        data_field("702", "3", "RU\\NLR\\auth\\1", "a", "Петров", "b", "П. П.", "4", "340",
                   indicators=" 1")
    )  # fmt: skip
    mapped = map_record(marc, "rusmarc")
    authors = [*mapped.authors, MappedAuthor(name="Сидоров, Семён Семёнович", role="trl")]
    edited = apply_mapped(marc, "rusmarc", {"authors": authors})
    petrov = next(f for f in edited.fields if f.tag == "702" and f.first("a") == "Петров")
    assert petrov.first("3") == "RU\\NLR\\auth\\1"
    sidorov = next(f for f in edited.fields if f.first("a") == "Сидоров")
    assert (sidorov.tag, sidorov.first("b"), sidorov.first("g"), sidorov.first("4")) == (
        "702",
        "С. С.",
        "Семён Семёнович",
        "730",
    )
    names = [a.name for a in map_record(edited, "rusmarc").authors]
    assert names == ["Российская Федерация", "Петров, П. П.", "Сидоров, Семён Семёнович"]


def test_first_new_author_of_a_record_without_one_becomes_the_main_entry():
    marc = record(data_field("245", "a", "Заглавие"))
    edited = apply_mapped(
        marc, "marc21", {"authors": [{"name": "Толстой, Лев Николаевич", "role": "aut",
                                      "dates": "1828-1910"}]}
    )  # fmt: skip
    (heading,) = [f for f in edited.fields if f.tag == "100"]
    assert heading.first("a") == "Толстой, Лев Николаевич"
    (author,) = map_record(edited, "marc21").authors
    assert (author.birth_year, author.death_year) == (1828, 1910)


def test_a_volume_number_and_name_are_read_as_parts_and_edited_apart_from_the_title():
    marc = record(data_field("245", "a", "Собрание сочинений.", "n", "Т. 2,", "p", "Повести /",
                             "c", "Н. В. Гоголь."))  # fmt: skip
    mapped = map_record(marc, "marc21")
    assert (mapped.title, mapped.parts) == ("Собрание сочинений", "Т. 2, Повести")
    edited = map_record(apply_mapped(marc, "marc21", {"parts": "Т. 3"}), "marc21")
    assert (edited.title, edited.parts, edited.responsibility) == (
        "Собрание сочинений",
        "Т. 3",
        "Н. В. Гоголь",
    )


def test_a_year_typed_as_text_is_written_as_a_year():
    marc = record(data_field("260", "a", "М.", "c", "2001"))
    assert map_record(apply_mapped(marc, "marc21", {"year": "2019"}), "marc21").year == 2019
    assert map_record(apply_mapped(marc, "marc21", {"year": ""}), "marc21").year is None


def test_unknown_field_name_is_refused():
    with pytest.raises(KeyError):
        apply_mapped(record(), "marc21", {"barcode": "1"})
