"""TEMPORARY stand-ins for org and catalogue services that are not on main yet.

Each function here is called by the generator exactly where the real service will be called;
when the service lands on main, the call site switches to it and the stand-in is deleted.
Nothing here re-implements the services' rules: rows are written plainly, as the contract
models on main describe them.
"""

from __future__ import annotations

import datetime as dt
import secrets
import string
from decimal import Decimal
from typing import Any

from polka.accounts.models import User
from polka.catalog.models import Item, Record
from polka.org.models import Branch, CalendarException, Network, OpeningHours, StaffRole


def network_create(**fields: Any) -> Network:  # TEMPORARY: org service
    return Network.objects.create(**fields)


def branch_create(*, network: Network, **fields: Any) -> Branch:  # TEMPORARY: org service
    return Branch.objects.create(network=network, **fields)


def opening_hours_set(  # TEMPORARY: org.services.opening_hours_set
    *, branch: Branch, hours: dict[int, tuple[dt.time, dt.time]]
) -> None:
    OpeningHours.objects.bulk_create(
        OpeningHours(branch=branch, weekday=day, opens=opens, closes=closes)
        for day, (opens, closes) in hours.items()
    )


def closed_day_add(*, branch: Branch, date: dt.date, reason: str) -> None:  # TEMPORARY: org
    CalendarException.objects.create(branch=branch, date=date, is_open=False, reason=reason)


def network_holidays_load(*, year: int, at: dt.datetime) -> None:  # TEMPORARY: org service
    """No-op until org's holiday calendar lands; the demo then gets the real holidays."""


def branch_is_open(*, branch: Branch, on: dt.date) -> bool:  # TEMPORARY: org calendar
    return not CalendarException.objects.filter(
        date=on, is_open=False, branch__in=[branch.pk, None]
    ).exists() and OpeningHours.objects.filter(branch=branch, weekday=on.weekday()).exists()


def _password_new() -> str:  # TEMPORARY: org generates passwords in staff_user_create
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(16))


def staff_password_reset(*, user: User) -> str:  # TEMPORARY: org service
    password = _password_new()
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


def staff_user_create(  # TEMPORARY: org.services.staff_user_create
    *,
    username: str,
    email: str,
    full_name: str,
    roles: list[tuple[str, list[Branch]]],
    at: dt.datetime,
) -> tuple[User, str]:
    password = _password_new()
    last, first, *_ = [*full_name.split(), ""]
    user = User.objects.create_user(username=username, email=email, password=password,
                                    first_name=first, last_name=last)
    for role, branches in roles:
        staff_role = StaffRole.objects.create(user=user, role=role, all_branches=not branches)
        staff_role.branches.set(branches)
    return user, password


def record_create(*, book: Any, flavour: str, at: dt.datetime) -> Record:  # TEMPORARY: catalog
    """Stores the planned facts directly until catalog.services.record_create maps the MARC."""
    return Record.objects.create(
        format=flavour, source=b"", control_number=book.control_number, title=book.title,
        remainder_of_title=book.remainder, publisher=book.publisher, place=book.place,
        year=book.year, isbns=[book.isbn.replace("-", "")] if book.isbn else [],
        responsibility=", ".join(a.short for a in book.authors), series=book.series,
        subjects=list(book.subjects), udc=book.udc, bbk=book.bbk, author_mark=book.author_mark,
        annotation=book.annotation, age_mark=book.age_mark, languages=[book.language],
        created_at=at, updated_at=at,
    )


def item_add(  # TEMPORARY: catalog.services.item_add
    *, record: Record, branch: Branch, barcode: str, inventory_number: str, shelf_mark: str,
    item_type: str, price: Decimal, acquired_on: dt.date, status: str,
) -> Item:
    return Item.objects.create(
        record=record, branch=branch, barcode=barcode, inventory_number=inventory_number,
        shelf_mark=shelf_mark, item_type=item_type, price=price, acquired_on=acquired_on,
        status=status,
    )
