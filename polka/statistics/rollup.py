"""Summing the circulation facts ahead of time (FactTotal), so that a network's year of millions
of facts is counted in well under a second. Facts are never edited, so sums only grow: each
roll-up adds the sums of the facts that came since the previous one. The facts not yet rolled up
are counted live, so a figure is always exact."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Max

from polka.circulation.models import Fact
from polka.statistics.models import FactTotal, RollUpMark

# A fact's id is taken when its transaction begins; one still open may commit an id lower than
# a newer one already seen. Ids seen this long ago are safe to sum.
SETTLE = dt.timedelta(minutes=2)


def rolled_id() -> int:
    mark = RollUpMark.objects.filter(pk=1).values_list("rolled_id", flat=True).first()
    return int(mark or 0)


def facts_roll_up(*, now: dt.datetime, settle: dt.timedelta = SETTLE) -> int:
    """Sum the settled facts not yet summed; returns how many facts were rolled up."""
    with transaction.atomic():
        mark, _created = RollUpMark.objects.select_for_update().get_or_create(pk=1)
        newest = Fact.objects.aggregate(m=Max("pk"))["m"] or 0
        done = 0
        if (
            mark.seen_at is not None
            and now - mark.seen_at >= settle
            and mark.seen_id > mark.rolled_id
        ):
            rows = (
                Fact.objects.filter(pk__gt=mark.rolled_id, pk__lte=mark.seen_id)
                .values("branch_id", "on", "kind", "remote", "age_band")
                .annotate(n=Count("*"))
                .order_by()
            )
            totals = [FactTotal(**row) for row in rows]
            FactTotal.objects.bulk_create(totals, batch_size=5000)
            done = sum(t.n for t in totals)
            mark.rolled_id = mark.seen_id
        if mark.seen_at is None or now - mark.seen_at >= settle:
            mark.seen_id, mark.seen_at = newest, now
        mark.save(update_fields=["rolled_id", "seen_id", "seen_at"])
    return done
