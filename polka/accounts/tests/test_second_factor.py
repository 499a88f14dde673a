"""Staff turn on a second factor (TOTP); then every login, the admin's too, needs the code
(issue 15, defect 2)."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from polka.org import services
from polka.org.errors import NotPermitted
from polka.org.models import AuditEntry, Role

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def code(device: TOTPDevice, step: int = 0) -> str:
    """The app's code now, or `step` periods ahead (a code is accepted once: no replay)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + step * device.step
    return f"{totp.token():06d}"


@pytest.fixture(autouse=True)
def _no_throttle_delay(settings):
    # django-otp waits 1 s, 2 s, 4 s ... after each wrong code; the tests do not wait.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def desk(branch_a):
    user, _ = services.staff_user_create(
        username="desk", password=PASSWORD, roles={Role.DESK: [branch_a]}, at=timezone.now()
    )
    return user


def login(client, **extra):
    data = {"username": "desk", "password": PASSWORD, **extra}
    return client.post(reverse("accounts:login"), data)


def turn_on(client, desk) -> TOTPDevice:
    client.force_login(desk)
    page = client.get(reverse("web:staff-two-factor"))
    assert "Открыть в приложении" in page.content.decode()
    device = TOTPDevice.objects.get(user=desk)
    response = client.post(
        reverse("web:staff-two-factor"), {"action": "confirm", "token": code(device)}
    )
    assert response.status_code == 302
    client.logout()
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_without_a_second_factor_the_password_is_enough(client, desk):
    assert login(client).status_code == 302


def test_once_on_the_login_needs_the_code(client, desk):
    device = turn_on(client, desk)
    refused = login(client)
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert "код подтверждения" in refused.content.decode().lower()
    wrong = "000000" if code(device, 1) != "000000" else "111111"
    assert login(client, otp_token=wrong).status_code == 200
    assert "_auth_user_id" not in client.session
    assert login(client, otp_token=code(device, 1)).status_code == 302
    assert AuditEntry.objects.filter(action="staff_totp_on", actor=desk).exists()


def test_the_admin_login_goes_through_the_same_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_wrong_code_does_not_turn_it_on(client, desk):
    client.force_login(desk)
    client.get(reverse("web:staff-two-factor"))
    client.post(reverse("web:staff-two-factor"), {"action": "confirm", "token": "12"})
    assert not TOTPDevice.objects.filter(user=desk, confirmed=True).exists()
    # the key shown again is the same one the app was given
    assert TOTPDevice.objects.filter(user=desk).count() == 1


def test_the_owner_turns_it_off_with_a_code_and_an_administrator_without(client, desk, branch_b):
    device = turn_on(client, desk)
    at = timezone.now()
    assert not services.staff_totp_disable(user=desk, token="x", by=desk, at=at)
    assert services.staff_totp_disable(user=desk, token=code(device, 1), by=desk, at=at)
    device = turn_on(client, desk)
    other_branch_admin, _ = services.staff_user_create(
        username="admin-b", roles={Role.ADMINISTRATOR: [branch_b]}, at=at
    )
    with pytest.raises(NotPermitted):
        services.staff_totp_disable(user=desk, token="", by=other_branch_admin, at=at)
    admin, _ = services.staff_user_create(
        username="admin", roles={Role.ADMINISTRATOR: "all"}, at=at
    )
    assert services.staff_totp_disable(user=desk, token="", by=admin, at=at)
    assert login(client).status_code == 302


def test_readers_accounts_have_no_second_factor_page(client, django_user_model):
    reader = django_user_model.objects.create_user("reader", password=PASSWORD)
    client.force_login(reader)
    assert client.get(reverse("web:staff-two-factor")).status_code == 403
