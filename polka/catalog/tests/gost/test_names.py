import pytest

from polka.catalog.gost_text import clean, initials_direct, initials_inverted


@pytest.mark.parametrize(
    ("name", "heading", "direct"),
    [
        ("Толстой, Лев Николаевич", "Толстой, Л. Н.", "Л. Н. Толстой"),
        ("Квартальнов, В. А.", "Квартальнов, В. А.", "В. А. Квартальнов"),
        ("Квартальнов, В.А.", "Квартальнов, В. А.", "В. А. Квартальнов"),
        ("Сартр, Жан-Поль", "Сартр, Ж.-П.", "Ж.-П. Сартр"),
        ("Beethoven, Ludwig van", "Beethoven, L. van", "L. van Beethoven"),
        ("Smith, John, 1950-", "Smith, J.", "J. Smith"),
        ("Аристотель", "Аристотель", "Аристотель"),
    ],
)
def test_names_take_initials_before_or_after_the_surname(name, heading, direct):
    assert initials_inverted(name) == heading
    assert initials_direct(name) == direct


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Сочинения :", "Сочинения"),
        ("Т. 1.", "Т. 1"),
        ("Война и мир.", "Война и мир"),
        ("И. И. Иванов [и др.]", "И. И. Иванов [и др.]"),
        ("2-е изд., испр. и доп.", "2-е изд., испр. и доп."),
        ("320 с.", "320 с."),
        ("21 см.", "21 см"),
        ("Л. Н. Толстой ;", "Л. Н. Толстой"),
    ],
)
def test_clean_drops_isbd_punctuation_but_keeps_abbreviations(raw, cleaned):
    assert clean(raw) == cleaned
