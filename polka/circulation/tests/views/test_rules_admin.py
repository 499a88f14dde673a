import pytest
from django.utils import timezone

from polka.circulation.models import Event, LoanRule
from polka.org import services as org
from polka.org.models import Role

pytestmark = pytest.mark.django_db


def test_a_manager_edits_the_rules_matrix_and_a_desk_cannot(client, branch_a, desk_a):
    manager, _ = org.staff_user_create(
        username="manager", roles={Role.MANAGER: "all"}, at=timezone.now()
    )
    client.force_login(desk_a)
    assert client.get("/circulation/rules/").status_code == 403
    client.force_login(manager)
    assert "/circulation/rules/" in client.get("/staff/").content.decode()
    response = client.post(
        "/circulation/rules/new/",
        {
            "branch": branch_a.pk, "reader_category": "child", "item_type": "",
            "loan_days": 14, "max_loans": 5, "renewals": 1, "renewal_days": 7,
            "holds_allowed": "on", "max_holds": 3, "hold_shelf_days": 5,
            "block_lost": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    rule = LoanRule.objects.get()
    assert rule.loan_days == 14 and Event.objects.get().action == "rule_saved"
    page = client.get("/circulation/rules/").content.decode()
    assert "Центральная библиотека × child × все типы" in page
    client.post(f"/circulation/rules/{rule.pk}/delete/")
    assert not LoanRule.objects.exists()
