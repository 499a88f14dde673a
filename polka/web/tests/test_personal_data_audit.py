"""Every view of readers' personal data on a staff page is in the audit log, with whom it
showed, for an administrator to read (issue 15)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polka.org.models import AuditEntry, Role
from polka.org.services import personal_data_viewed, staff_user_create
from polka.readers.models import Reader
from polka.web.tests.test_authorisation_sweep import AT, elibrary_cases, reference_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def librarian_b(client, branch_a, branch_b):
    user, _ = staff_user_create(username="lib-b", roles={Role.ADMINISTRATOR: [branch_b]}, at=AT)
    client.force_login(user)
    return user


def views_of(page: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="personal_data_view", object_repr=page))


def test_the_elibrary_staff_page_logs_whose_requests_it_showed(
    client, librarian_b, branch_a, branch_b
):
    elibrary_cases(branch_a, branch_b)
    assert client.get(reverse("elibrary:staff")).status_code == 200
    (entry,) = views_of("elibrary.staff")
    assert entry.actor == librarian_b
    reader = Reader.objects.get(last_name="Чужакова")
    assert entry.details["subjects"] == [reader.card_number]


def test_a_reference_question_page_logs_the_asker(client, librarian_b, branch_a, branch_b):
    cases = reference_cases(branch_a, branch_b)
    question_id = next(c.kwargs["question_id"] for c in cases if c.kwargs)
    url = reverse("reference:staff-question", kwargs={"question_id": question_id})
    assert client.get(url).status_code == 200
    (entry,) = views_of("reference.question")
    assert (entry.actor, entry.branch, entry.details["subjects"]) == (
        librarian_b, branch_b, [f"question {question_id}"],
    )  # fmt: skip


def test_a_page_that_showed_nobody_logs_nothing(branch_a):
    personal_data_viewed(by=None, page="x", subjects=[], at=AT)  # type: ignore[arg-type]
    assert not AuditEntry.objects.filter(action="personal_data_view").exists()


def test_administrators_read_the_log_in_the_admin(client, branch_a, branch_b):
    admin, _ = staff_user_create(username="root", roles={Role.ADMINISTRATOR: "all"}, at=AT)
    client.force_login(admin)
    elibrary_cases(branch_a, branch_b)
    client.get(reverse("elibrary:staff"))
    listing = client.get(
        reverse("admin:org_auditentry_changelist"), {"action": "personal_data_view"}
    )
    assert listing.status_code == 200 and "elibrary.staff" in listing.content.decode()
