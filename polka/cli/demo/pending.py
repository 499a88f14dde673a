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
from typing import Any

from polka.accounts.models import User
from polka.catalog.models import Item, Record
from polka.org.models import Branch


def _password_new() -> str:  # TEMPORARY: org generates passwords in staff_user_create
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(16))


def staff_password_reset(*, user: User) -> str:  # TEMPORARY: org service
    password = _password_new()
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


def records_store(  # TEMPORARY: catalog.services.records_store, once MARC mapping is on main
    *, batch: list[Any], branches: dict[str, Branch], at: dt.datetime
) -> None:
    """Stores the planned facts directly until catalogue services can map the MARC."""
    records = Record.objects.bulk_create(
        [
            Record(
                format=plan.flavour,
                source=b"",
                control_number=plan.book.control_number,
                title=plan.book.title,
                remainder_of_title=plan.book.remainder,
                publisher=plan.book.publisher,
                place=plan.book.place,
                year=plan.book.year,
                isbns=[plan.book.isbn.replace("-", "")] if plan.book.isbn else [],
                responsibility=", ".join(a.short for a in plan.book.authors),
                series=plan.book.series,
                subjects=list(plan.book.subjects),
                udc=plan.book.udc,
                bbk=plan.book.bbk,
                author_mark=plan.book.author_mark,
                annotation=plan.book.annotation,
                age_mark=plan.book.age_mark,
                languages=[plan.book.language],
                created_at=at,
                updated_at=at,
            )
            for plan in batch
        ]
    )
    Item.objects.bulk_create(
        [
            Item(
                record=record,
                branch=branches[item.branch_code],
                barcode=item.barcode,
                inventory_number=item.inventory_number,
                shelf_mark=item.shelf_mark,
                item_type=item.item_type,
                price=item.price,
                acquired_on=item.acquired_on,
                status=item.status,
                created_at=at,
            )
            for record, plan in zip(records, batch, strict=True)
            for item in plan.items
        ]
    )
