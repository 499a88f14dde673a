"""Form 6-НК as data: its sections, rows and columns, and for each cell what it counts.

Sections 2–5 are computed; sections 1, 6 and 7 (and the cells of 2–5 the system cannot see)
are entered by hand (FormValue). A computed cell names the indicators it sums and, where the
column says so, the age band — the same description drives the figure and its drill-down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import Carrier
from polka.statistics.models import Indicator as I


@dataclass(frozen=True)
class Column:
    code: str
    label: Promise | str
    band: str | None = None  # a 6-НК band code: this column counts that band only
    carrier: str | None = None  # holdings: this carrier only
    foreign: bool = False  # holdings: in languages other than Russian


@dataclass(frozen=True)
class Row:
    code: str
    label: Promise
    indicators: tuple[str, ...] = ()  # computed from these (sections 4, 5)
    holdings: str = ""  # "received" | "withdrawn" | "held" (section 2)
    resource: str = ""  # "records" | "online" | "ebooks" (section 3)
    hand: bool = False  # entered by hand
    unit: Promise | str = ""


@dataclass(frozen=True)
class Section:
    number: int
    title: Promise
    rows: tuple[Row, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def hand(self) -> bool:
        return all(row.hand for row in self.rows)


TOTAL = Column("3", _("всего"))
PEOPLE = (
    TOTAL,
    Column("4", _("до 14 лет"), band="0-14"),
    Column("5", _("15–30 лет"), band="15-30"),
)
HOLDINGS = (
    TOTAL,
    *(Column(str(4 + i), label, carrier=value) for i, (value, label) in enumerate(Carrier.choices)),
    Column(str(4 + len(Carrier.choices)), _("на иностранных языках"), foreign=True),
)
VALUE = (Column("3", _("значение")),)

SECTIONS: tuple[Section, ...] = (
    Section(
        1,
        _("Материально-техническая база"),
        (
            Row("101", _("Общая площадь помещений"), hand=True, unit=_("м²")),
            Row("102", _("из неё для обслуживания пользователей"), hand=True, unit=_("м²")),
            Row("103", _("Число посадочных мест для пользователей"), hand=True),
            Row("104", _("Число персональных компьютеров"), hand=True),
            Row("105", _("из них с доступом в интернет"), hand=True),
            Row("106", _("Пункты внестационарного обслуживания"), hand=True),
        ),
        VALUE,
    ),
    Section(
        2,
        _("Формирование библиотечного фонда на физических носителях"),
        (
            Row("201", _("Поступило экземпляров за год"), holdings="received"),
            Row("202", _("Выбыло экземпляров за год"), holdings="withdrawn"),
            Row("203", _("Состоит экземпляров на конец года"), holdings="held"),
        ),
        HOLDINGS,
    ),
    Section(
        3,
        _("Электронные ресурсы"),
        (
            Row("301", _("Записи электронного каталога"), resource="records"),
            Row("302", _("из них доступны в интернете"), resource="online"),
            Row("303", _("Документы электронной библиотеки"), resource="ebooks"),
        ),
        VALUE,
    ),
    Section(
        4,
        _("Пользователи и посещения"),
        (
            Row("401", _("Зарегистрировано пользователей"), (I.USERS_NEW, I.USERS_RE)),
            Row("402", _("из них записано впервые"), (I.USERS_NEW,)),
            Row(
                "403",
                _("Число посещений, всего"),
                (I.VISITS, I.ATTENDANCE, I.OFFSITE_VISITS, I.VISITS_REMOTE),
            ),
            Row("404", _("из них для получения услуг"), (I.VISITS, I.OFFSITE_VISITS)),
            Row("405", _("из них посещений мероприятий"), (I.ATTENDANCE,)),
            Row("406", _("Число обращений удалённых пользователей"), (I.VISITS_REMOTE,)),
        ),
        PEOPLE,
    ),
    Section(
        5,
        _("Библиотечно-информационное обслуживание"),
        (
            Row(
                "501",
                _("Выдано документов, всего"),
                (I.LOANS, I.USE, I.OFFSITE_LOANS, I.ELOANS, I.ILL),
            ),
            Row("502", _("из фонда на физических носителях"), (I.LOANS, I.USE, I.OFFSITE_LOANS)),
            Row("503", _("электронных документов (удалённо)"), (I.ELOANS,)),
            Row("504", _("из других библиотек (МБА)"), (I.ILL,)),
            Row("505", _("Выполнено справок и консультаций"), (I.ANSWERS,)),
            Row("506", _("Проведено мероприятий"), (I.EVENTS, I.EVENTS_OFFSITE, I.EVENTS_ONLINE)),
            Row("507", _("из них вне библиотеки"), (I.EVENTS_OFFSITE,)),
            Row("508", _("из них онлайн"), (I.EVENTS_ONLINE,)),
        ),
        PEOPLE,
    ),
    Section(
        6,
        _("Персонал"),
        (
            Row("601", _("Численность работников, всего"), hand=True),
            Row("602", _("из них основной персонал"), hand=True),
            Row("603", _("с высшим образованием"), hand=True),
            Row("604", _("со стажем работы до 3 лет"), hand=True),
            Row("605", _("со стажем работы свыше 10 лет"), hand=True),
        ),
        VALUE,
    ),
    Section(
        7,
        _("Финансы"),
        (
            Row("701", _("Поступило средств, всего"), hand=True, unit=_("тыс. руб.")),
            Row("702", _("от учредителя"), hand=True, unit=_("тыс. руб.")),
            Row("703", _("от приносящей доход деятельности"), hand=True, unit=_("тыс. руб.")),
            Row("704", _("Израсходовано средств, всего"), hand=True, unit=_("тыс. руб.")),
            Row("705", _("на оплату труда"), hand=True, unit=_("тыс. руб.")),
            Row("706", _("на комплектование фонда"), hand=True, unit=_("тыс. руб.")),
        ),
        VALUE,
    ),
)

HAND_CODES = tuple(row.code for s in SECTIONS for row in s.rows if row.hand)


def find(code: str) -> tuple[Section, Row, Column]:
    """The cell "403.4": section, row 403, column 4. Raises KeyError."""
    row_code, _sep, column_code = code.partition(".")
    for section in SECTIONS:
        for row in section.rows:
            if row.code == row_code:
                for column in section.columns:
                    if column.code == (column_code or "3"):
                        return section, row, column
    raise KeyError(code)
