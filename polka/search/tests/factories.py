"""Test records for search, written through the ORM until catalogue services land on main."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import connection, transaction

from polka.catalog.models import Item, ItemStatus, Person, Record, RecordAuthor
from polka.catalog.works import work_key
from polka.org.models import Branch, BranchKind, Network
from polka.search.indexing import index_records

AT = dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC)
_numbers = itertools.count(1)


def make_branch(code: str = "central", name: str = "Центральная библиотека") -> Branch:
    network = Network.objects.first() or Network.objects.create(name="ЦБС")
    branch, _ = Branch.objects.get_or_create(
        code=code, defaults={"network": network, "name": name, "kind": BranchKind.CENTRAL}
    )
    return branch


@transaction.atomic
def make_record(
    title: str,
    *,
    authors: tuple[str, ...] = (),
    subjects: tuple[str, ...] = (),
    year: int | None = None,
    isbns: tuple[str, ...] = (),
    annotation: str = "",
    languages: tuple[str, ...] = ("rus",),
    material_type: str = "book",
    age_mark: str = "",
    copies: tuple[tuple[str, str], ...] = (),  # (branch code, status)
    index: bool = True,
    publisher: str = "",
    uniform_title: str = "",
) -> Record:
    number = next(_numbers)
    record = Record.objects.create(
        format="marc21", source=b"", control_number=f"T{number:06d}", title=title, year=year,
        isbns=list(isbns), subjects=list(subjects), annotation=annotation,
        languages=list(languages), material_type=material_type, age_mark=age_mark,
        publisher=publisher, created_at=AT, updated_at=AT,
        # as the catalogue services compute it from the mapping
        work_key=work_key(
            title=title, uniform_title=uniform_title, author=authors[0] if authors else ""
        ),
    )  # fmt: skip
    for position, name in enumerate(authors):
        person, _ = Person.objects.get_or_create(name=name)
        RecordAuthor.objects.create(record=record, person=person, position=position)
    for copy_number, (branch_code, status) in enumerate(copies):
        Item.objects.create(
            record=record, branch=make_branch(branch_code, branch_code.title()),
            barcode=f"{number:06d}{copy_number:02d}", status=status, shelf_mark="84(2)",
        )  # fmt: skip
    if index:
        index_records([record.id])
    return record


ON_SHELF = ItemStatus.AVAILABLE.value
ON_LOAN = ItemStatus.ON_LOAN.value


class MigrationEditor:
    """What the search migrations' functions use of a schema editor (outside Django's, which
    SQLite will not open inside the test's transaction)."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)
