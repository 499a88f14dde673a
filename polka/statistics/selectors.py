"""Reads of the statistics: form 6-НК for a year (a branch or the network), the drill-down of
its cells, the library diary for a month, the managers' dashboard and the accession register."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import AcquisitionSource, Item, Record
from polka.circulation.models import Fact, FactKind
from polka.elibrary.models import Ebook, Eloan, LocalDocument
from polka.events.models import Event
from polka.org.models import Branch
from polka.readers.models import Registration
from polka.reference.models import Question, State
from polka.statistics import counting, form6nk
from polka.statistics.counting import Key, Period, Tally
from polka.statistics.errors import CellUnknown
from polka.statistics.models import DiaryEntry, FormValue, Indicator
from polka.statistics.policies import Bands, diary_bands, form_bands

RUSSIAN = ("rus", "ru", "")


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _branch_ids(branch: Branch | None) -> tuple[int, ...] | None:
    return (branch.pk,) if branch is not None else None


# --- form 6-НК ------------------------------------------------------------------------------


@dataclass
class Cell:
    code: str
    value: Decimal | int | None
    computed: bool
    last_year: Decimal | None = None


@dataclass
class FilledRow:
    row: form6nk.Row
    cells: list[Cell]


@dataclass
class FilledSection:
    section: form6nk.Section
    rows: list[FilledRow]


@dataclass
class FilledForm:
    year: int
    branch: Branch | None
    sections: list[FilledSection]

    def value(self, code: str) -> Decimal | int | None:
        for section in self.sections:
            for row in section.rows:
                for cell in row.cells:
                    if cell.code == code:
                        return cell.value
        raise CellUnknown(code)


def _band_of_form(key: Key) -> str:
    return form_bands().label_of(key.age, key.form_band)


FORM_BAND_LABELS = {"0-14": "0–14", "15-30": "15–30", "31+": "31+"}


def _by_band(counts: Tally) -> Counter[tuple[str, str]]:
    """(indicator, 6-НК band label) → count: each key's band worked out once."""
    bands = form_bands()
    reduced: Counter[tuple[str, str]] = Counter()
    for key, n in counts.items():
        reduced[(key.indicator, bands.label_of(key.age, key.form_band))] += n
    return reduced


def _indicator_value(
    counts: Counter[tuple[str, str]], row: form6nk.Row, column: form6nk.Column
) -> int:
    band = FORM_BAND_LABELS[column.band] if column.band else None
    wanted = set(row.indicators)
    return sum(n for (i, b), n in counts.items() if i in wanted and (band is None or b == band))


def _items(branch: Branch | None) -> QuerySet[Item]:
    items = Item.objects.all()
    return items.filter(branch=branch) if branch is not None else items


def holdings_rows(*, kind: str, year: int, branch: Branch | None) -> QuerySet[Item]:
    """The copies a section 2 row counts: received, withdrawn in the year, or held at its end."""
    start, end = year_bounds(year)
    items = _items(branch)
    if kind == "received":
        return items.filter(acquired_on__gte=start, acquired_on__lte=end)
    tz = timezone.get_current_timezone()
    after_end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    if kind == "withdrawn":
        began = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
        return items.filter(withdrawn_at__gte=began, withdrawn_at__lt=after_end)
    return items.filter(Q(acquired_on__lte=end) | Q(acquired_on__isnull=True)).filter(
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=after_end)
    )


def _holdings_counts(*, kind: str, year: int, branch: Branch | None) -> Counter[tuple[str, bool]]:
    rows = holdings_rows(kind=kind, year=year, branch=branch)
    counts: Counter[tuple[str, bool]] = Counter()
    for row in rows.values("carrier", "language").annotate(n=Count("id")).order_by():
        counts[(row["carrier"], row["language"] not in RUSSIAN)] += row["n"]
    return counts


def _holdings_value(counts: Counter[tuple[str, bool]], column: form6nk.Column) -> int:
    return sum(
        n
        for (carrier, foreign), n in counts.items()
        if (column.carrier is None or carrier == column.carrier) and (not column.foreign or foreign)
    )


def resource_rows(*, kind: str, year: int, branch: Branch | None) -> QuerySet[Any]:
    """What a section 3 row counts: catalogue records (of a branch: with a copy there), or the
    e-library's documents, as they stood at the end of the year."""
    _start, end = year_bounds(year)
    tz = timezone.get_current_timezone()
    after_end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    if kind == "ebooks":
        return Ebook.objects.filter(record__created_at__lt=after_end)
    records = Record.objects.filter(created_at__lt=after_end)
    if branch is not None:
        records = records.filter(items__branch=branch).distinct()
    return records


def _resource_value(*, kind: str, year: int, branch: Branch | None) -> int:
    count = resource_rows(kind=kind, year=year, branch=branch).count()
    if kind == "ebooks":
        _start, end = year_bounds(year)
        count += LocalDocument.objects.filter(is_published=True, added_at__date__lte=end).count()
    return count


def hand_values(*, year: int, branch: Branch | None) -> dict[str, Decimal]:
    """The newest hand-entered value of each cell; for the network, its own entry or else the
    branches' sum."""
    rows = FormValue.objects.filter(year=year)
    rows = rows.filter(branch=branch) if branch is not None else rows
    newest: dict[tuple[int | None, str], Decimal] = {}
    for branch_id, code, value in rows.order_by("at", "pk").values_list(
        "branch_id", "code", "value"
    ):
        newest[(branch_id, code)] = value
    if branch is not None:
        return {code: v for (_b, code), v in newest.items()}
    own = {code: v for (b, code), v in newest.items() if b is None}
    summed: dict[str, Decimal] = {}
    for (b, code), v in newest.items():
        if b is not None:
            summed[code] = summed.get(code, Decimal(0)) + v
    return {**summed, **own}


def form_6nk(*, year: int, branch: Branch | None = None) -> FilledForm:
    """The whole form for a year; one tally for sections 4–5, three queries for section 2."""
    start, end = year_bounds(year)
    counts = _by_band(
        counting.tally(Period(start, end, _branch_ids(branch), ages=False, per_branch=False))
    )
    holdings = {
        kind: _holdings_counts(kind=kind, year=year, branch=branch)
        for kind in ("received", "withdrawn", "held")
    }
    hand = hand_values(year=year, branch=branch)
    last_year = hand_values(year=year - 1, branch=branch)
    sections = []
    for section in form6nk.SECTIONS:
        rows = []
        for row in section.rows:
            cells = []
            for column in section.columns:
                code = f"{row.code}.{column.code}"
                value: Decimal | int | None
                if row.hand:
                    cells.append(Cell(code, hand.get(row.code), False, last_year.get(row.code)))
                    continue
                if row.holdings:
                    value = _holdings_value(holdings[row.holdings], column)
                elif row.resource:
                    value = _resource_value(kind=row.resource, year=year, branch=branch)
                else:
                    value = _indicator_value(counts, row, column)
                cells.append(Cell(code, value, True))
            rows.append(FilledRow(row, cells))
        sections.append(FilledSection(section, rows))
    return FilledForm(year, branch, sections)


# --- drill-down -----------------------------------------------------------------------------


@dataclass
class Drill:
    """What one computed cell counts: its sum by source and month, and the rows themselves."""

    code: str
    title: str
    total: int
    by_source: list[tuple[str, int]] = field(default_factory=list)
    by_month: list[tuple[str, int]] = field(default_factory=list)
    headers: list[Promise | str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    shown_limit: int = 200


SOURCE_NAMES: dict[str, Promise] = {
    "facts": _("факты книговыдачи"),
    "registrations": _("регистрации читателей"),
    "eloans": _("отчёты платформ"),
    "answers": _("ответы справочной службы"),
    "events": _("мероприятия"),
    "entries": _("записи дневника"),
}


def _fact_lookup(indicators: set[str]) -> Q:
    q = Q(pk__in=[])
    for kind, indicator in counting.FACT_INDICATORS.items():
        if indicator in indicators:
            q |= Q(kind=kind, remote=False) if kind == FactKind.VISIT else Q(kind=kind)
    if Indicator.VISITS_REMOTE in indicators:
        q |= Q(kind=FactKind.VISIT, remote=True)
    return q


def _fact_rows(
    period: Period, indicators: set[str], band: str | None, limit: int
) -> list[list[Any]]:
    facts = Fact.objects.filter(
        counting._branch_q(period),
        _fact_lookup(indicators),
        on__gte=period.start,
        on__lte=period.end,
    )
    if band is not None:
        facts = facts.filter(age_band=band)
    return [
        [
            f"{_('факт')} {f.pk}",
            f.on,
            f.get_kind_display(),
            f.age_band or "—",
            f.material_type,
            f.language,
        ]
        for f in facts.order_by("on", "pk")[:limit]
    ]


def _other_rows(period: Period, indicators: set[str], limit: int) -> list[list[Any]]:
    start, end = counting._moment_range(period)
    rows: list[list[Any]] = []
    q = counting._branch_q(period)
    if indicators & {Indicator.USERS_NEW, Indicator.USERS_RE}:
        regs = Registration.objects.filter(q, at__gte=start, at__lt=end)
        if not indicators >= {Indicator.USERS_NEW, Indicator.USERS_RE}:
            regs = regs.filter(is_new=Indicator.USERS_NEW in indicators)
        rows += [
            [f"{_('регистрация')} {r.pk}", timezone.localdate(r.at), r.category, "", "", ""]
            for r in regs.order_by("at")[:limit]
        ]
    if Indicator.ELOANS in indicators:
        loans = Eloan.objects.filter(loaned_on__gte=period.start, loaned_on__lte=period.end)
        if period.branch_ids is not None:
            loans = loans.filter(branch_id__in=period.branch_ids)
        rows += [
            [f"{_('эл. выдача')} {e.pk}", e.loaned_on, e.title, "", "", ""]
            for e in loans.order_by("loaned_on")[:limit]
        ]
    if Indicator.ANSWERS in indicators:
        answered = Question.objects.filter(
            q, state__in=[State.ANSWERED, State.CLOSED], answered_at__gte=start, answered_at__lt=end
        )
        rows += [
            [
                f"{_('запрос')} {a.pk}",
                timezone.localdate(a.answered_at),
                a.get_question_type_display(),
                "",
                "",
                "",
            ]
            for a in answered.order_by("answered_at")[:limit]
        ]
    if indicators & {Indicator.EVENTS, Indicator.ATTENDANCE}:
        events = Event.objects.filter(
            q, attendance_recorded_at__isnull=False, starts_at__gte=start, starts_at__lt=end
        )
        rows += [
            [
                f"{_('мероприятие')} {e.pk}",
                timezone.localdate(e.starts_at),
                e.title,
                e.get_audience_display(),
                "",
                "",
            ]
            for e in events.order_by("starts_at")[:limit]
        ]
    entries = DiaryEntry.objects.filter(
        q, indicator__in=indicators, on__gte=period.start, on__lte=period.end
    ).select_related("by")
    rows += [
        [
            f"{_('запись дневника')} {e.pk}",
            e.on,
            e.get_indicator_display(),
            e.count,
            e.note,
            f"{e.by or '—'}, {timezone.localtime(e.at):%d.%m.%Y %H:%M}",
        ]
        for e in entries.order_by("on", "pk")[:limit]
    ]
    return rows


def cell_drill(*, year: int, branch: Branch | None, code: str, limit: int = 200) -> Drill:
    """The facts behind a computed cell, for the methodist who asks «where does 1 234 come from»."""
    try:
        _section, row, column = form6nk.find(code)
    except KeyError:
        raise CellUnknown(code) from None
    if row.hand:
        raise CellUnknown(code)
    start, end = year_bounds(year)
    title = f"{row.code}.{column.code} {row.label} — {column.label}"
    if row.holdings or row.resource:
        return _holdings_drill(
            year=year, branch=branch, code=code, row=row, column=column, title=title, limit=limit
        )
    period = Period(start, end, _branch_ids(branch), by_day=True, ages=False)
    band = FORM_BAND_LABELS[column.band] if column.band else None
    wanted = set(row.indicators)
    drill = Drill(code=code, title=title, total=0, shown_limit=limit)
    by_month: Counter[str] = Counter()
    for source in counting.SOURCES:
        n_source = 0
        for key, n in source(period):
            if key.indicator in wanted and (band is None or _band_of_form(key) == band):
                n_source += n
                by_month[f"{key.on:%Y-%m}"] += n
        if n_source:
            name = source.__name__.removesuffix("_query")
            drill.by_source.append((str(SOURCE_NAMES[name]), n_source))
            drill.total += n_source
    drill.by_month = sorted(by_month.items())
    drill.headers = [_("что"), _("дата"), _("вид"), _("возраст"), _("вид документа"), _("язык")]
    drill.rows = _fact_rows(period, wanted, column.band, limit) + _other_rows(period, wanted, limit)
    return drill


def _holdings_drill(
    *,
    year: int,
    branch: Branch | None,
    code: str,
    row: form6nk.Row,
    column: form6nk.Column,
    title: str,
    limit: int,
) -> Drill:
    if row.resource:
        rows = resource_rows(kind=row.resource, year=year, branch=branch)
        total = _resource_value(kind=row.resource, year=year, branch=branch)
        return Drill(
            code=code,
            title=title,
            total=total,
            headers=[_("что")],
            rows=[[str(r)] for r in rows[:limit]],
            shown_limit=limit,
        )
    items = holdings_rows(kind=row.holdings, year=year, branch=branch)
    if column.carrier is not None:
        items = items.filter(carrier=column.carrier)
    if column.foreign:
        items = items.exclude(language__in=RUSSIAN)
    drill = Drill(code=code, title=title, total=items.count(), shown_limit=limit)
    drill.headers = [_("штрихкод"), _("поступил"), _("источник"), _("КСУ"), _("списан"), _("акт")]
    drill.rows = [
        [
            i.barcode,
            i.acquired_on,
            i.get_acquisition_source_display(),
            i.acquisition_act,
            timezone.localdate(i.withdrawn_at) if i.withdrawn_at else "",
            i.withdrawal_act,
        ]
        for i in items.order_by("acquired_on", "pk")[:limit]
    ]
    return drill


# --- the diary ------------------------------------------------------------------------------

DIARY_COLUMNS = (
    Indicator.USERS_NEW,
    Indicator.USERS_RE,
    Indicator.VISITS,
    Indicator.VISITS_REMOTE,
    Indicator.LOANS,
    Indicator.USE,
    Indicator.ELOANS,
    Indicator.ANSWERS,
    Indicator.EVENTS,
    Indicator.ATTENDANCE,
    Indicator.OFFSITE_VISITS,
    Indicator.OFFSITE_LOANS,
)


@dataclass
class Diary:
    branch: Branch
    month: dt.date
    bands: Bands
    columns: list[tuple[str, Promise | str]]
    days: list[tuple[dt.date, list[int]]]
    totals: list[int]
    # indicator → band label → count, for the month
    by_band: list[tuple[Promise | str, list[int]]]
    # (document type, language) → loans and uses in the month
    by_document: list[tuple[str, str, int]]
    entries: list[DiaryEntry]


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def diary_month(*, branch: Branch, month: dt.date, bands: Bands | None = None) -> Diary:
    """The diary of a branch for a month: each day's figures, the month's by age band and by
    document, and the hand entries with who made them and when."""
    bands = bands or diary_bands()
    start, end = month_bounds(month)
    ids = (branch.pk,)
    per_day: dict[tuple[dt.date | None, str], int] = Counter()
    per_band: dict[tuple[str, str], int] = Counter()
    per_doc: dict[tuple[str, str], int] = Counter()
    # The facts in three small GROUP BYs (days from the sums, ages, documents) rather than one
    # over every combination; the other sources are small and read once, by day and age.
    others = [s for s in counting.SOURCES if s is not counting.facts_query]
    for key, n in counting.tally(Period(start, end, ids, by_day=True), others).items():
        per_day[(key.on, key.indicator)] += n
        per_band[(key.indicator, bands.label_of(key.age, key.form_band))] += n
    for key, n in counting.facts_query(Period(start, end, ids, by_day=True, ages=False)):
        per_day[(key.on, key.indicator)] += n
    for key, n in counting.facts_query(Period(start, end, ids)):
        per_band[(key.indicator, bands.label_of(key.age, key.form_band))] += n
    documents = Period(start, end, ids, by_document=True, ages=False)
    for key, n in counting.facts_query(documents):
        if key.indicator in (Indicator.LOANS, Indicator.USE):
            per_doc[(key.material_type, key.language)] += n
    columns: list[tuple[str, Promise | str]] = [
        (str(code), Indicator(code).label) for code in DIARY_COLUMNS
    ]
    days = []
    day = start
    while day <= end:
        days.append((day, [per_day.get((day, code), 0) for code in DIARY_COLUMNS]))
        day += dt.timedelta(days=1)
    totals = [sum(values[i] for _d, values in days) for i in range(len(DIARY_COLUMNS))]
    labels = [*bands.labels, "?"]
    by_band: list[tuple[Promise | str, list[int]]] = [
        (Indicator(code).label, [per_band.get((code, label), 0) for label in labels])
        for code in DIARY_COLUMNS
    ]
    by_document = sorted(
        ((t or "—", lang or "—", n) for (t, lang), n in per_doc.items()), key=lambda r: -r[2]
    )
    entries = list(
        DiaryEntry.objects.filter(branch=branch, on__gte=start, on__lte=end)
        .select_related("by", "corrects")
        .order_by("on", "pk")
    )
    return Diary(branch, start, bands, columns, days, totals, by_band, by_document, entries)


# --- the dashboard --------------------------------------------------------------------------

DASHBOARD_INDICATORS: tuple[tuple[Promise, tuple[str, ...]], ...] = (
    (_("Читатели"), (Indicator.USERS_NEW, Indicator.USERS_RE)),
    (_("Посещения"), (Indicator.VISITS, Indicator.ATTENDANCE, Indicator.OFFSITE_VISITS)),
    (_("Выдача"), (Indicator.LOANS, Indicator.USE, Indicator.OFFSITE_LOANS, Indicator.ELOANS)),
    (_("Мероприятия"), (Indicator.EVENTS, Indicator.EVENTS_OFFSITE, Indicator.EVENTS_ONLINE)),
    (_("Справки"), (Indicator.ANSWERS,)),
)


@dataclass
class Comparison:
    label: Promise
    rows: list[tuple[str, int, int]]  # branch name, this year so far, same period last year

    @property
    def bars(self) -> list[dict[str, Any]]:
        """The SVG's bars: 200 units for the largest figure, a pair of bars per branch."""
        scale = max([1, *(max(a, b) for _n, a, b in self.rows)])
        return [
            {
                "name": name,
                "now": now,
                "then": then,
                "y": 4 + i * 28,
                "now_width": round(200 * now / scale),
                "then_width": round(200 * then / scale),
                "change": f"{(now - then) * 100 / then:+.0f} %" if then else "—",
            }
            for i, (name, now, then) in enumerate(self.rows)
        ]

    @property
    def svg_height(self) -> int:
        return 8 + 28 * len(self.rows)


def dashboard(*, on: dt.date, branches: QuerySet[Branch]) -> tuple[dt.date, list[Comparison]]:
    """Year so far (1 January to `on`) against the same days of last year, per branch."""
    start = on.replace(month=1, day=1)
    try:
        last_on = on.replace(year=on.year - 1)
    except ValueError:  # 29 February
        last_on = on.replace(year=on.year - 1, day=28)
    ids = tuple(branches.values_list("pk", flat=True))
    now = counting.tally(Period(start, on, ids, ages=False))
    then = counting.tally(Period(start.replace(year=on.year - 1), last_on, ids, ages=False))
    names = dict(branches.values_list("pk", "name"))
    result = []
    for label, indicators in DASHBOARD_INDICATORS:
        wanted = set(indicators)
        rows = []
        for pk in ids:
            a = sum(n for k, n in now.items() if k.branch_id == pk and k.indicator in wanted)
            b = sum(n for k, n in then.items() if k.branch_id == pk and k.indicator in wanted)
            rows.append((names[pk], a, b))
        result.append(Comparison(label, rows))
    return last_on, result


# --- the accession register («книга суммарного учёта») -----------------------------------


@dataclass
class RegisterLine:
    on: dt.date | None
    act: str
    source: str
    copies: int
    price: Decimal
    by_carrier: dict[str, int]


@dataclass
class Register:
    year: int
    branch: Branch | None
    received: list[RegisterLine]
    withdrawn: list[RegisterLine]
    held_at_end: int


def _register_lines(items: QuerySet[Item], day: str, act: str, source: str) -> list[RegisterLine]:
    lines: dict[tuple[Any, str, str], RegisterLine] = {}
    rows = (
        items.values(day, act, source, "carrier")
        .annotate(n=Count("id"), price=Sum("price"))
        .order_by(day, act)
    )
    sources = dict(AcquisitionSource.choices)
    for row in rows:
        key = (row[day], row[act], str(sources.get(row[source], row[source])))
        line = lines.setdefault(key, RegisterLine(key[0], key[1], key[2], 0, Decimal(0), {}))
        line.copies += row["n"]
        line.price += row["price"] or Decimal(0)
        line.by_carrier[row["carrier"]] = line.by_carrier.get(row["carrier"], 0) + row["n"]
    return list(lines.values())


def accession_register(*, year: int, branch: Branch | None) -> Register:
    """Part 1 (received, by act), part 2 (withdrawn, by act) and the holdings at the year's end."""
    received = holdings_rows(kind="received", year=year, branch=branch)
    withdrawn = holdings_rows(kind="withdrawn", year=year, branch=branch).annotate(
        withdrawn_on=TruncDate("withdrawn_at")
    )
    return Register(
        year,
        branch,
        _register_lines(received, "acquired_on", "acquisition_act", "acquisition_source"),
        _register_lines(withdrawn, "withdrawn_on", "withdrawal_act", "withdrawal_reason"),
        holdings_rows(kind="held", year=year, branch=branch).count(),
    )
