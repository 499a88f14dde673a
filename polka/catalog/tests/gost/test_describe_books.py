"""ГОСТ Р 7.0.100-2018 descriptions of books, each written out in full by hand."""

import pytest

from polka.catalog.gost import describe, describe_parts
from polka.catalog.tests.gost.factories import make_record
from polka.interop.marc.record import Field, MarcRecord, Subfield

pytestmark = pytest.mark.django_db


def test_a_book_by_one_author_has_the_author_as_heading_and_in_the_responsibility():
    record = make_record(
        title="Москва и москвичи",
        responsibility="Владимир Гиляровский",
        place="Москва",
        publisher="АСТ",
        year=2017,
        extent="448 с. : ил.",
        series="Эксклюзивная классика",
        isbns=["978-5-17-093917-6"],
        people=(("Гиляровский, Владимир Алексеевич", "aut"),),
    )
    assert describe(record) == (
        "Гиляровский, В. А. Москва и москвичи / Владимир Гиляровский. – Москва : АСТ, 2017. "
        "– 448 с. : ил. – (Эксклюзивная классика). – ISBN 978-5-17-093917-6. "
        "– Текст : непосредственный."
    )


def test_a_book_by_two_authors_is_headed_by_the_first_and_names_both():
    record = make_record(
        title="Почвоведение",
        remainder_of_title="учебник",
        responsibility="А. В. Хабаров, А. А. Яскин",
        place="Москва",
        publisher="Колос",
        year=2001,
        extent="231 с. : ил.",
        people=(("Хабаров, Андрей Владимирович", "aut"), ("Яскин, Алексей Андреевич", "aut")),
    )
    assert describe(record) == (
        "Хабаров, А. В. Почвоведение : учебник / А. В. Хабаров, А. А. Яскин. – Москва : Колос, "
        "2001. – 231 с. : ил. – Текст : непосредственный."
    )


def test_a_book_by_three_authors_is_headed_by_the_first_and_names_all_three():
    record = make_record(
        title="Простейшие модели теории оболочек и пластин в офтальмологии",
        place="Санкт-Петербург",
        publisher="Издательство Санкт-Петербургского университета",
        year=2000,
        extent="89 с.",
        people=(
            ("Бауэр, Светлана Михайловна", "aut"),
            ("Зимин, Борис Алексеевич", "aut"),
            ("Товстик, Петр Евгеньевич", "aut"),
        ),
    )
    # No transcribed statement in the record: it is built from the authors, in their order.
    assert describe(record) == (
        "Бауэр, С. М. Простейшие модели теории оболочек и пластин в офтальмологии "
        "/ С. М. Бауэр, Б. А. Зимин, П. Е. Товстик. – Санкт-Петербург : Издательство "
        "Санкт-Петербургского университета, 2000. – 89 с. – Текст : непосредственный."
    )


FOUR_AUTHORS = (
    ("Крившенко, Людмила Петровна", "aut"),
    ("Вайндорф-Сысоева, Марина Ефимовна", "aut"),
    ("Юркина, Людмила Валентиновна", "aut"),
    ("Кадыков, Алексей Михайлович", "aut"),
)


def test_a_book_by_four_authors_has_no_heading_and_names_the_first_with_et_al():
    record = make_record(
        title="Педагогика",
        remainder_of_title="учебник",
        responsibility=(
            "Л. П. Крившенко, М. Е. Вайндорф-Сысоева, Л. В. Юркина, А. М. Кадыков ; "
            "под редакцией Л. П. Крившенко"
        ),
        place="Москва",
        publisher="Проспект",
        year=2010,
        extent="432 с.",
        isbns=["978-5-392-01063-9"],
        people=FOUR_AUTHORS,
    )
    assert describe(record) == (
        "Педагогика : учебник / Л. П. Крившенко [и др.] ; под редакцией Л. П. Крившенко. "
        "– Москва : Проспект, 2010. – 432 с. – ISBN 978-5-392-01063-9. "
        "– Текст : непосредственный."
    )


def test_four_authors_without_a_transcribed_statement_are_shortened_the_same_way():
    record = make_record(title="Педагогика", year=2010, people=FOUR_AUTHORS)
    assert describe(record) == (
        "Педагогика / Л. П. Крившенко [и др.]. – 2010. – Текст : непосредственный."
    )


def test_an_edited_collection_starts_with_its_title_and_names_the_editor():
    record = make_record(
        title="Социальная работа",
        remainder_of_title="учебник",
        responsibility="под редакцией В. И. Курбатова",
        edition="3-е издание, переработанное и дополненное",
        place="Ростов-на-Дону",
        publisher="Феникс",
        year=2019,
        extent="474 с.",
        series="Высшее образование",
        isbns=["978-5-222-31284-1"],
        people=(("Курбатов, Владимир Иванович", "edt"),),
    )
    assert describe(record) == (
        "Социальная работа : учебник / под редакцией В. И. Курбатова. – 3-е издание, "
        "переработанное и дополненное. – Ростов-на-Дону : Феникс, 2019. – 474 с. "
        "– (Высшее образование). – ISBN 978-5-222-31284-1. – Текст : непосредственный."
    )


def test_an_abbreviated_edition_statement_keeps_one_full_stop_before_the_dash():
    record = make_record(
        title="Основы информационной безопасности",
        remainder_of_title="учебное пособие",
        edition="Изд. 4-е, испр. и доп.",
        year=2009,
        people=(("Нестеров, Сергей Александрович", "aut"),),
    )
    assert describe(record) == (
        "Нестеров, С. А. Основы информационной безопасности : учебное пособие "
        "/ С. А. Нестеров. – Изд. 4-е, испр. и доп. – 2009. – Текст : непосредственный."
    )


def test_a_volume_of_a_set_gives_the_set_then_the_volume_number_and_title():
    marc = MarcRecord(
        leader="00000nam a2200000 i 4500",
        fields=[
            Field(
                "245",
                "10",
                [
                    Subfield("a", "Сочинения :"),
                    Subfield("b", "в 2 томах."),
                    Subfield("n", "Том 1 :"),
                    Subfield("p", "Стихотворения ; Рассказы ; Роман /"),
                    Subfield("c", "Зинаида Гиппиус."),
                ],
            ),
        ],
    )
    record = make_record(
        title="Сочинения",
        remainder_of_title="в 2 томах",
        responsibility="Зинаида Гиппиус",
        place="Москва",
        publisher="Лаком-книга : Габестро",
        year=2001,
        extent="344 с.",
        people=(("Гиппиус, Зинаида Николаевна", "aut"),),
    )
    assert describe(record, marc=marc) == (
        "Гиппиус, З. Н. Сочинения : в 2 томах. Том 1 : Стихотворения ; Рассказы ; Роман "
        "/ Зинаида Гиппиус. – Москва : Лаком-книга : Габестро, 2001. – 344 с. "
        "– Текст : непосредственный."
    )


def test_a_rusmarc_volume_linked_to_its_set_takes_the_set_title_from_the_link():
    marc = MarcRecord(
        leader="00562nam2 2200217 i 450 ",
        fields=[
            Field("200", "0 ", [Subfield("a", "Вып. 13.")]),
            Field(
                "461",
                " 0",
                [
                    Subfield("1", "001RU\\NLR\\bibl\\5996"),
                    Subfield("1", "2001 "),
                    Subfield("a", "Задачи и этюды"),
                    Subfield("v", "Вып. 13"),
                ],
            ),
        ],
    )
    record = make_record(format="rusmarc", title="Вып. 13", year=1997, extent="80 с.")
    assert describe(record, marc=marc) == (
        "Задачи и этюды. Вып. 13. – 1997. – 80 с. – Текст : непосредственный."
    )


def test_a_translated_book_gives_the_translator_after_a_semicolon():
    record = make_record(
        title="Наука о книге",
        remainder_of_title="очерк проблематики",
        responsibility="К. Мигонь ; перевод с польского О. Р. Медведевой",
        place="Москва",
        publisher="Книга",
        year=1991,
        extent="254 с.",
        isbns=["5-212-00276-1"],
        people=(("Мигонь, Кшиштоф", "aut"), ("Медведева, Ольга Романовна", "trl")),
    )
    assert describe(record) == (
        "Мигонь, К. Наука о книге : очерк проблематики / К. Мигонь ; перевод с польского "
        "О. Р. Медведевой. – Москва : Книга, 1991. – 254 с. – ISBN 5-212-00276-1. "
        "– Текст : непосредственный."
    )


def test_without_a_transcribed_statement_other_roles_follow_the_authors():
    record = make_record(
        title="Наука о книге",
        year=1991,
        people=(("Мигонь, Кшиштоф", "aut"), ("Медведева, Ольга Романовна", "trl")),
    )
    assert describe(record) == (
        "Мигонь, К. Наука о книге / К. Мигонь ; переводчик О. Р. Медведева. – 1991. "
        "– Текст : непосредственный."
    )


def test_an_electronic_book_says_so_in_the_content_type_area():
    record = make_record(title="Сказки", year=2020, material_type="ebook")
    assert describe(record) == "Сказки. – 2020. – Текст : электронный."


def test_the_html_variant_escapes_the_text_and_marks_heading_and_title():
    record = make_record(
        title="<b>Жирный</b> & смелый", year=2020, people=(("Иванов, Иван", "aut"),)
    )
    html = describe_parts(record).html()
    assert '<span class="gost-heading">Иванов, И.</span>' in html
    assert '<span class="gost-title">&lt;b&gt;Жирный&lt;/b&gt; &amp; смелый</span>' in html
    assert "<b>" not in html


def test_an_added_entry_without_a_role_is_not_counted_as_an_author():
    record = make_record(
        title="Сборник",
        year=2020,
        people=(("Петров, Пётр Петрович", ""),),
    )
    assert describe(record) == "Сборник. – 2020. – Текст : непосредственный."


def test_the_volume_is_read_from_the_stored_source(at):
    from polka.catalog import services

    source = MarcRecord(
        leader="00000nam a2200000 i 4500",
        fields=[
            Field("100", "1 ", [Subfield("a", "Гиппиус, Зинаида Николаевна")]),
            Field(
                "245",
                "10",
                [Subfield("a", "Сочинения."), Subfield("n", "Том 1 :"), Subfield("p", "Стихи")],
            ),
        ],
    )
    record = services.record_create(marc=source, flavour="marc21", at=at)
    assert describe(record).startswith("Гиппиус, З. Н. Сочинения. Том 1 : Стихи / З. Н. Гиппиус")


def test_a_heading_without_initials_is_closed_by_a_full_stop():
    record = make_record(
        title="Политика",
        responsibility="Аристотель",
        year=2022,
        people=(("Аристотель", "aut"),),
    )
    assert describe(record) == (
        "Аристотель. Политика / Аристотель. – 2022. – Текст : непосредственный."
    )


def test_without_a_readable_source_the_volume_comes_from_the_parts_field():
    record = make_record(
        title="Собрание сочинений",
        remainder_of_title="в 2 томах",
        parts="Т. 2, Пьесы",
        year=2002,
        people=(("Бабель, Исаак Эммануилович", "aut"),),
    )
    assert describe(record) == (
        "Бабель, И. Э. Собрание сочинений : в 2 томах. Т. 2, Пьесы / И. Э. Бабель. – 2002. "
        "– Текст : непосредственный."
    )
