"""The staff pages: a methodist of the network opens the form, drills into a cell, fills the
hand-entered sections (remembered for next year), keeps the diary and downloads the files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from polka.circulation.services import visit_record
from polka.statistics.models import DiaryEntry, FormValue

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday


@pytest.fixture
def logged_in(client, methodist):
    client.force_login(methodist)
    return client


def test_a_methodist_opens_the_network_form_and_drills_into_a_cell(logged_in, branch_a, everything):
    for minute in range(3):
        visit_record(
            reader=None, branch=branch_a, by=everything, at=AT + dt.timedelta(minutes=minute)
        )
    page = logged_in.get(reverse("reports:form-network", kwargs={"year": 2026}))
    assert page.status_code == 200
    cell = reverse("reports:cell-network", kwargs={"year": 2026, "cell": "404.3"})
    assert cell in page.content.decode()
    drill = logged_in.get(cell)
    assert drill.status_code == 200
    assert drill.context["drill"].total == 3
    assert (
        logged_in.get(
            reverse("reports:cell-network", kwargs={"year": 2026, "cell": "999.3"})
        ).status_code
        == 404
    )


def test_hand_entered_cells_are_kept_and_shown_next_year_as_last_years(logged_in, branch_a):
    url = reverse("reports:form", kwargs={"year": 2025, "code": branch_a.code})
    assert logged_in.post(url, {"101": "412.5", "601": "7"}).status_code == 302
    assert logged_in.post(url, {"101": "412.5", "601": "8"}).status_code == 302
    assert FormValue.objects.filter(code="601").count() == 2  # a correction is a new row
    assert FormValue.objects.filter(code="101").count() == 1
    page = logged_in.get(reverse("reports:form", kwargs={"year": 2026, "code": branch_a.code}))
    hand = page.context["hand"]
    assert hand.initial["601"] == Decimal("8")
    assert "8" in str(hand["601"].help_text)


def test_the_form_the_diary_and_the_register_download_as_xlsx(logged_in, branch_a):
    form = logged_in.get(
        reverse("reports:form", kwargs={"year": 2026, "code": branch_a.code}) + "?format=xlsx"
    )
    assert form["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(BytesIO(form.content))["Раздел 4"]["B6"].value == "401"
    diary = logged_in.get(
        reverse("reports:diary", kwargs={"code": branch_a.code, "year": 2026, "month": 3})
        + "?format=xlsx"
    )
    assert load_workbook(BytesIO(diary.content)).sheetnames[0] == "Дневник"
    register = logged_in.get(
        reverse("reports:register", kwargs={"code": branch_a.code, "year": 2026}) + "?format=xlsx"
    )
    assert "Часть 1. Поступление" in load_workbook(BytesIO(register.content)).sheetnames
    assert (
        logged_in.get(
            reverse("reports:form-network", kwargs={"year": 2026}) + "?format=print"
        ).status_code
        == 200
    )


def test_a_diary_entry_records_who_and_when_and_a_correction_is_a_new_entry(
    logged_in, branch_a, methodist
):
    url = reverse("reports:diary", kwargs={"code": branch_a.code, "year": 2026, "month": 3})
    answer = logged_in.post(
        url,
        {
            "on": "2026-03-02",
            "indicator": "offsite_visits",
            "count": "12",
            "age_from": "7",
            "age_to": "9",
        },
    )
    assert answer.status_code == 302
    entry = DiaryEntry.objects.get()
    assert entry.by == methodist
    refused = logged_in.post(
        url, {"on": "2026-03-02", "indicator": "offsite_visits", "count": "-2"}
    )
    assert refused.status_code == 400
    logged_in.post(
        url,
        {
            "on": "2026-03-02",
            "indicator": "offsite_visits",
            "count": "-2",
            "corrects": entry.pk,
            "age_from": "7",
            "age_to": "9",
        },
    )
    page = logged_in.get(url)
    diary = page.context["diary"]
    column = [code for code, _label in diary.columns].index("offsite_visits")
    assert diary.totals[column] == 10
    band_row = dict(diary.by_band)
    assert 10 in next(v for k, v in band_row.items() if "внестационарных" in str(k))
    assert DiaryEntry.objects.count() == 2


def test_the_dashboard_draws_a_chart_with_its_data_table(logged_in):
    page = logged_in.get(reverse("reports:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<table" in html
