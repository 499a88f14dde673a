"""Changes the statistics make: hand entries in the diary and hand-entered cells of form 6-НК.
Both only ever add rows: a correction is a new entry, so a filed year can be reproduced."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from polka.org.models import Branch
from polka.org.policies import staff_require
from polka.statistics import form6nk
from polka.statistics.errors import CellUnknown, EntryInvalid
from polka.statistics.models import DiaryEntry, FormValue, Indicator

AnyUser = AbstractBaseUser | AnonymousUser
REPORTS = "reports.view"


def _aware(at: dt.datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("aware datetimes only")


def diary_entry_add(
    *,
    branch: Branch,
    on: dt.date,
    indicator: str,
    count: int,
    by: AnyUser,
    at: dt.datetime,
    age_from: int | None = None,
    age_to: int | None = None,
    note: str = "",
    corrects: DiaryEntry | None = None,
) -> DiaryEntry:
    """Add what the system cannot see to a day of a branch (visitors counted by hand, a mobile
    library stop). `corrects` names the entry a correction amends; the count may then be
    negative."""
    _aware(at)
    staff_require(user=by, action=REPORTS, branch=branch)
    if indicator not in Indicator.values:
        raise EntryInvalid(_("неизвестный показатель"))
    if on > at.date() + dt.timedelta(days=1):
        raise EntryInvalid(_("день ещё не наступил"))
    if count < 0 and corrects is None:
        raise EntryInvalid(_("отрицательное число — только как исправление записи"))
    if age_from is not None and age_to is not None and age_to < age_from:
        raise EntryInvalid(_("возраст «до» меньше возраста «от»"))
    if corrects is not None and (
        corrects.branch_id != branch.pk or corrects.indicator != indicator
    ):
        raise EntryInvalid(_("исправление относится к другой библиотеке или показателю"))
    with transaction.atomic():
        return DiaryEntry.objects.create(
            branch=branch,
            on=on,
            indicator=indicator,
            count=count,
            age_from=age_from,
            age_to=age_to,
            note=note[:300],
            corrects=corrects,
            by_id=by.pk if by.is_authenticated else None,
            at=at,
        )


def form_values_save(
    *,
    year: int,
    branch: Branch | None,
    values: Mapping[str, Decimal | None],
    by: AnyUser,
    at: dt.datetime,
) -> list[FormValue]:
    """Record the hand-entered cells of a year's form; an unchanged value adds no row."""
    _aware(at)
    if branch is None:
        staff_require(user=by, action=REPORTS, network_wide=True)
    else:
        staff_require(user=by, action=REPORTS, branch=branch)
    unknown = set(values) - set(form6nk.HAND_CODES)
    if unknown:
        raise CellUnknown(sorted(unknown)[0])
    with transaction.atomic():
        current: dict[str, Decimal] = {}
        for code, value in (
            FormValue.objects.filter(year=year, branch=branch)
            .order_by("at", "pk")
            .values_list("code", "value")
        ):
            current[code] = value
        added = [
            FormValue(
                year=year,
                branch=branch,
                code=code,
                value=value,
                by_id=by.pk if by.is_authenticated else None,
                at=at,
            )
            for code, value in values.items()
            if value is not None and current.get(code) != value
        ]
        return FormValue.objects.bulk_create(added)
