"""ГОСТ Р 7.0.100-2018 descriptions of component parts (articles), «//» before the host."""

import pytest

from polka.catalog.gost import describe
from polka.catalog.tests.gost.factories import make_record
from polka.interop.marc.record import Field, MarcRecord, Subfield

pytestmark = pytest.mark.django_db


def _article(**fields):
    return make_record(
        title="Электронный каталог публичной библиотеки",
        responsibility="И. И. Иванов",
        material_type="article",
        people=(("Иванов, Иван Иванович", "aut"),),
        **fields,
    )


def test_a_journal_article_in_marc21_gives_the_journal_after_two_slashes():
    marc = MarcRecord(
        leader="00000naa a2200000 i 4500",
        fields=[
            Field(
                "773",
                "0 ",
                [
                    Subfield("t", "Библиотековедение."),
                    Subfield("g", "2020. – Т. 69, № 5. – С. 10–20"),
                ],
            ),
        ],
    )
    assert describe(_article(), marc=marc) == (
        "Иванов, И. И. Электронный каталог публичной библиотеки / И. И. Иванов. "
        "– Текст : непосредственный // Библиотековедение. – 2020. – Т. 69, № 5. – С. 10–20."
    )


def test_a_rusmarc_article_takes_the_journal_from_461_and_the_issue_from_463():
    marc = MarcRecord(
        leader="00000naa2 2200000 i 450 ",
        fields=[
            Field("461", " 0", [Subfield("1", "2001 "), Subfield("a", "Библиотековедение")]),
            Field(
                "463",
                " 0",
                [
                    Subfield("1", "2001 "),
                    Subfield("a", "№ 5"),
                    Subfield("1", "210  "),
                    Subfield("d", "2020"),
                    Subfield("v", "С. 10-20"),
                ],
            ),
        ],
    )
    record = _article(format="rusmarc")
    assert describe(record, marc=marc) == (
        "Иванов, И. И. Электронный каталог публичной библиотеки / И. И. Иванов. "
        "– Текст : непосредственный // Библиотековедение. – 2020. – № 5. – С. 10-20."
    )
