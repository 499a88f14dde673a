"""Library rules of lending, driven by rows: which matrix row applies, what a reader's age
allows under the age marks of 436-FZ, and the age bands the statistics count in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from polka.circulation.cache import cache_seconds, cached
from polka.circulation.models import AgeBand, LoanRule
from polka.readers.policies import age_on

# A built-in row for a network that has not filled the matrix yet (the model's defaults).
DEFAULT_RULE = LoanRule()


def _specificity(rule: LoanRule) -> int:
    # Branch outranks category outranks type: 4/2/1 gives the eight patterns a total order.
    return (
        (4 if rule.branch_id is not None else 0)
        + (2 if rule.reader_category_id is not None else 0)
        + (1 if rule.item_type else 0)
    )


def rule_pick(
    rules: Iterable[LoanRule], *, branch_id: int, category: str, item_type: str
) -> LoanRule:
    """The most specific of `rules` matching the three keys, or DEFAULT_RULE."""
    matching = [
        r
        for r in rules
        if r.branch_id in (None, branch_id)
        and r.reader_category_id in (None, category)
        and r.item_type in ("", item_type)
    ]
    if not matching:
        return DEFAULT_RULE
    return max(matching, key=lambda r: (_specificity(r), -r.pk if r.pk else 0))


def rule_for(*, branch_id: int, category: str, item_type: str) -> LoanRule:
    """The matrix row for lending an `item_type` copy at a branch to a reader of `category`:
    the few candidate rows in one query, or none while the matrix is cached (cache.py)."""
    if cache_seconds() > 0:
        rows: Iterable[LoanRule] = cached("loan-rules", lambda: list(LoanRule.objects.all()))
    else:
        rows = LoanRule.objects.filter(
            Q(branch_id=branch_id) | Q(branch__isnull=True),
            Q(reader_category_id=category) | Q(reader_category__isnull=True),
            item_type__in=["", item_type],
        )
    return rule_pick(rows, branch_id=branch_id, category=category, item_type=item_type)


def age_mark_minimum(mark: str) -> int:
    """ "16+" → 16; no mark → 0."""
    digits = mark.rstrip("+")
    return int(digits) if digits.isdigit() else 0


def age_mark_refuses(*, mark: str, birth_date: dt.date | None, on: dt.date) -> int | None:
    """The reader's age when the mark is above it, else None (no birth date: not checked)."""
    if not mark or birth_date is None:
        return None
    age = age_on(birth_date=birth_date, on=on)
    return age if age < age_mark_minimum(mark) else None


def age_band(*, birth_date: dt.date | None, on: dt.date) -> str:
    if birth_date is None:
        return AgeBand.UNKNOWN
    age = age_on(birth_date=birth_date, on=on)
    if age <= 14:
        return AgeBand.CHILD
    if age <= 30:
        return AgeBand.YOUTH
    return AgeBand.ADULT
