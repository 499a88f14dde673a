"""The MARC editor's checks: each mistake is reported on its own line, in Russian."""

import pytest

from polka.catalog.marc_lines import parse_lines, to_lines
from polka.catalog.validation import check_marc_text, isbn_is_valid
from polka.interop.marc.record import Field, MarcRecord, Subfield

LEADER = "=LDR  00000nam a2200000 i 4500"
GOOD_MARC21 = "\n".join(
    [
        LEADER,
        "=001  ru-000123",
        "=008  191023s2019    ru            000 0 rus d",
        r"=020  \\$a978-5-17-093917-6 (в пер.)",
        "=100  1\\$aГиляровский, Владимир Алексеевич",
        "=245  10$aМосква и москвичи /$cВладимир Гиляровский.",
        r"=650  \7$aМосква$xИстория$2rubbk",
    ]
)
GOOD_RUSMARC = "\n".join(
    [
        "=LDR  00000nam0 2200000 i 450 ",
        r"=010  \\$a5-7443-0043-0",
        "=200  1\\$aЗадачи и этюды$eсборник",
    ]
)


def _errors(text, flavour="marc21"):
    return [(e.line, e.message) for e in check_marc_text(text, flavour).errors]


def test_a_well_formed_marc21_record_has_no_errors():
    assert _errors(GOOD_MARC21) == []


def test_a_well_formed_rusmarc_record_has_no_errors():
    assert _errors(GOOD_RUSMARC, "rusmarc") == []


def test_lines_round_trip_through_the_record():
    parsed = parse_lines(GOOD_MARC21)
    assert to_lines(parsed.record) == GOOD_MARC21


def test_a_dollar_sign_inside_a_value_is_escaped_and_read_back():
    record = MarcRecord(
        leader="00000nam a2200000 i 4500",
        fields=[Field("245", "10", [Subfield("a", "Цена $5")])],
    )
    text = to_lines(record)
    assert "{dollar}5" in text
    assert parse_lines(text).record == record


def test_a_tag_must_have_three_digits_or_letters():
    text = GOOD_MARC21 + "\n=24  10$aКороткая метка"
    assert _errors(text) == [
        (8, "Метка поля должна состоять из трёх цифр или латинских букв: «24».")
    ]


def test_a_control_field_has_no_indicators_or_subfields():
    text = GOOD_MARC21.replace("=001  ru-000123", "=001  10$aru-000123")
    assert _errors(text) == [
        (2, "Поле 001 управляющее: у него нет индикаторов и подполей."),
    ]


def test_an_indicator_is_a_digit_a_lowercase_letter_or_blank():
    text = GOOD_MARC21.replace("=245  10$a", "=245  1A$a")
    assert _errors(text) == [
        (
            6,
            "Индикатор 2 поля 245 — «A»: допустимы цифра, строчная латинская буква "
            "или пробел (\\).",
        )
    ]


def test_a_subfield_code_is_a_digit_or_lowercase_letter_and_its_value_is_not_empty():
    text = GOOD_MARC21.replace("$xИстория", "$XИстория$y")
    assert _errors(text) == [
        (7, "Поле 650: код подполя должен быть цифрой или строчной латинской буквой, а не «X»."),
        (7, "Поле 650: подполе $y пусто."),
    ]


def test_a_data_field_must_start_with_a_subfield():
    text = GOOD_MARC21 + "\n=500  \\\\Примечание без кода"
    assert _errors(text) == [
        (8, "Поле 500: после индикаторов должно идти подполе, например «$a»."),
    ]


def test_the_leader_must_have_24_characters():
    text = GOOD_MARC21.replace(LEADER, "=LDR  00000nam")
    assert _errors(text) == [(1, "Маркер записи должен содержать 24 символа, а не 8.")]


def test_a_record_without_a_leader_is_refused():
    text = "\n".join(GOOD_MARC21.splitlines()[1:])
    assert _errors(text) == [(0, "Нет маркера записи (строка «=LDR  …»).")]


def test_marc21_requires_a_title_field_245():
    text = "\n".join(line for line in GOOD_MARC21.splitlines() if not line.startswith("=245"))
    assert _errors(text) == [(0, "Нет обязательного поля 245 (заглавие).")]


def test_rusmarc_requires_a_title_field_200_with_its_title_proper():
    text = GOOD_RUSMARC.replace("$aЗадачи и этюды", "")
    assert _errors(text, "rusmarc") == [
        (3, "В поле 200 нет подполя $a с основным заглавием."),
    ]


def test_a_non_repeatable_field_may_not_appear_twice():
    text = GOOD_MARC21 + "\n=245  10$aЕщё одно заглавие"
    assert _errors(text) == [(8, "Поле 245 не повторяется.")]


def test_an_isbn_with_a_wrong_check_digit_is_reported_on_its_line():
    text = GOOD_MARC21.replace("093917-6", "093917-8")
    assert _errors(text) == [(4, "ISBN «978-5-17-093917-8 (в пер.)»: неверная контрольная цифра.")]


def test_a_rusmarc_isbn_with_too_few_digits_is_reported():
    text = GOOD_RUSMARC.replace("5-7443-0043-0", "5-7443-004")
    assert _errors(text, "rusmarc") == [(2, "ISBN «5-7443-004» должен содержать 10 или 13 цифр.")]


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("9785170939176", True),
        ("9785170939178", False),
        ("5744300430", True),
        ("080442957X", True),
        ("0804429579", False),
        ("9795170939176", False),
    ],
)
def test_isbn_check_digits(digits, valid):
    assert isbn_is_valid(digits) is valid
