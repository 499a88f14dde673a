import pytest

from polka.search.analysis import (
    analyze,
    edit_distance,
    fix_layout,
    isbn_forms,
    name_key,
    normalize,
    query_variants,
    stem,
    tokenize,
    transliterate,
    transliterate_variants,
)


def test_normalize_lowercases_folds_yo_and_strips_punctuation():
    assert normalize("Ёлка: «Зелёная»!  École") == "елка зеленая ecole"


def test_normalize_keeps_short_i_and_applies_compatibility_forms():
    assert normalize("Й, ﬁne  ２０２６") == "й fine 2026"


def test_tokenize_splits_on_everything_but_letters_and_digits():
    assert tokenize("Война и мир (1869), т.1") == ["война", "и", "мир", "1869", "т", "1"]


def test_russian_word_forms_share_a_stem():
    assert stem("книги") == stem("книга") and stem("войне") == stem("войны")


def test_english_words_are_stemmed_as_english():
    assert stem("libraries") == stem("library") == "librari"


def test_digits_and_other_alphabets_are_left_alone():
    assert stem("1869") == "1869"
    assert stem("αγαπη") == "αγαπη"


def test_query_and_title_analyse_to_overlapping_stems():
    assert set(analyze("книги о войне")) <= set(analyze("Книга о великой войне"))


def test_latin_spellings_of_dostoevsky_transliterate_to_cyrillic():
    for spelling in ("dostoevskiy", "dostoevsky", "dostoyevsky", "dostoevskij"):
        assert transliterate_variants(spelling)[0] == "достоевский", spelling


def test_transliteration_handles_common_name_endings():
    assert transliterate("Tolstoy voyna chekhov shchedrin") == "толстой война чехов щедрин"


def test_cyrillic_transliterates_to_the_english_spelling_first():
    assert transliterate("Достоевский Фёдор") == "dostoevsky fedor"
    assert "dostoevskiy" in transliterate_variants("достоевский")


def test_wrong_keyboard_layout_is_retyped_both_ways():
    assert fix_layout("ljcnjtdcrbq") == "достоевский"
    assert fix_layout("Ьфыеук") == "Master"
    assert fix_layout("[fkdf") == "халва"


def test_isbn_forms_accept_hyphens_and_both_lengths():
    assert isbn_forms("978-5-17-090630-7") == ["9785170906307", "5170906307"]
    assert isbn_forms("5-17-090630-X") == ["9785170906307", "5170906307"]
    assert isbn_forms("ISBN 0-306-40615-2") == ["9780306406157", "0306406152"]
    assert isbn_forms("война") == []


def test_edit_distance_counts_a_swap_of_neighbours_as_one_edit():
    assert edit_distance("достоевкий", "достоевский") == 1
    assert edit_distance("вйона", "война") == 1
    assert edit_distance("книга", "кошка") == 3
    assert edit_distance("a", "abcdefg", limit=2) == 3


@pytest.mark.parametrize(
    ("scheme", "spelling"),
    [
        ("BGN/PCGN", "voyna i mir"),
        ("passport/ICAO", "voina i mir"),
        ("ГОСТ 7.79 B", "vojna i mir"),
    ],
)
def test_war_and_peace_in_every_latin_scheme_transliterates_to_cyrillic(scheme, spelling):
    assert transliterate(spelling) == "война и мир", scheme


@pytest.mark.parametrize(
    ("spellings", "cyrillic"),
    [
        (("khrushchev", "hrushchev", "khrushhev", "hruschev"), "хрущев"),
        (("tsvetaeva", "cvetaeva", "czvetaeva"), "цветаева"),
        (("yurii", "iurii", "jurij", "yuriy", "yury"), "юрий"),
        (("yasnaya", "iasnaia", "jasnaja"), "ясная"),
        (("yevtushenko", "evtushenko", "jevtushenko"), "евтушенко"),
        (("gorkii", "gorkiy", "gorky", "gorkij"), "горкий"),
    ],
)
def test_informal_spellings_reach_the_cyrillic_word_among_the_variants(spellings, cyrillic):
    for spelling in spellings:
        assert cyrillic in transliterate_variants(spelling), spelling


@pytest.mark.parametrize(
    "forms",
    [
        ("Обломов", "Обломова", "Обломову", "Обломовым", "Обломове"),
        ("Каренина", "Карениной", "Каренину"),
        ("Толстой", "Толстого", "Толстому", "Толстым", "Толстая", "Толстую"),
        ("Достоевский", "Достоевского", "Достоевским", "Достоевская", "Достоевской"),
        ("Пушкин", "Пушкина", "Пушкину", "Пушкиным", "Пушкине"),
        ("Гоголь", "Гоголя", "Гоголю", "Гоголем", "Гоголе"),
        ("Тургенев", "Тургенева", "Тургеневым"),
        ("Лев", "Льва", "Льву", "Львом"),
        ("Павел", "Павла", "Павлом"),
        ("Иван", "Ивана", "Ивану", "Иваном"),
        ("Анна", "Анны", "Анне", "Анну", "Анной"),
        ("Юрий", "Юрия", "Юрию", "Юрием"),
        ("Сергей", "Сергея", "Сергеем"),
        ("Николаевич", "Николаевича", "Николаевичем"),
        ("Кравец", "Кравца", "Кравцу", "Кравцом"),
    ],
)
def test_every_case_form_of_a_name_has_the_same_name_key_or_stem(forms):
    words = [normalize(form) for form in forms]
    assert len({name_key(word) or stem(word) for word in words}) == 1, [
        (word, name_key(word), stem(word)) for word in words
    ]


def test_snowball_alone_splits_a_surname_which_the_name_key_joins():
    assert stem("обломов") != stem("обломова")
    assert name_key("обломов") == name_key("обломова") == "обломов"


def test_words_of_no_name_shape_and_latin_words_have_no_name_key():
    assert name_key("dostoevsky") is None
    assert name_key("мо") is None


def test_a_query_word_matches_both_its_stem_and_its_name_key():
    assert query_variants(["обломов"]) == (("облом",), ("обломов",))
    assert query_variants(["книга"]) == (("книг",),)
    assert query_variants(["льва", "толстого"]) == (("льва", "толст"), ("лев", "толст"))


@pytest.mark.parametrize(
    ("spelling", "cyrillic"),
    [("novyye", "новые"), ("novye", "новые"), ("krasnoye", "красное"), ("tvoye", "твое")],
)
def test_adjective_endings_in_ye_transliterate_by_the_letter_before(spelling, cyrillic):
    assert transliterate_variants(spelling)[0] == cyrillic
