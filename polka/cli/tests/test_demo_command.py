"""`polka demo` fills an empty database once, prints the staff passwords once, and refuses to
touch anything that is not demo data."""

from __future__ import annotations

import datetime as dt
import re
import socket
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from polka.catalog.models import Item, ItemStatus, Record
from polka.cli.demo import generator
from polka.cli.demo import vocabulary as v
from polka.cli.demo.extras import DemoContext, DemoExtra
from polka.cli.demo.generator import demo_load
from polka.courses.models import Course
from polka.events.models import Event
from polka.org.models import Branch, BranchKind, CalendarException, Network, Role, StaffRole
from polka.org.services import staff_user_create
from polka.readers.models import Reader, ReaderConsent
from polka.readers.services import CONSENT_PERSONAL_DATA
from polka.search.backends.base import SearchRequest
from polka.search.selectors import search_records

RECORDS = 60
PASSWORD_ROW = re.compile(r"^(\S+)\s{2,}.+\s{2,}(\S+)$")


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--records", str(RECORDS), *args, stdout=out)
    return out.getvalue()


def passwords(output: str) -> dict[str, str]:
    usernames = {s.username for s in v.STAFF}
    found = {}
    for line in output.splitlines():
        match = PASSWORD_ROW.match(line)
        if match and match.group(1) in usernames:
            found[match.group(1)] = match.group(2)
    return found


def can_log_in(username: str, password: str) -> bool:
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request, username=username, password=password) is not None


def snapshot() -> dict[str, list[object]]:
    return {
        "records": list(
            Record.objects.order_by("control_number").values_list(
                "control_number", "title", "year", "isbns"
            )
        ),
        "items": list(
            Item.objects.order_by("barcode").values_list(
                "barcode", "branch__code", "inventory_number", "status"
            )
        ),
        "readers": list(
            Reader.objects.order_by("card_number").values_list(
                "card_number", "last_name", "first_name", "birth_date", "category"
            )
        ),
    }


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Network, Branch, Record, Item, Reader, Event, StaffRole, CalendarException)
    )


@pytest.fixture
def loaded(db: None) -> str:
    return demo()


def test_demo_creates_a_network_with_a_central_library_branches_and_a_childrens_library(loaded):
    network = Network.objects.get()
    assert network.website == v.NETWORK_WEBSITE
    kinds = list(Branch.objects.values_list("kind", flat=True))
    assert kinds.count(BranchKind.CENTRAL) == 1
    assert kinds.count(BranchKind.CHILDREN_CENTRAL) == 1
    assert kinds.count(BranchKind.BRANCH) >= 3
    assert all(b.hours.exists() for b in Branch.objects.all())


def test_demo_closes_libraries_on_public_holidays_and_sanitary_days(loaded):
    year = timezone.localdate().year
    holidays = CalendarException.objects.filter(branch__isnull=True, is_open=False)
    assert holidays.filter(date__year=year).exists()
    assert holidays.filter(date__year=year + 1).exists()
    for branch in Branch.objects.all():
        sanitary = CalendarException.objects.filter(branch=branch, is_open=False)
        assert sanitary.filter(date__year=year).count() == 12


def test_demo_stores_records_with_copies_spread_over_branches(loaded):
    assert Record.objects.count() == RECORDS
    assert not Record.objects.filter(items__isnull=True).exists()
    assert Item.objects.values("branch").distinct().count() >= 4
    assert Item.objects.filter(status=ItemStatus.ON_LOAN).exists()
    assert Item.objects.filter(status=ItemStatus.AVAILABLE).count() > Item.objects.count() / 2


def test_every_role_has_an_account_whose_printed_password_works(loaded):
    printed = passwords(loaded)
    assert set(printed) == {s.username for s in v.STAFF}
    assert set(StaffRole.objects.values_list("role", flat=True)) == set(Role.values)
    for username, password in printed.items():
        assert can_log_in(username, password), username


def test_every_reader_has_a_recorded_personal_data_consent(loaded):
    assert Reader.objects.count() >= 20
    assert Reader.objects.filter(category="child").exists()
    with_consent = ReaderConsent.objects.filter(record__purpose=CONSENT_PERSONAL_DATA)
    assert not Reader.objects.exclude(pk__in=with_consent.values("reader")).exists()
    children = Reader.objects.filter(category="child")
    assert not children.filter(guardians__isnull=True).exists()
    assert with_consent.filter(reader__in=children, guardian__isnull=False).exists()


def test_the_demo_prints_a_reader_account_that_logs_in_with_its_card_number(loaded):
    cards = set(Reader.objects.values_list("card_number", flat=True))
    rows = [m.groups() for line in loaded.splitlines() if (m := PASSWORD_ROW.match(line))]
    printed = [(login, password) for login, password in rows if login in cards]
    assert len(printed) == 1
    assert can_log_in(*printed[0])


def test_events_ahead_are_upcoming_and_every_past_one_was_held_with_its_attendance(loaded):
    now = timezone.now()
    assert Event.objects.filter(starts_at__gt=now).count() > 20
    past = Event.objects.filter(starts_at__lte=now)
    assert past.exists(), "the year of activity held events"
    assert not past.filter(attendance_recorded_at__isnull=True).exists()
    assert not Event.objects.filter(starts_at__gt=now, attendance_recorded_at__isnull=False)


def test_second_run_says_the_demo_is_loaded_duplicates_nothing_and_prints_no_password(loaded):
    before = counts()
    output = demo()
    assert "Демо-данные уже загружены" in output
    assert counts() == before
    assert not passwords(output)
    assert not any(p in output for p in passwords(loaded).values())


def test_reset_passwords_prints_new_passwords_that_replace_the_old_ones(loaded):
    old = passwords(loaded)
    new = passwords(demo("--reset-passwords"))
    assert set(new) == set(old)
    assert can_log_in("admin", new["admin"])
    assert not can_log_in("admin", old["admin"])


def test_reset_passwords_also_renews_the_demo_readers_password(loaded):
    def reader_password(output: str) -> tuple[str, str]:
        lines = output.splitlines()
        rows = [PASSWORD_ROW.match(line) for line in lines if "/account/login/" in line]
        assert len(rows) == 1 and rows[0] is not None
        return rows[0].group(1), rows[0].group(2)

    card, old = reader_password(loaded)
    same_card, new = reader_password(demo("--reset-passwords"))
    assert same_card == card and new != old
    assert can_log_in(card, new)
    assert not can_log_in(card, old)


def test_the_demo_has_a_kiosk_login_a_damaged_copy_and_a_hold_on_one_copy(loaded):
    from polka.catalog.models import Item
    from polka.circulation.models import Hold
    from polka.protocols.models import Sip2Station

    rows = [PASSWORD_ROW.match(line) for line in loaded.splitlines() if line.startswith("sip-")]
    assert len(rows) == 1 and rows[0] is not None
    username, password = rows[0].group(1), rows[0].group(2)
    assert Sip2Station.objects.filter(user__username=username).exists()
    assert can_log_in(username, password)
    assert Item.objects.filter(status="damaged").exists()
    assert Hold.objects.filter(item__isnull=False, state__in=["waiting", "ready"]).exists()


def test_force_regenerates_the_same_data_with_new_passwords(loaded):
    before = snapshot()
    output = demo("--force")
    assert "Демо-данные удалены" in output
    assert snapshot() == before
    first, second = passwords(loaded), passwords(output)
    assert set(first) == set(second)
    assert all(first[name] != second[name] for name in first)
    assert can_log_in("katalogizator", second["katalogizator"])


def test_demo_records_are_found_by_search_also_after_force(loaded):
    title = Record.objects.order_by("pk").values_list("title", flat=True).first()
    expected = Record.objects.filter(title=title).count()

    def hits() -> int:
        return search_records(request=SearchRequest(text=f'"{title}"', facets=False)).total

    assert hits() >= expected
    before = hits()
    demo("--force")
    assert hits() == before


def test_force_refuses_when_the_library_added_its_own_record(loaded):
    Record.objects.create(
        title="Своя запись",
        control_number="RU-1",
        format="rusmarc",
        source=b"",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    before = counts()
    with pytest.raises(CommandError):
        demo("--force")
    assert counts() == before


def test_force_refuses_when_the_library_added_a_staff_account(loaded):
    staff_user_create(
        username="newlibrarian",
        roles={Role.DESK: [Branch.objects.get(code="f1")]},
        at=timezone.now(),
    )
    with pytest.raises(CommandError, match="сотрудники"):
        demo("--force")
    assert Network.objects.exists()


def test_dry_run_says_what_it_would_make_and_writes_nothing(db):
    output = demo("--dry-run")
    assert f"записей {RECORDS}" in output
    assert not Network.objects.exists() and not Record.objects.exists()


def test_demo_leaves_a_database_with_another_network_alone(db):
    Network.objects.create(name="Настоящая библиотека")
    output = demo()
    assert "демо-данные не загружаются" in output
    assert not Branch.objects.exists()
    with pytest.raises(CommandError):
        demo("--force")


def test_events_are_scheduled_after_the_given_moment_and_closed_days_follow_its_year(db):
    at = dt.datetime(2031, 3, 2, 9, 0, tzinfo=dt.UTC)
    demo_load(seed=1, records=10, at=at)
    planned = Event.objects.filter(attendance_recorded_at__isnull=True)
    starts = list(planned.values_list("starts_at", flat=True))
    assert starts and min(starts) > at
    assert max(starts) <= at + dt.timedelta(weeks=8, days=1)
    held = Event.objects.filter(attendance_recorded_at__isnull=False)
    assert held.exists() and not held.filter(starts_at__gt=at).exists()
    assert held.earliest("starts_at").starts_at.year == 2030  # last year's activity
    holidays = CalendarException.objects.filter(branch__isnull=True)
    assert {day.year for day in holidays.values_list("date", flat=True)} == {2030, 2031, 2032}


# The hardest days to start on: a sanitary Friday of the central library, the New Year
# break, a public holiday, the last half hour of a year (Moscow time) and 29 February.
HARD_MOMENTS = [
    dt.datetime(2026, 12, 25, 9, 0, tzinfo=dt.UTC),
    dt.datetime(2027, 1, 1, 0, 5, tzinfo=dt.UTC),
    dt.datetime(2027, 3, 8, 12, 0, tzinfo=dt.UTC),
    dt.datetime(2027, 12, 31, 20, 30, tzinfo=dt.UTC),
    dt.datetime(2028, 2, 29, 9, 0, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("at", HARD_MOMENTS, ids=lambda at: at.strftime("%Y-%m-%d"))
def test_the_whole_demo_loads_on_the_hardest_days_of_the_year(db, at):
    summary = demo_load(seed=1, records=10, at=at)
    assert summary.events == Event.objects.filter(starts_at__gt=at).count() > 0
    assert Course.objects.get().sessions.count() == 4
    closed = set(CalendarException.objects.filter(is_open=False).values_list("branch_id", "date"))
    for event in Event.objects.all():
        day = timezone.localdate(event.starts_at)
        assert (None, day) not in closed and (event.branch_id, day) not in closed, event


def test_a_demo_that_cannot_finish_says_what_and_what_to_do_in_one_line_and_writes_nothing(
    db, monkeypatch
):
    def broken(context: DemoContext) -> int:
        raise ValueError("a demo module is broken")

    monkeypatch.setattr(
        generator,
        "extras",
        lambda: [DemoExtra(name="broken", label="x", load=broken, wipe=lambda: None)],
    )
    with pytest.raises(CommandError) as raised:
        demo()
    message = str(raised.value)
    assert "\n" not in message
    assert "Демо-данные не загружены" in message and "a demo module is broken" in message
    assert "База не изменена" in message
    assert not Network.objects.exists() and not Record.objects.exists()


def test_make_run_names_another_port_when_its_port_is_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"make run PORT={port + 1}"):
            call_command("check_port", "127.0.0.1", str(port))
    call_command("check_port", "127.0.0.1", str(port))  # free again
