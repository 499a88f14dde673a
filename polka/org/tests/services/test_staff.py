import pytest

from polka.org import services
from polka.org.errors import InvalidStaffAccount, NotPermitted
from polka.org.models import AuditEntry, Role, StaffRole
from polka.org.policies import staff_can
from polka.org.testing import AT

pytestmark = pytest.mark.django_db


def test_staff_user_create_generates_a_strong_password_that_logs_in(branch_a):
    user, password = services.staff_user_create(
        username="ivanova", full_name="Иванова Мария Петровна", roles={Role.DESK: [branch_a]}, at=AT
    )
    assert len(password) >= 20
    assert password not in user.password
    assert user.check_password(password)
    assert user.get_full_name() == "Иванова Мария Петровна"
    assert not user.is_staff  # only administrators enter Django admin


def test_two_generated_passwords_differ(branch_a):
    _u1, first = services.staff_user_create(username="one", roles={Role.DESK: "all"}, at=AT)
    _u2, second = services.staff_user_create(username="two", roles={Role.DESK: "all"}, at=AT)
    assert first != second


def test_a_weak_given_password_is_refused(branch_a):
    with pytest.raises(InvalidStaffAccount):
        services.staff_user_create(
            username="weak", password="12345", roles={Role.DESK: [branch_a]}, at=AT
        )


def test_a_taken_username_and_an_unknown_role_are_refused(branch_a):
    services.staff_user_create(username="desk", roles={Role.DESK: [branch_a]}, at=AT)
    with pytest.raises(InvalidStaffAccount):
        services.staff_user_create(username="DESK", roles={Role.DESK: [branch_a]}, at=AT)
    with pytest.raises(InvalidStaffAccount):
        services.staff_user_create(username="x", roles={"janitor": [branch_a]}, at=AT)


def test_a_branch_administrator_grants_roles_in_their_branch_only(branch_a, branch_b):
    admin_a, _ = services.staff_user_create(
        username="admin_a", roles={Role.ADMINISTRATOR: [branch_a]}, at=AT
    )
    desk, _ = services.staff_user_create(
        username="desk", roles={Role.DESK: [branch_a]}, by=admin_a, at=AT
    )
    services.staff_role_grant(
        user=desk, role=Role.REFERENCE, branches=[branch_a], by=admin_a, at=AT
    )
    with pytest.raises(NotPermitted):
        services.staff_role_grant(user=desk, role=Role.DESK, branches=[branch_b], by=admin_a, at=AT)
    with pytest.raises(NotPermitted):
        services.staff_role_grant(user=desk, role=Role.DESK, branches="all", by=admin_a, at=AT)
    assert AuditEntry.objects.filter(action="staff_role_grant", actor=admin_a).count() == 1


def test_grant_adds_branches_and_revoke_removes_them_until_the_role_is_gone(branch_a, branch_b):
    admin, _ = services.staff_user_create(username="adm", roles={Role.ADMINISTRATOR: "all"}, at=AT)
    desk, _ = services.staff_user_create(username="desk", roles={Role.DESK: [branch_a]}, at=AT)
    services.staff_role_grant(user=desk, role=Role.DESK, branches=[branch_b], by=admin, at=AT)
    assert staff_can(user=desk, action="circulation.checkout", branch=branch_b)
    services.staff_role_revoke(user=desk, role=Role.DESK, branches=[branch_a], by=admin, at=AT)
    assert not staff_can(user=desk, action="circulation.checkout", branch=branch_a)
    assert staff_can(user=desk, action="circulation.checkout", branch=branch_b)
    services.staff_role_revoke(user=desk, role=Role.DESK, branches=[branch_b], by=admin, at=AT)
    assert not StaffRole.objects.filter(user=desk).exists()


def test_revoking_the_administrator_role_closes_django_admin(branch_a):
    admin, _ = services.staff_user_create(username="adm", roles={Role.ADMINISTRATOR: "all"}, at=AT)
    other, _ = services.staff_user_create(username="adm2", roles={Role.ADMINISTRATOR: "all"}, at=AT)
    services.staff_role_revoke(user=other, role=Role.ADMINISTRATOR, by=admin, at=AT)
    other.refresh_from_db()
    assert not other.is_staff


def test_a_desk_librarian_cannot_create_staff(branch_a):
    desk, _ = services.staff_user_create(username="desk", roles={Role.DESK: "all"}, at=AT)
    with pytest.raises(NotPermitted):
        services.staff_user_create(username="x", roles={Role.DESK: [branch_a]}, by=desk, at=AT)


def test_a_role_with_no_branches_is_refused(network):
    with pytest.raises(InvalidStaffAccount):
        services.staff_user_create(username="nobody", roles={Role.DESK: []}, at=AT)


def test_a_password_reset_needs_rights_over_every_role_of_the_person(branch_a, branch_b):
    admin_a, _ = services.staff_user_create(
        username="admin_a", roles={Role.ADMINISTRATOR: [branch_a]}, at=AT
    )
    desk, old = services.staff_user_create(username="desk", roles={Role.DESK: [branch_a]}, at=AT)
    new = services.staff_password_reset(user=desk, by=admin_a, at=AT)
    desk.refresh_from_db()
    assert new != old and desk.check_password(new) and not desk.check_password(old)
    boss, _ = services.staff_user_create(username="boss", roles={Role.MANAGER: "all"}, at=AT)
    with pytest.raises(NotPermitted):
        services.staff_password_reset(user=boss, by=admin_a, at=AT)
