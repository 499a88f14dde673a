"""ГОСТ Р 7.0.100-2018 descriptions of serials, written out in full by hand."""

import pytest

from polka.catalog.gost import describe
from polka.catalog.tests.gost.factories import make_record
from polka.interop.marc.record import Field, MarcRecord, Subfield

pytestmark = pytest.mark.django_db


def _journal(**fields):
    defaults = dict(
        title="Вопросы истории",
        remainder_of_title="ежемесячный журнал",
        responsibility="учредитель Российская академия наук",
        place="Москва",
        publisher="Вопросы истории",
        year=1926,
        issns=["0042-8779"],
        material_type="serial",
    )
    return make_record(**{**defaults, **fields})


def test_a_current_journal_has_an_open_date_its_frequency_and_issn():
    marc = MarcRecord(
        leader="00000cas a2200000 a 4500",
        fields=[
            Field("008", data="850101c19269999ru mr p       0   a0rus  "),
            Field("022", " ", [Subfield("a", "0042-8779")]),
            Field("310", " ", [Subfield("a", "Ежемесячно")]),
        ],
    )
    assert describe(_journal(), marc=marc) == (
        "Вопросы истории : ежемесячный журнал / учредитель Российская академия наук. "
        "– Москва : Вопросы истории, 1926– . – Выходит ежемесячно. – ISSN 0042-8779. "
        "– Текст : непосредственный."
    )


def test_a_ceased_rusmarc_serial_gives_both_years():
    marc = MarcRecord(
        leader="00000nas0 2200000 i 450 ",
        fields=[
            Field("011", " ", [Subfield("a", "0042-8779")]),
            Field("100", " ", [Subfield("a", "19980716b19261991u  y0rusy0189    ca")]),
            Field("326", " ", [Subfield("a", "Выходит 6 раз в год")]),
        ],
    )
    record = _journal(format="rusmarc", remainder_of_title="журнал", responsibility="")
    assert describe(record, marc=marc) == (
        "Вопросы истории : журнал. – Москва : Вопросы истории, 1926–1991. "
        "– Выходит 6 раз в год. – ISSN 0042-8779. – Текст : непосредственный."
    )


def test_a_serial_without_its_source_gives_its_first_year():
    assert describe(_journal(responsibility="")) == (
        "Вопросы истории : ежемесячный журнал. – Москва : Вопросы истории, 1926. "
        "– ISSN 0042-8779. – Текст : непосредственный."
    )
