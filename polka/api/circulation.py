"""Circulation in the JSON API: a record's availability per branch, open to anyone."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from polka.catalog.models import Record
from polka.circulation.selectors import record_availability

router = Router(tags=["circulation"])


class BranchAvailabilityOut(Schema):
    branch: str
    name: str
    on_shelf: int
    on_loan: int
    next_due: dt.date | None
    elsewhere: int


class AvailabilityOut(Schema):
    record: int
    available: bool
    holds_waiting: int
    branches: list[BranchAvailabilityOut]


@router.get("/records/{record_id}/availability", response=AvailabilityOut)
def availability(request: HttpRequest, record_id: int) -> AvailabilityOut:
    """Per branch: copies on the shelf, on loan (with the nearest due date), and otherwise
    away (in transit, on a hold shelf, in processing); and the holds waiting for the record."""
    found = record_availability(record=get_object_or_404(Record, pk=record_id))
    return AvailabilityOut(
        record=found.record_id,
        available=any(b.on_shelf for b in found.branches),
        holds_waiting=found.holds_waiting,
        branches=[
            BranchAvailabilityOut(
                branch=b.branch_code,
                name=b.branch_name,
                on_shelf=b.on_shelf,
                on_loan=b.on_loan,
                next_due=b.next_due,
                elsewhere=b.other,
            )
            for b in found.branches
        ],
    )
