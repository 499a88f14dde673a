"""Concrete values of known real records, checked by hand against the files."""

from polka.catalog.mapping import MappedAuthor, map_record
from polka.catalog.tests.mapping.records import read_records, record_numbered


def test_russian_book_chamber_marc21_record_maps_every_common_field():
    record = record_numbered("pymarc/1251.dat", "ru03-000001RKP")
    mapped = map_record(record, "marc21")
    assert mapped.title == "Основы гидравлического расчета инженерных сетей"
    assert mapped.remainder_of_title.startswith("[учеб. пособие для вузов")
    assert mapped.responsibility == "Т. Н. Ильина"
    assert (mapped.place, mapped.publisher, mapped.year) == (
        "М.",
        "Изд-во Ассоц. строит. вузов",
        2005,
    )
    assert mapped.extent == "186 с. : ил. ; 21 см."
    assert mapped.isbns == ["9785930933420"]
    assert mapped.languages == ["rus"]
    assert mapped.udc == "624.01:532.5(075.8)"
    assert mapped.bbk == "38.1я73"
    assert mapped.author_mark == "И46"
    assert mapped.subjects == ["Трубопроводы -- Гидравлический расчет"]
    assert mapped.authors == [MappedAuthor(name="Ильина, Татьяна Николаевна", role="aut")]
    assert mapped.material_type == "book"
    assert [(i.branch_code, i.shelf_mark) for i in mapped.items] == [("RU-RKP", "И46")]


def test_two_publishers_and_a_series_in_marc21():
    record = record_numbered("pymarc/1251.dat", "ru03-000002RKP")
    mapped = map_record(record, "marc21")
    assert mapped.place == "СПб. [и др.]"
    assert mapped.publisher == "Питер : Питер Принт"
    assert mapped.series == "Серия <Эффективный тренинг>"


def test_isbd_punctuation_and_a_split_imprint_are_undone_in_an_armenian_library_record():
    record = record_numbered("evergreen/FSL.marc", "000538821")
    mapped = map_record(record, "marc21")
    assert mapped.title == "Стихотворения и поэмы"
    assert mapped.responsibility == "Александр Блок; Худож. Н.Л. Шавшукова, В.В. Баранов"
    # 260 $a and 260 $b$c come in two separate fields.
    assert (mapped.place, mapped.publisher, mapped.year) == ("Минск", "Мастац. лiт", 1989)
    assert mapped.extent == "462 с. : ил."
    assert mapped.isbns == ["9785340001603"]
    blok, illustrator = mapped.authors
    assert (blok.name, blok.dates, blok.birth_year, blok.death_year) == (
        "Блок, Александр Александрович",
        "1880-1921",
        1880,
        1921,
    )
    assert (illustrator.name, illustrator.role) == ("Шавшукова, Н.Л.", "ill")


def test_a_jazz_recording_is_audio_with_dated_performers():
    record = record_numbered("evergreen/jazz_1k.mrc", "03-0018070")
    mapped = map_record(record, "marc21")
    assert mapped.material_type == "audio"
    assert mapped.title == "The incredible jazz guitar of Wes Montgomery"
    assert mapped.year == 1960
    assert mapped.series == "Original jazz classics"
    assert mapped.authors[0].name == "Montgomery, Wes"
    assert (mapped.authors[0].birth_year, mapped.authors[0].death_year) == (1923, 1968)


def test_rusmarc_record_from_the_national_library_of_russia():
    record = record_numbered("managedirbis/TestData/TEST1.ISO", "RU\\NLR\\bibl\\64495")
    mapped = map_record(record, "rusmarc")
    assert mapped.title == "Светильник Сибири"
    assert mapped.remainder_of_title == (
        "Жизнеописание святителя Павла Тобольского и чудеса от святых мощей"
    )
    assert mapped.responsibility == "Сост. протоиер. Феодор Титов"
    assert (mapped.place, mapped.publisher, mapped.year) == (
        "М.",
        "Изд-во им. Свт. Игнатия Ставропольского",
        1999,
    )
    assert mapped.extent == "80 с. : ил., портр., факс. ; 21"
    assert mapped.bbk == "Э372.24-34-028"
    assert mapped.languages == ["rus"]
    (titov,) = mapped.authors
    assert titov == MappedAuthor(
        name="Титов, Федор Иванович",
        role="aut",
        dates="1864-1935",
        birth_year=1864,
        death_year=1935,
        name_forms=["Титов, Ф. И."],
    )
    (copy,) = mapped.items
    assert (copy.branch_code, copy.shelf_mark) == ("NLR", "99-4/8722")


def test_rusmarc_law_with_series_udc_subject_strings_and_two_copies():
    record = record_numbered("managedirbis/TestData/TEST1.ISO", "RU\\NLR\\bibl\\341772")
    mapped = map_record(record, "rusmarc")
    assert mapped.edition == "[3-е изд.]"
    assert mapped.series == "Актуальный закон"
    assert mapped.isbns == ["9785868945441"]
    assert mapped.udc == "347.96(470)(094.5)"
    assert mapped.bbk == "67.71"  # the first 686 with $2 rubbk
    assert mapped.subjects[0] == (
        "Судебные приставы -- Российская Федерация -- Законодательные материалы"
    )
    assert mapped.authors == [MappedAuthor(name="Российская Федерация", role="aut", corporate=True)]
    assert [item.barcode for item in mapped.items] == ["380184", "380185"]


def test_rusmarc_editor_relator_code_becomes_edt():
    record = record_numbered("managedirbis/TestData/TEST1.ISO", "RU\\NLR\\bibl\\5996")
    mapped = map_record(record, "rusmarc")
    assert mapped.title == "Задачи и этюды"
    assert mapped.responsibility == "Редкол.: В. Н. Барсуков и др."
    assert mapped.authors == [MappedAuthor(name="Барсуков, В. Н.", role="edt")]


def test_unimarc_record_from_italy_with_series_number_and_subsequent_responsibility():
    ((record, flavour),) = read_records("pymarc/testunimarc.dat")
    assert flavour == "rusmarc"
    mapped = map_record(record, "rusmarc")
    assert mapped.responsibility == (
        "Isaac Asimov ; traduzione di Cesare Scaglia ; introduzione di Fruttero & Lucentini"
    )
    assert mapped.title == "L'altra faccia della spirale"  # without the NSB/NSE markers
    assert mapped.series == "Bestsellers ; 641"
    assert mapped.isbns == ["9788804406822"]
    assert mapped.languages == ["ita"]
    assert mapped.authors[0] == MappedAuthor(name="Asimov, Isaac", role="aut")
    # SBN's 899 carries library codes in $1/$2 only: no copy can be made of them.
    assert mapped.items == []


def test_invalid_isbns_are_kept_out_of_isbns_and_reported_as_warnings():
    mapped = [map_record(r, f) for r, f in read_records("evergreen/badisbns.xml")]
    all_isbns = [isbn for m in mapped for isbn in m.isbns]
    warnings = [w for m in mapped for w in m.warnings]
    assert "9780553268478" in all_isbns  # "0553268473 (pbk.) :"
    assert "9781845332136" in all_isbns  # given both as ISBN-10 and ISBN-13: once
    assert all_isbns.count("9781845332136") == 1
    assert any("8901452100503" in w and "020$a" in w for w in warnings)
    assert any("089542262X295" in w and "020$z" in w for w in warnings)
    assert all(len(isbn) == 13 and isbn.isdigit() for isbn in all_isbns)
