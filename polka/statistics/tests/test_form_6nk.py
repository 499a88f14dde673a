"""Form 6-НК from a year of activity made through the services: every computed cell equals the
count taken from the generator's own log, per branch and for the network."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from polka.readers.errors import ReaderError
from polka.readers.models import Reader
from polka.readers.services import reader_erase
from polka.statistics import selectors, xlsx
from polka.statistics.activity import Log, year_of_activity
from polka.statistics.models import Indicator as I

pytestmark = pytest.mark.django_db

YEAR = 2025


def expected(log: Log, code: str | None, indicators: tuple[str, ...], band: str | None) -> int:
    return sum(
        n
        for (branch, what, b), n in log.done.items()
        if (code is None or branch == code) and what in indicators and (band is None or b == band)
    )


ROWS = {
    "401": (I.USERS_NEW, I.USERS_RE),
    "403": (I.VISITS, I.ATTENDANCE, I.OFFSITE_VISITS, I.VISITS_REMOTE),
    "404": (I.VISITS, I.OFFSITE_VISITS),
    "405": (I.ATTENDANCE,),
    "406": (I.VISITS_REMOTE,),
    "501": (I.LOANS, I.USE, I.OFFSITE_LOANS, I.ELOANS, I.ILL),
    "502": (I.LOANS, I.USE, I.OFFSITE_LOANS),
    "503": (I.ELOANS,),
    "505": (I.ANSWERS,),
    "506": (I.EVENTS, I.EVENTS_OFFSITE, I.EVENTS_ONLINE),
}
COLUMNS = {"3": None, "4": "0-14", "5": "15-30"}


@pytest.fixture
def year_log(branch_a, branch_b, everything) -> Log:
    return year_of_activity(branches=[branch_a, branch_b], year=YEAR, by=everything)


def test_a_year_of_activity_gives_each_cell_the_count_of_what_was_done(
    year_log, branch_a, branch_b
):
    """One year generated once (it is slow), then every claim about it."""
    assert expected(year_log, None, (I.LOANS,), None) > 100
    forms = {b: selectors.form_6nk(year=YEAR, branch=b) for b in (branch_a, branch_b, None)}
    for branch, form in forms.items():
        code = branch.code if branch else None
        for row, indicators in ROWS.items():
            for column, band in COLUMNS.items():
                want = expected(year_log, code, indicators, band)
                assert form.value(f"{row}.{column}") == want, (code, row, column)
    holdings_are_received_withdrawn_and_held(year_log, forms[branch_a])
    next_year_starts_from_the_holdings_at_the_end_of_this_one(branch_a)
    a_cell_drills_down_to_exactly_what_it_counts(forms[branch_a], branch_a)
    the_xlsx_reads_back_with_the_same_figures(forms[None])


def holdings_are_received_withdrawn_and_held(log: Log, form: selectors.FilledForm) -> None:
    received = {k: n for k, n in log.holdings.items() if k[0] == "a" and k[1] == "received"}
    withdrawn = {k: n for k, n in log.holdings.items() if k[0] == "a" and k[1] == "withdrawn"}
    assert form.value("201.3") == sum(received.values()) == 12
    assert form.value("202.3") == sum(withdrawn.values()) == 2
    assert form.value("203.3") == 10
    foreign = sum(n for (_b, _k, _c, f), n in received.items() if f)
    assert form.value("201.11") == foreign == 3
    audiovisual = sum(n for (_b, _k, c, _f), n in received.items() if c == "av")
    assert form.value("201.6") == audiovisual


def next_year_starts_from_the_holdings_at_the_end_of_this_one(branch) -> None:
    form = selectors.form_6nk(year=YEAR + 1, branch=branch)
    assert form.value("201.3") == 0
    assert form.value("203.3") == 10
    assert form.value("401.3") == 0


def a_cell_drills_down_to_exactly_what_it_counts(form: selectors.FilledForm, branch) -> None:
    for code in ("403.3", "404.4", "502.5", "505.3", "201.3"):
        drill = selectors.cell_drill(year=YEAR, branch=branch, code=code)
        assert drill.total == form.value(code), code
        assert sum(n for _s, n in drill.by_source) == (drill.total if drill.by_source else 0)
        assert drill.rows


def the_xlsx_reads_back_with_the_same_figures(form: selectors.FilledForm) -> None:
    book = load_workbook(BytesIO(xlsx.form_6nk_xlsx(form)))
    assert [s.title for s in book.worksheets][:2] == ["Раздел 1", "Раздел 2"]
    sheet = book["Раздел 5"]
    found = {row[1]: row[2:] for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert found["501"][0] == form.value("501.3")
    assert found["505"][0] == form.value("505.3")


def test_erased_readers_and_their_anonymised_loans_still_count(branch_a, everything):
    year_of_activity(branches=[branch_a], year=YEAR, by=everything, until=dt.date(YEAR, 2, 28))
    before = selectors.form_6nk(year=YEAR, branch=branch_a)
    erased = 0
    for reader in Reader.objects.filter(home_branch=branch_a):
        try:
            reader_erase(
                reader=reader, at=dt.datetime(YEAR + 1, 2, 2, 9, tzinfo=dt.UTC), by=everything
            )
        except ReaderError:
            continue
        erased += 1
    assert erased
    after = selectors.form_6nk(year=YEAR, branch=branch_a)
    for code in ("401.3", "401.4", "403.3", "403.5", "501.3", "502.3"):
        assert after.value(code) == before.value(code), code
