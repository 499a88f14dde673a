"""The staff page of a reader's API tokens: issued once on screen, listed, revoked; scoped to
the staff member's branches like the reader's record."""

import re

import pytest
from django.test import Client

from polka.api.models import ApiToken
from polka.org.models import AuditEntry

pytestmark = pytest.mark.django_db


def page(reader):
    return f"/staff/api/readers/{reader.pk}/tokens/"


def test_desk_issues_a_token_shown_once_that_the_readers_app_uses_then_revokes_it(
    client, reader, desk_a
):
    client.force_login(desk_a)
    assert "Ключей нет" in client.get(page(reader)).content.decode()
    issued = client.post(page(reader), {"action": "issue", "name": "телефон"}).content.decode()
    key = re.search(r'<code id="issued-key">(polka_[^<]+)</code>', issued).group(1)
    app = Client()
    assert app.get("/api/v1/me/loans", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    listed = client.get(page(reader)).content.decode()
    assert "телефон" in listed and key not in listed
    token = ApiToken.objects.get()
    assert token.user_id == type(reader).objects.get(pk=reader.pk).user_id
    client.post(page(reader), {"action": "revoke", "token": token.pk})
    assert app.get("/api/v1/me/loans", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"api.token_issue", "api.token_revoke"} <= actions


def test_another_branchs_desk_can_neither_see_nor_issue_nor_revoke(client, reader, desk_b):
    client.force_login(desk_b)
    assert client.get(page(reader)).status_code == 403
    assert client.post(page(reader), {"action": "issue"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_a_token_of_another_reader_is_not_revoked_from_this_page(
    client, reader, other_reader, desk_a
):
    client.force_login(desk_a)
    client.post(page(other_reader), {"action": "issue"})
    other = ApiToken.objects.get()
    client.post(page(reader), {"action": "revoke", "token": other.pk})
    other.refresh_from_db()
    assert other.revoked_at is None
