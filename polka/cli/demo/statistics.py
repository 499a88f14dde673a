"""Demo data for the statistics: a year of activity through the services, so that a newcomer
opens form 6-НК, the diary and the dashboard already filled.

    from polka.cli.demo.statistics import load
    load(year=2025)          # in the demo, after branches and staff exist
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from polka.org.models import Branch, Role
from polka.org.services import staff_user_create
from polka.statistics.activity import Log, year_of_activity
from polka.statistics.rollup import SETTLE, facts_roll_up


def load(*, year: int | None = None, scale: int = 1) -> Log:
    """Last year in full and this year so far (or the one `year`) in every active branch; the
    facts are then summed ahead as the first report would."""
    today = timezone.localdate()
    branches = list(Branch.objects.order_by("pk"))
    by, _password = staff_user_create(
        username=f"demo-statistics-{today:%Y%m%d}",
        roles={Role.ADMINISTRATOR: "all"},
        at=timezone.now(),
    )
    log = Log()
    years = [year] if year is not None else [today.year - 1, today.year]
    for one in years:
        until = today - dt.timedelta(days=1) if one == today.year else None
        if until is not None and until.year != one:
            continue  # the first of January: nothing of this year yet
        part = year_of_activity(
            branches=branches, year=one, by=by, scale=scale, until=until, seed=one
        )
        log.done.update(part.done)
        log.holdings.update(part.holdings)
    now = timezone.now()
    facts_roll_up(now=now - SETTLE)
    facts_roll_up(now=now)
    return log
