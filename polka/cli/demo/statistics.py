"""Demo statistics: last year and this year so far, so that a newcomer opens form 6-НК, the
diary and the dashboard already filled. Everything is made through the services and lies on
the branches' real calendars, by the demo's own readers with the demo's own copies:

- the desk's loans, returns, reading-room uses and visits of the days before the demo, carried
  over as statistical facts (as from a previous system); readers re-registered this year;
- the events held in the past, with the attendance counted;
- written answers of the reference service and the e-library's loans from the platform report;
- the diary's hand entries: oral answers, the mobile library's stop, one corrected;
- copies received under accession entries («КСУ») and worn ones written off under acts.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polka.accounts.models import User
from polka.catalog.models import AcquisitionSource, Item, ItemStatus, Record
from polka.catalog.services import item_add, item_withdraw
from polka.circulation.models import FactKind
from polka.circulation.services import PastFact, facts_carry_over
from polka.cli.demo import vocabulary as v
from polka.cli.demo.books import ean13
from polka.cli.demo.extras import DemoContext, DemoExtra
from polka.cli.demo.schedule import demo_calendars_between, plan_past_events
from polka.elibrary.models import Eloan, Platform, PlatformLogin
from polka.elibrary.services import access_request, eloans_import, login_issue
from polka.events.models import Audience
from polka.events.services import attendance_record, event_create
from polka.org.calendar import BranchCalendar, days_between
from polka.org.models import Branch
from polka.readers.models import Reader
from polka.readers.services import reader_reregister
from polka.reference.services import question_answer, question_ask
from polka.statistics.models import DiaryEntry, FactTotal, Indicator, RollUpMark
from polka.statistics.services import diary_entry_add

# How often a reader comes (a chance per open day) and what a visit brings.
VISIT_CHANCE = 1 / 45
LOANS_PER_VISIT = (1, 1, 2, 2, 3)
RETURN_AFTER_DAYS = (10, 30)
READING_ROOM_CHANCE = 0.2
VISIT_WITHOUT_LOAN_CHANCE = 0.25
REMOTE_VISITS_PER_DAY = (0, 0, 0, 1, 1, 2)
# The mobile library («библиобус») stops at a settlement of this branch each month.
MOBILE_BRANCH = "f3"
E_READERS = 4
REFERENCE_BRANCHES = ("cgb", "cdb")
# Accessions a branch gets a year, copies an accession brings, copies written off a year.
ACCESSIONS_PER_YEAR = 2
COPIES_PER_ACCESSION = (2, 5)
WRITE_OFFS_PER_YEAR = (1, 3)
# Received copies get barcodes far above the catalogue's own (see books.ItemFactory).
ACCESSION_BARCODES = 9_000_000_000

QUESTIONS = (
    ("Какие книги есть о первых поселенцах нашего края?", "literature"),
    ("Когда в городе открылась первая библиотека?", "factual"),
    ("Где найти статьи о реставрации Соборной площади?", "location"),
    ("Как оформить список литературы к курсовой по ГОСТ?", "citation"),
    ("Посоветуйте книги о войне для подростков.", "literature"),
    ("В каком году родился поэт, чьим именем названа наша улица?", "factual"),
)


def _noon(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _open_days(calendar: BranchCalendar, start: dt.date, end: dt.date) -> list[dt.date]:
    return [d for d in days_between(start, end) if calendar.is_open(d)] if start <= end else []


def load(context: DemoContext) -> int:
    today = timezone.localdate(context.at)
    start = dt.date(today.year - 1, 1, 1)
    yesterday = today - dt.timedelta(days=1)
    calendars = demo_calendars_between(branches=context.branches, start=start, end=today)
    users = {u.username: u for u in User.objects.filter(staff_roles__isnull=False).distinct()}
    rng = random.Random(f"polka-demo-statistics-{context.seed}")  # noqa: S311 - reproducible
    made = 0
    for code, branch in sorted(context.branches.items()):
        desk = users.get(f"abonement-{code}")
        if desk is None:
            continue
        open_days = _open_days(calendars[code], start, yesterday)
        facts = list(_desk_year(rng, branch, open_days, desk, today))
        made += facts_carry_over(facts=facts, by=desk, at=context.at)
    methodist = users["metodist"]
    made += _past_events(context, rng, calendars, start, yesterday, methodist)
    made += _answers(context, rng, calendars, start, yesterday, users.get("bibliograf"))
    made += _eloans(rng, start, yesterday, users["admin"], context.at)
    made += _diary(context, rng, calendars, start, yesterday, methodist)
    # Copies are not counted in the summary line (it names facts, events, answers, entries).
    _accessions(context, rng, calendars, start, yesterday, users["katalogizator"])
    # Not summed ahead here: the first report does it (the few facts are counted live till then).
    return made


def _desk_year(
    rng: random.Random, branch: Branch, days: list[dt.date], desk: User, today: dt.date
) -> Iterator[PastFact]:
    """Each open day the branch's readers come (those registered by then), borrow the
    branch's copies, bring them back weeks later, read in the reading room; the site counts
    remote visits. Readers registered last year re-register at their first visit this year."""
    readers = list(Reader.objects.filter(home_branch=branch).order_by("pk"))
    copies = list(
        Item.objects.filter(branch=branch, status=ItemStatus.AVAILABLE)
        .select_related("record")
        .only("pk", "item_type", "record__material_type", "record__languages")
        .order_by("pk")
    )
    lendable = [c for c in copies if c.item_type != "reference"] or copies
    if not days or not readers or not lendable:
        return
    joined = {r.pk: timezone.localdate(r.registered_at) for r in readers}
    returns: dict[dt.date, list[tuple[Reader, Item]]] = {}
    reregistered: set[int] = set()
    for day in days:
        # Copies come back on the first open day on or after they are due back.
        for reader, item in returns.pop(day, []):
            yield PastFact(FactKind.RETURN, branch, _noon(day, 17), reader, item)
        for n in range(rng.choice(REMOTE_VISITS_PER_DAY)):
            yield PastFact(FactKind.VISIT, branch, _noon(day, 20, n), remote=True)
        for reader in readers:
            if joined[reader.pk] > day or rng.random() >= VISIT_CHANCE:
                continue
            moment = _noon(day, 12 + reader.pk % 6, reader.pk % 60)
            if joined[reader.pk].year < day.year == today.year and reader.pk not in reregistered:
                reregistered.add(reader.pk)
                reader_reregister(reader=reader, branch=branch, at=moment, by=desk)
            if rng.random() < VISIT_WITHOUT_LOAN_CHANCE:
                yield PastFact(FactKind.VISIT, branch, moment, reader)
                continue
            for _n in range(rng.choice(LOANS_PER_VISIT)):
                item = lendable[rng.randrange(len(lendable))]
                yield PastFact(FactKind.LOAN, branch, moment, reader, item)
                back = _next_open(days, day + dt.timedelta(days=rng.randint(*RETURN_AFTER_DAYS)))
                if back is not None:
                    returns.setdefault(back, []).append((reader, item))
            if rng.random() < READING_ROOM_CHANCE:
                item = copies[rng.randrange(len(copies))]
                yield PastFact(FactKind.IN_LIBRARY_USE, branch, moment, reader, item)


def _next_open(days: list[dt.date], day: dt.date) -> dt.date | None:
    index = bisect.bisect_left(days, day)
    return days[index] if index < len(days) else None


# An audience's head counts (children, youth, adults) as (fewest, most).
WALK_INS: dict[str, tuple[tuple[int, int], tuple[int, int], tuple[int, int]]] = {
    Audience.CHILDREN: ((4, 14), (0, 1), (2, 8)),
    Audience.TEENS: ((2, 6), (5, 15), (0, 2)),
    Audience.ADULTS: ((0, 1), (2, 6), (6, 20)),
    Audience.SENIORS: ((0, 0), (0, 1), (6, 18)),
    Audience.NEWCOMERS: ((1, 5), (2, 6), (4, 12)),
    Audience.PROFESSIONALS: ((0, 0), (3, 8), (5, 15)),
}


def _past_events(
    context: DemoContext,
    rng: random.Random,
    calendars: dict[str, BranchCalendar],
    start: dt.date,
    end: dt.date,
    by: User,
) -> int:
    """The clubs and events held before today, each with its attendance counted that day."""
    planned = plan_past_events(
        seed=context.seed, start=start, end=end, zone=timezone.get_current_timezone(),
        calendars=calendars,
    )  # fmt: skip
    for plan in planned:
        event = event_create(
            title=plan.spec.title,
            description=plan.spec.description,
            branch=context.branches[plan.branch_code],
            place=plan.spec.place,
            starts_at=plan.starts_at,
            ends_at=plan.ends_at,
            audience=plan.spec.audience,
            age_mark=plan.spec.age_mark,
            capacity=plan.spec.capacity,
            event_type=plan.spec.event_type,
            at=plan.starts_at - dt.timedelta(days=14),
        )
        children, youth, adults = (rng.randint(*r) for r in WALK_INS[plan.spec.audience])
        attendance_record(
            event=event, came=[], walk_in_children=children, walk_in_youth=youth,
            walk_in_adults=adults, by=by, at=plan.ends_at,
        )  # fmt: skip
    return len(planned)


def _answers(
    context: DemoContext,
    rng: random.Random,
    calendars: dict[str, BranchCalendar],
    start: dt.date,
    end: dt.date,
    by: User | None,
) -> int:
    """A written question a month answered by the reference service (the oral ones are in
    the diary), the reference branches taking turns."""
    codes = [c for c in REFERENCE_BRANCHES if c in context.branches]
    if by is None or not codes:
        return 0
    made = 0
    month = start
    while month <= end:
        code = codes[month.month % len(codes)]
        after = (month + dt.timedelta(days=32)).replace(day=1)
        days = _open_days(calendars[code], month, min(end, after - dt.timedelta(days=1)))
        if days:
            day = days[rng.randrange(len(days))]
            text, kind = QUESTIONS[month.month % len(QUESTIONS)]
            question = question_ask(
                text=text, question_type=kind, purpose="study", depth="few",
                email=f"asked{made}@mail.example", name="Читатель",
                branch=context.branches[code], at=_noon(day, 11),
            )  # fmt: skip
            question_answer(
                question=question,
                body="<p>Подобрали для вас издания из фонда сети; они ждут вас в "
                "читальном зале.</p>",
                by=by,
                at=_noon(day, 16),
            )
            made += 1
        month = after
    return made


def _eloans(rng: random.Random, start: dt.date, end: dt.date, by: User, at: dt.datetime) -> int:
    """A few adult readers got a login of the e-library platform; its loan report, imported
    once, gives their remote loans."""
    platform = Platform.objects.filter(slug="litres").first()
    readers = list(
        Reader.objects.exclude(email="").filter(category__in=["adult", "student", "senior"])
        .order_by("registered_at", "pk")[:E_READERS]
    )  # fmt: skip
    titles = list(Record.objects.order_by("pk").values_list("title", flat=True)[:50])
    if platform is None or not readers or not titles:
        return 0
    rows = ["date;login;isbn;title"]
    for n, reader in enumerate(readers):
        joined = max(start, timezone.localdate(reader.registered_at))
        access = access_request(platform=platform, reader=reader, at=_noon(joined, 13))
        login = f"svet{reader.card_number}"
        login_issue(access=access, login=login, by=by, at=_noon(joined, 15))
        day = joined + dt.timedelta(days=1 + n)
        while day <= end:
            rows.append(f"{day.isoformat()};{login};;{titles[rng.randrange(len(titles))]}")
            day += dt.timedelta(days=rng.randint(7, 30))
    eloans_import(platform=platform, data="\n".join(rows).encode(), by=by, at=at)
    return len(rows) - 1


def _diary(
    context: DemoContext,
    rng: random.Random,
    calendars: dict[str, BranchCalendar],
    start: dt.date,
    end: dt.date,
    by: User,
) -> int:
    """What the system cannot see, entered by hand at the end of each month: every branch's
    oral answers; the mobile library's stop with its visitors and loans (one corrected)."""
    made = 0
    for code, branch in sorted(context.branches.items()):
        days = _open_days(calendars[code], start, end)
        last_days = sorted({max(d for d in days if d.replace(day=1) == m) for m in
                            {d.replace(day=1) for d in days}})  # fmt: skip
        for day in last_days:
            at = _noon(day, 18)
            diary_entry_add(
                branch=branch, on=day, indicator=Indicator.ANSWERS, count=rng.randint(4, 15),
                note="устные справки по листку учёта", by=by, at=at,
            )  # fmt: skip
            made += 1
            if code != MOBILE_BRANCH:
                continue
            visits = diary_entry_add(
                branch=branch, on=day, indicator=Indicator.OFFSITE_VISITS,
                count=rng.randint(20, 45), note="библиобус, пос. Заречный", by=by, at=at,
            )  # fmt: skip
            diary_entry_add(
                branch=branch, on=day, indicator=Indicator.OFFSITE_LOANS,
                count=rng.randint(40, 90), note="библиобус, пос. Заречный", by=by, at=at,
            )  # fmt: skip
            made += 2
            if day == last_days[-1]:
                diary_entry_add(
                    branch=branch, on=day, indicator=Indicator.OFFSITE_VISITS, count=-2,
                    note="посчитали дважды двух читателей", corrects=visits, by=by,
                    at=at + dt.timedelta(hours=1),
                )  # fmt: skip
                made += 1
    return made


def _accessions(
    context: DemoContext,
    rng: random.Random,
    calendars: dict[str, BranchCalendar],
    start: dt.date,
    end: dt.date,
    by: User,
) -> int:
    """Each year each branch receives new copies of titles it holds, entered in the accession
    register on an open day, and writes off a few worn copies under an act (section 2)."""
    made = 0
    barcode = ACCESSION_BARCODES
    for code, branch in sorted(context.branches.items()):
        days = _open_days(calendars[code], start, end)
        held = list(
            Item.objects.filter(branch=branch, status=ItemStatus.AVAILABLE)
            .select_related("record")
            .order_by("pk")
        )
        if not days or not held:
            continue
        for year in sorted({d.year for d in days}):
            in_year = [d for d in days if d.year == year]
            for n, day in enumerate(
                sorted(rng.sample(in_year, min(ACCESSIONS_PER_YEAR, len(in_year)))), 1
            ):
                act = f"{year}/{code.upper()}-{n}"
                source = rng.choice((AcquisitionSource.PURCHASE, AcquisitionSource.GIFT))
                for _n in range(rng.randint(*COPIES_PER_ACCESSION)):
                    like = held[rng.randrange(len(held))]
                    barcode += 1
                    item_add(
                        record=like.record, branch=branch,
                        barcode=ean13(f"{v.BARCODE_PREFIX}{barcode:010d}"), by=by,
                        at=_noon(day, 11), shelf_mark=like.shelf_mark, item_type=like.item_type,
                        price=like.price, acquired_on=day, acquisition_source=source,
                        acquisition_act=act,
                    )  # fmt: skip
                    made += 1
            worn = rng.sample(held, min(len(held) // 4, rng.randint(*WRITE_OFFS_PER_YEAR)))
            day = in_year[-1]
            for item in worn:
                held.remove(item)
                item_withdraw(
                    item=item, by=by, at=_noon(day, 16), reason="ветхость",
                    act=f"{year}/{code.upper()}-С",
                )  # fmt: skip
                made += 1
    return made


def wipe() -> None:
    # Maintenance of a throwaway database, not a domain change: no service. The facts, events
    # and questions go with their apps' own demo content.
    from polka.consents.models import ConsentRecord

    consents = list(PlatformLogin.objects.values_list("consent_id", flat=True))
    Eloan.objects.all().delete()
    PlatformLogin.objects.all().delete()
    ConsentRecord.objects.filter(pk__in=consents).delete()
    DiaryEntry.objects.filter(corrects__isnull=False).delete()
    DiaryEntry.objects.all().delete()
    FactTotal.objects.all().delete()
    RollUpMark.objects.all().delete()


EXTRA = DemoExtra(
    name="statistics",
    label=_("статистических фактов, прошедших мероприятий, справок и записей дневника"),
    load=load,
    wipe=wipe,
)
