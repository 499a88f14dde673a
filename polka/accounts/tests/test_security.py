"""Passwords, login throttling, CSRF and session cookies, checked through the real login page."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from config.settings import base

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.fixture
def person():
    return get_user_model().objects.create_user("ivanova", password=PASSWORD)


def login(client, password, username="ivanova"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_base_settings_hash_passwords_with_argon2_first():
    assert base.PASSWORD_HASHERS[0] == ARGON2


@override_settings(PASSWORD_HASHERS=[ARGON2])
def test_a_user_created_under_the_base_hasher_gets_an_argon2_hash():
    user = get_user_model().objects.create_user("argon", password=PASSWORD)
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


def test_a_correct_password_logs_in(client, person):
    response = login(client, PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_five_failures_lock_the_account_out_even_for_the_right_password(client, person):
    for _ in range(5):
        response = login(client, "wrong-password")
    assert response.status_code == 429
    response = login(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Вход временно заблокирован" in response.content.decode()


def test_four_failures_do_not_lock_the_account_out(client, person):
    for _ in range(4):
        assert login(client, "wrong-password").status_code == 200
    assert login(client, PASSWORD).status_code == 302


def test_the_login_post_is_refused_without_a_csrf_token(person):
    client = Client(enforce_csrf_checks=True)
    assert login(client, PASSWORD).status_code == 403
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"username": "ivanova", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_the_session_cookie_is_http_only(client, person):
    response = login(client, PASSWORD)
    assert response.cookies["sessionid"]["httponly"] is True
    assert response.cookies["sessionid"]["samesite"] == "Lax"


def test_logging_in_sends_staff_to_the_staff_area(client, branch_a):
    from polka.org import services
    from polka.org.models import Role
    from polka.org.testing import AT

    services.staff_user_create(
        username="desk", password=PASSWORD, roles={Role.DESK: [branch_a]}, at=AT
    )
    response = login(client, PASSWORD, username="desk")
    assert response["Location"] == "/staff/"
