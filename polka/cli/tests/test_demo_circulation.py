"""The demo's circulation (polka/cli/demo/circulation.py): made through the services."""

import pytest
from django.utils import timezone

from polka.circulation.models import Hold, Loan, LoanRule, Transit
from polka.cli.tests.test_demo_command import demo

pytestmark = pytest.mark.django_db


def test_demo_lends_holds_and_sends_a_copy_in_transit():
    demo()
    today = timezone.localdate()
    assert LoanRule.objects.count() >= 3
    active = Loan.objects.filter(state="active")
    assert active.count() >= 20
    assert active.filter(due_on__lt=today).exists(), "some loans are overdue"
    states = set(Hold.objects.values_list("state", flat=True))
    assert {"waiting", "cancelled"} <= states and states & {"ready", "in_transit"}
    assert Hold.objects.filter(suspended_until__isnull=False).exists()
    assert Transit.objects.exists() or "ready" in states
