"""The e-library staff page serves the desk's own branches: another branch's readers' access
requests are neither listed nor handled there (issue 15, defect 1)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from polka.elibrary import selectors, services
from polka.elibrary.models import AccessState, Platform, PlatformLogin
from polka.org.errors import NotPermitted
from polka.org.models import Role
from polka.org.services import staff_user_create
from polka.readers.services import CONSENT_PERSONAL_DATA, reader_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform():
    return Platform.objects.create(slug="litres", name="ЛитРес", site_url="https://p.example/")


def _reader(branch, card, last_name):
    return reader_register(
        last_name=last_name, first_name="Мария", home_branch=branch,
        email=f"{card}@example.org", consents=[CONSENT_PERSONAL_DATA],
        at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def requests_of_both_branches(branch_a, branch_b, platform):
    now = timezone.now()
    a = services.access_request(platform=platform, reader=_reader(branch_a, "A-1", "Алина"), at=now)
    b = services.access_request(
        platform=platform, reader=_reader(branch_b, "B-1", "Борисова"), at=now
    )
    return a, b


@pytest.fixture
def desk_b(branch_b):
    user, _ = staff_user_create(
        username="abonement-b", roles={Role.DESK: [branch_b]}, at=timezone.now()
    )
    return user


def test_a_branch_desk_sees_only_its_own_readers_access_requests(
    client, desk_b, requests_of_both_branches
):
    client.force_login(desk_b)
    page = client.get(reverse("elibrary:staff")).content.decode()
    assert "Борисова" in page
    assert "Алина" not in page
    _other, own = requests_of_both_branches
    assert [a.reader.card_number for a in selectors.access_requests_open(user=desk_b)] == [
        own.reader.card_number
    ]


@pytest.mark.parametrize("action", ["issue", "refuse", "revoke"])
def test_a_branch_desk_cannot_handle_another_branchs_request(
    client, desk_b, requests_of_both_branches, action
):
    other, _ = requests_of_both_branches
    client.force_login(desk_b)
    response = client.post(
        reverse("elibrary:staff-access", args=[other.pk]), {"action": action, "login": "x-1"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert (other.state, other.login, other.issued_by_id, other.revoked_at) == (
        AccessState.REQUESTED, "", None, None,
    )  # fmt: skip


def test_the_services_refuse_another_branchs_reader_too(desk_b, requests_of_both_branches):
    other, own = requests_of_both_branches
    now = timezone.now()
    with pytest.raises(NotPermitted):
        services.login_issue(access=other, login="x-1", by=desk_b, at=now)
    with pytest.raises(NotPermitted):
        services.login_refuse(access=other, by=desk_b, at=now)
    with pytest.raises(NotPermitted):
        services.login_revoke(access=other, by=desk_b, at=now)
    issued = services.login_issue(access=own, login="b-1", by=desk_b, at=now)
    assert issued.issued_by == desk_b
    assert PlatformLogin.objects.get(pk=other.pk).state == AccessState.REQUESTED


def test_a_network_wide_role_sees_every_branch(requests_of_both_branches):
    admin, _ = staff_user_create(
        username="admin", roles={Role.ADMINISTRATOR: "all"}, at=timezone.now()
    )
    assert selectors.access_requests_open(user=admin).count() == 2
