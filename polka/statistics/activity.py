"""A year of a library network's activity, made through the services people use (copies added
and withdrawn, readers registered, loans, returns, visits, reading-room uses, events with their
attendance, answered questions, e-loans from a platform report, diary entries).

The demo calls it so that a newcomer sees a filled form; the tests call it and count what it did
from its own log, independently of the statistics' SQL.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from polka.catalog.models import AcquisitionSource, Carrier, Item
from polka.catalog.services import item_add, item_withdraw, record_create
from polka.circulation.errors import CirculationError
from polka.circulation.services import item_use_record, loan_checkin, loan_checkout, visit_record
from polka.elibrary.models import Platform
from polka.elibrary.services import access_request, eloans_import, login_issue
from polka.events.services import attendance_record, event_create
from polka.interop.marc.record import Field, MarcRecord, Subfield
from polka.org.models import Branch
from polka.org.selectors import branch_calendar
from polka.readers.models import Reader
from polka.readers.policies import age_on
from polka.readers.services import CONSENT_PERSONAL_DATA, GuardianData, reader_register
from polka.reference.services import question_answer, question_ask
from polka.statistics.models import Indicator
from polka.statistics.services import diary_entry_add


@dataclass
class Log:
    """What was done, as the test counts it: (branch code, what, 6-НК band or "") → count,
    and the copies by (branch code, received/withdrawn, carrier, foreign)."""

    done: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    holdings: Counter[tuple[str, str, str, bool]] = field(default_factory=Counter)

    def add(self, branch: Branch, what: str, band: str = "", n: int = 1) -> None:
        self.done[(branch.code, what, band)] += n


def form_band(age: int | None) -> str:
    if age is None:
        return ""
    return "0-14" if age <= 14 else "15-30" if age <= 30 else "31+"


def _marc(title: str, language: str) -> MarcRecord:
    return MarcRecord(
        leader="00000nam a2200000 a 4500",
        fields=[
            Field(tag="041", indicators="0 ", subfields=[Subfield("a", language)]),
            Field(tag="245", indicators="10", subfields=[Subfield("a", title)]),
        ],
    )


def _open_days(branch: Branch, start: dt.date, end: dt.date) -> list[dt.date]:
    calendar = branch_calendar(branch=branch, start=start, end=end)
    days, day = [], start
    while day <= end:
        if calendar.is_open(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def year_of_activity(
    *,
    branches: Sequence[Branch],
    year: int,
    by: Any,
    seed: int = 18,
    scale: int = 1,
    until: dt.date | None = None,
) -> Log:
    """Fill `year` (up to `until`, default its end) with activity in `branches`; `by` is a staff
    user who may do everything there; `scale` multiplies the daily figures."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    log = Log()
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), until or dt.date(year, 12, 31))
    born = {0: dt.date(year - 9, 3, 1), 1: dt.date(year - 20, 6, 1), 2: dt.date(year - 45, 1, 1)}
    platform, _created = Platform.objects.get_or_create(
        slug="litres-demo",
        defaults={"name": "ЛитРес: Библиотека", "site_url": "https://example.org/"},
    )
    eloan_rows = ["date;login;isbn;title"]
    serial = rng.randrange(10**6)
    for b_index, branch in enumerate(branches):
        open_days = _open_days(branch, start, end)
        if not open_days:
            continue
        first = open_days[0]
        # Copies: a few acquisitions a month, in Russian and other languages, several carriers.
        items: list[Item] = []
        for n in range(12 * scale):
            day = open_days[min(len(open_days) - 1, n * len(open_days) // (12 * scale))]
            language = "rus" if n % 4 else "eng"
            carrier = Carrier.PRINT if n % 6 else Carrier.AUDIOVISUAL
            record = record_create(
                marc=_marc(f"Книга {branch.code}-{n}", language), flavour="marc21", at=_at(day, 9)
            )
            source = [
                AcquisitionSource.PURCHASE,
                AcquisitionSource.GIFT,
                AcquisitionSource.LEGAL_DEPOSIT,
            ][n % 3]
            item = item_add(
                record=record,
                branch=branch,
                barcode=f"ST{serial}-{b_index}-{n}",
                by=by,
                at=_at(day, 9),
                acquired_on=day,
                acquisition_source=source,
                acquisition_act=f"{n // 4 + 1}",
                carrier=carrier,
                language=language,
            )
            items.append(item)
            log.holdings[(branch.code, "received", carrier, language != "rus")] += 1
        # Readers: registered through the year, of three ages.
        readers: list[tuple[Reader, int]] = []
        for n in range(6 * scale):
            day = open_days[min(len(open_days) - 1, n * 7)]
            group = n % 3
            child = group == 0
            reader = reader_register(
                last_name=f"Читатель{b_index}{n}",
                first_name="Демо",
                home_branch=branch,
                consents=[CONSENT_PERSONAL_DATA],
                at=_at(day, 10),
                by=by,
                birth_date=born[group],
                email=f"stat{serial}-{b_index}-{n}@example.org",
                category="child" if child else "adult",
                guardians=[GuardianData(full_name="Родитель Демо")] if child else [],
            )
            readers.append((reader, group))
            log.add(branch, Indicator.USERS_NEW, form_band(age_on(birth_date=born[group], on=day)))
        # Every open day from the first reader on: loans and returns, visits, reading-room uses.
        for day in open_days:
            present = [(r, g) for r, g in readers if r.registered_at.date() <= day]
            if not present or day == first:
                continue
            reader, _group = present[rng.randrange(len(present))]
            band = (
                form_band(age_on(birth_date=reader.birth_date, on=day)) if reader.birth_date else ""
            )
            on_shelf = [i for i in items if i.acquired_on and i.acquired_on < day]
            for k in range(rng.randint(0, 2) * scale):
                if not on_shelf:
                    break
                item = on_shelf[(k + day.toordinal()) % len(on_shelf)]
                try:
                    loan_checkout(
                        barcode=item.barcode,
                        reader=reader,
                        branch=branch,
                        by=by,
                        at=_at(day, 11, k),
                    )
                except CirculationError:  # a rule refused it: not lent, not counted
                    continue
                log.add(branch, Indicator.LOANS, band)
                loan_checkin(barcode=item.barcode, branch=branch, by=by, at=_at(day, 17, k))
            for k in range(rng.randint(0, 2) * scale):
                visit_record(reader=reader, branch=branch, by=by, at=_at(day, 12, k), remote=k == 1)
                log.add(branch, Indicator.VISITS_REMOTE if k == 1 else Indicator.VISITS, band)
            if on_shelf and rng.random() < 0.3:
                item_use_record(
                    barcode=on_shelf[0].barcode,
                    branch=branch,
                    by=by,
                    at=_at(day, 13),
                    reader=reader,
                )
                log.add(branch, Indicator.USE, band)
        # An event a month, its attendance recorded; a question answered a month.
        for month in range(1, end.month + 1):
            days = [d for d in open_days if d.month == month]
            if not days:
                continue
            day = days[len(days) // 2]
            audience = ["children", "teens", "adults"][month % 3]
            event = event_create(
                title=f"Встреча {month}",
                branch=branch,
                starts_at=_at(day, 15),
                ends_at=_at(day, 16),
                audience=audience,
                age_mark="0+",
                at=_at(days[0], 9),
            )
            walk = (rng.randint(0, 9), rng.randint(0, 9), rng.randint(0, 9))
            attendance_record(
                event=event,
                came=[],
                walk_in_children=walk[0],
                walk_in_youth=walk[1],
                walk_in_adults=walk[2],
                by=by,
                at=_at(day, 16),
            )
            log.add(
                branch, Indicator.EVENTS, {"children": "0-14", "teens": "15-30"}.get(audience, "")
            )
            for n, band in zip(walk, ("0-14", "15-30", "31+"), strict=True):
                log.add(branch, Indicator.ATTENDANCE, band, n)
            question = question_ask(
                text=f"Какие книги о нашем крае вышли в {month} месяце?",
                question_type="factual",
                purpose="study",
                depth="few",
                email=f"q{serial}@example.org",
                at=_at(day, 10),
                name="Гость",
                branch=branch,
            )
            question_answer(question=question, body="Вот список.", by=by, at=_at(day, 14))
            log.add(branch, Indicator.ANSWERS)
        # Hand entries: visitors counted at a mobile library stop, and one corrected.
        stop = open_days[len(open_days) // 2]
        entry = diary_entry_add(
            branch=branch,
            on=stop,
            indicator=Indicator.OFFSITE_VISITS,
            count=25,
            age_from=0,
            age_to=14,
            note="Библиобус, школа № 5",
            by=by,
            at=_at(stop, 18),
        )
        diary_entry_add(
            branch=branch,
            on=stop,
            indicator=Indicator.OFFSITE_VISITS,
            count=-3,
            age_from=0,
            age_to=14,
            note="Пересчитали",
            corrects=entry,
            by=by,
            at=_at(stop, 19),
        )
        log.add(branch, Indicator.OFFSITE_VISITS, "0-14", 22)
        # Two copies withdrawn under one act at the end of the period.
        last = open_days[-1]
        for item in items[:2]:
            item_withdraw(item=item, by=by, at=_at(last, 18), reason="ветхость", act=f"С-{year}-1")
            log.holdings[(branch.code, "withdrawn", item.carrier, item.language != "rus")] += 1
        # E-loans of the branch's first reader, from the platform's report.
        reader = readers[0][0]
        access = access_request(platform=platform, reader=reader, at=_at(first, 10))
        login = f"demo{serial}{b_index}"
        login_issue(access=access, login=login, by=by, at=_at(first, 11))
        for n in range(3 * scale):
            day = open_days[min(len(open_days) - 1, 5 + n)]
            eloan_rows.append(f"{day.isoformat()};{login};;Электронная книга {n}")
            log.add(branch, Indicator.ELOANS)
    eloans_import(platform=platform, data="\n".join(eloan_rows).encode(), by=by, at=_at(end, 20))
    return log
