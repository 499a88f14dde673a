"""Login guessing is throttled per username across addresses and per address across
usernames; an administrator can lift a lockout, and failures, lockouts and unlocks are audited
(issue 15, defect 2)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from polka.org import services
from polka.org.errors import NotPermitted
from polka.org.models import AuditEntry, Role

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def person():
    return get_user_model().objects.create_user("ivanova", password=PASSWORD)


def login(client: Client, password: str, *, username: str = "ivanova", ip: str = "198.51.100.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_a_lockout_holds_from_every_address(client, person):
    for _ in range(5):
        login(client, "wrong-password", ip="198.51.100.1")
    response = login(Client(), PASSWORD, ip="198.51.100.2")
    assert response.status_code == 429
    assert "через 15 минут" in response.content.decode()


def test_guessing_one_username_from_many_addresses_is_throttled(client, person):
    codes = [login(client, "wrong-password", ip=f"203.0.113.{n}").status_code for n in range(30)]
    assert codes[:4] == [200] * 4  # the fifth failure locks the username out
    assert set(codes[4:]) == {429}
    assert login(client, PASSWORD, ip="203.0.113.100").status_code == 429


def test_guessing_many_usernames_from_one_address_is_throttled(client, person):
    codes = [login(client, "wrong", username=f"user{n % 12}").status_code for n in range(48)]
    assert codes[:19] == [200] * 19
    assert set(codes[19:]) == {429}
    # the address is locked for every account, the account itself is not
    assert login(client, PASSWORD).status_code == 429
    assert login(Client(), PASSWORD, ip="198.51.100.7").status_code == 302


def test_a_success_clears_only_its_own_failures(client, person):
    get_user_model().objects.create_user("petrov", password=PASSWORD)
    for n in range(4):
        login(client, "wrong-password", ip=f"203.0.113.{n}")
    assert login(Client(), PASSWORD, username="petrov", ip="203.0.113.0").status_code == 302
    # petrov's success from an address did not wipe the failures counted against ivanova
    assert login(client, "wrong-password", ip="203.0.113.50").status_code == 429


def test_four_failures_then_the_right_password_log_in(client, person):
    for _ in range(4):
        assert login(client, "wrong-password").status_code == 200
    assert login(client, PASSWORD).status_code == 302


def test_an_administrator_lifts_a_lockout_and_the_log_tells_the_story(client, person, branch_a):
    admin, _ = services.staff_user_create(
        username="admin", roles={Role.ADMINISTRATOR: "all"}, at=timezone.now()
    )
    for _ in range(5):
        login(client, "wrong-password")
    assert login(client, PASSWORD).status_code == 429
    services.signin_unlock(username="Ivanova", by=admin, at=timezone.now())
    assert login(client, PASSWORD).status_code == 302
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions.count("signin_failed") >= 5
    assert "signin_locked" in actions
    unlock = AuditEntry.objects.get(action="signin_unlock")
    assert (unlock.actor, unlock.details["username"]) == (admin, "Ivanova")


def test_only_a_network_administrator_may_unlock(branch_a):
    desk, _ = services.staff_user_create(
        username="desk", roles={Role.DESK: [branch_a]}, at=timezone.now()
    )
    with pytest.raises(NotPermitted):
        services.signin_unlock(username="ivanova", by=desk, at=timezone.now())


def test_the_unlock_command_clears_an_address(client, person, capsys):
    for n in range(20):
        login(client, "wrong", username=f"user{n}")
    assert login(client, PASSWORD).status_code == 429
    call_command("unlock_login", ip="198.51.100.1")
    assert "unlocked" in capsys.readouterr().out
    assert login(client, PASSWORD).status_code == 302


def test_the_admin_lists_lockouts_and_deleting_one_unlocks(client, person, branch_a):
    admin, _ = services.staff_user_create(
        username="admin", roles={Role.ADMINISTRATOR: "all"}, at=timezone.now()
    )
    for _ in range(5):
        login(Client(), "wrong-password", ip="203.0.113.9")
    client.force_login(admin)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "ivanova" in listing.content.decode()
    from axes.models import AccessAttempt

    row = AccessAttempt.objects.get()
    client.post(reverse("admin:axes_accessattempt_delete", args=[row.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    assert AuditEntry.objects.filter(action="signin_unlock", actor=admin).exists()
