"""The statistics as XLSX workbooks (openpyxl): form 6-НК laid out like the official form, the
diary for a month and the accession register. Each function returns the file's bytes."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from polka.catalog.models import Carrier
from polka.statistics.selectors import Diary, FilledForm, Register

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _row(sheet: Worksheet, values: list[Any], *, bold: bool = False) -> None:
    sheet.append([v if isinstance(v, (int, float)) or v is None else str(v) for v in values])
    for cell in sheet[sheet.max_row]:
        cell.border = BOX
        cell.alignment = WRAP
        if bold:
            cell.font = BOLD


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def _bytes(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _number(value: Any) -> Any:
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def form_6nk_xlsx(form: FilledForm) -> bytes:
    """One sheet per section, as the official form numbers them: column 1 the indicator, 2 the
    row code, 3 on the figures."""
    book = Workbook()
    book.remove(book.active)
    where = str(form.branch) if form.branch else _("сеть библиотек")
    for filled in form.sections:
        section = filled.section
        sheet = book.create_sheet(f"{_('Раздел')} {section.number}")
        sheet.append(
            [_("Форма 6-НК за %(year)s год: %(where)s") % {"year": form.year, "where": where}]
        )
        sheet["A1"].font = BOLD
        sheet.append([f"{section.number}. {section.title}"])
        sheet.append([])
        _row(
            sheet,
            [_("Наименование показателя"), _("№ строки"), *[c.label for c in section.columns]],
            bold=True,
        )
        _row(sheet, ["1", "2", *[c.code for c in section.columns]])
        for filled_row in filled.rows:
            row = filled_row.row
            label = f"{row.label}, {row.unit}" if row.unit else str(row.label)
            _row(sheet, [label, row.code, *[_number(c.value) for c in filled_row.cells]])
        _widths(sheet, [48, 10, *[14] * len(section.columns)])
    return _bytes(book)


def diary_xlsx(diary: Diary) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Дневник")
    sheet.append(
        [
            _("Дневник работы библиотеки: %(branch)s, %(month)s")
            % {"branch": diary.branch, "month": diary.month.strftime("%m.%Y")}
        ]
    )
    sheet["A1"].font = BOLD
    _row(sheet, [_("Дата"), *[label for _code, label in diary.columns]], bold=True)
    for day, values in diary.days:
        _row(sheet, [day.strftime("%d.%m.%Y"), *values])
    _row(sheet, [_("Итого"), *diary.totals], bold=True)
    _widths(sheet, [12, *[14] * len(diary.columns)])

    bands = book.create_sheet(_("По возрасту"))
    _row(bands, [_("Показатель"), *diary.bands.labels, _("возраст не указан")], bold=True)
    for label, values in diary.by_band:
        _row(bands, [label, *values])
    _widths(bands, [40, *[10] * (len(diary.bands.labels) + 1)])

    docs = book.create_sheet(_("По документам"))
    _row(docs, [_("Вид документа"), _("Язык"), _("Выдано")], bold=True)
    for kind, language, n in diary.by_document:
        _row(docs, [kind, language, n])

    entries = book.create_sheet(_("Записи вручную"))
    _row(
        entries,
        [
            _("Дата"),
            _("Показатель"),
            _("Возраст"),
            _("Число"),
            _("Примечание"),
            _("Кто"),
            _("Когда"),
        ],
        bold=True,
    )
    for e in diary.entries:
        ages = "–".join("" if a is None else str(a) for a in (e.age_from, e.age_to))
        _row(
            entries,
            [
                e.on.strftime("%d.%m.%Y"),
                e.get_indicator_display(),
                ages,
                e.count,
                e.note,
                str(e.by or "—"),
                e.at.strftime("%d.%m.%Y %H:%M"),
            ],
        )
    return _bytes(book)


def register_xlsx(register: Register) -> bytes:
    book = Workbook()
    carriers = [(value, label) for value, label in Carrier.choices]
    parts = (
        (_("Часть 1. Поступление"), register.received),
        (_("Часть 2. Выбытие"), register.withdrawn),
    )
    first = True
    for title, lines in parts:
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = title[:31]
        sheet.append(
            [
                _("Книга суммарного учёта за %(year)s год: %(where)s")
                % {"year": register.year, "where": register.branch or _("сеть библиотек")}
            ]
        )
        sheet["A1"].font = BOLD
        _row(
            sheet,
            [
                _("Дата"),
                _("№ акта"),
                _("Источник / причина"),
                _("Экземпляров"),
                _("Сумма, руб."),
                *[label for _v, label in carriers],
            ],
            bold=True,
        )
        for line in lines:
            _row(
                sheet,
                [
                    line.on.strftime("%d.%m.%Y") if line.on else "",
                    line.act,
                    line.source,
                    line.copies,
                    float(line.price),
                    *[line.by_carrier.get(v, 0) for v, _l in carriers],
                ],
            )
        _row(
            sheet,
            [_("Итого"), "", "", sum(x.copies for x in lines), float(sum(x.price for x in lines))],
            bold=True,
        )
        _widths(sheet, [12, 12, 28, 12, 12, *[14] * len(carriers)])
    summary = book.create_sheet(_("Часть 3. Итоги"))
    _row(summary, [_("Состоит на конец года, экземпляров"), register.held_at_end], bold=True)
    return _bytes(book)
