import pytest

from polka.org import services
from polka.org.errors import NotPermitted
from polka.org.models import Role
from polka.org.policies import (
    ACTIONS,
    CAPABILITIES,
    staff_branches,
    staff_can,
    staff_grants,
    staff_require,
)
from polka.org.testing import AT

pytestmark = pytest.mark.django_db


def staff(username, roles):
    user, _password = services.staff_user_create(username=username, roles=roles, at=AT)
    return user


def test_every_role_has_a_capability_row_naming_only_known_actions():
    assert set(CAPABILITIES) == set(Role.values)
    for actions in CAPABILITIES.values():
        assert actions <= set(ACTIONS)


def test_a_desk_librarian_of_branch_a_cannot_check_out_in_branch_b(branch_a, branch_b):
    desk = staff("desk", {Role.DESK: [branch_a]})
    assert staff_can(user=desk, action="circulation.checkout", branch=branch_a)
    assert not staff_can(user=desk, action="circulation.checkout", branch=branch_b)
    assert not staff_can(user=desk, action="catalog.edit", branch=branch_a)


def test_staff_require_raises_not_permitted_with_a_russian_message(branch_a, branch_b):
    desk = staff("desk", {Role.DESK: [branch_a]})
    staff_require(user=desk, action="readers.register", branch=branch_a)
    with pytest.raises(NotPermitted) as error:
        staff_require(user=desk, action="readers.register", branch=branch_b)
    assert "Недостаточно прав" in str(error.value)
    assert error.value.branch_code == "b"


def test_an_all_branches_manager_can_view_reports_everywhere_but_not_configure(branch_a, branch_b):
    manager = staff("boss", {Role.MANAGER: "all"})
    for branch in (branch_a, branch_b):
        assert staff_can(user=manager, action="reports.view", branch=branch)
    assert staff_can(user=manager, action="reports.view", network_wide=True)
    assert not staff_can(user=manager, action="org.configure", branch=branch_a)
    assert set(staff_branches(user=manager, action="reports.view")) == {branch_a, branch_b}


def test_a_branch_scoped_role_counts_somewhere_but_not_network_wide(branch_a):
    cataloguer = staff("cat", {Role.CATALOGUER: [branch_a]})
    assert staff_can(user=cataloguer, action="catalog.edit")
    assert not staff_can(user=cataloguer, action="catalog.edit", network_wide=True)


def test_staff_branches_lists_only_the_branches_of_the_role(branch_a, branch_b):
    desk = staff("desk", {Role.DESK: [branch_b], Role.REFERENCE: [branch_a]})
    assert list(staff_branches(user=desk, action="circulation.checkout")) == [branch_b]
    assert set(staff_branches(user=desk, action="readers.view")) == {branch_a, branch_b}
    assert list(staff_branches(user=desk, action="events.manage")) == []


def test_a_superuser_without_roles_gets_nothing(branch_a, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    assert not staff_can(user=root, action="org.configure", branch=branch_a)


def test_an_all_branches_administrator_can_do_everything_everywhere(branch_a):
    admin = staff("admin", {Role.ADMINISTRATOR: "all"})
    assert all(staff_can(user=admin, action=a, network_wide=True) for a in ACTIONS)
    assert admin.is_staff


def test_an_inactive_user_and_an_anonymous_visitor_can_do_nothing(branch_a):
    from django.contrib.auth.models import AnonymousUser

    desk = staff("desk", {Role.DESK: "all"})
    desk.is_active = False
    assert not staff_can(user=desk, action="readers.view", branch=branch_a)
    assert not staff_can(user=AnonymousUser(), action="readers.view")


def test_an_unknown_action_is_a_programming_error_not_a_silent_no(branch_a):
    desk = staff("desk", {Role.DESK: "all"})
    with pytest.raises(ValueError):
        staff_can(user=desk, action="circulation.chekout")


def test_role_checks_after_the_first_one_use_no_queries(branch_a, django_assert_num_queries):
    desk = staff("desk", {Role.DESK: [branch_a]})
    fresh = type(desk).objects.get(pk=desk.pk)
    with django_assert_num_queries(1):  # roles and their branches in one
        for action in ACTIONS:
            staff_can(user=fresh, action=action, branch=branch_a)


def test_roles_read_in_one_query_keep_each_roles_own_branches(branch_a, branch_b):
    user = staff("both", {Role.DESK: [branch_a, branch_b], Role.METHODIST: [branch_b],
                          Role.MANAGER: "all"})  # fmt: skip
    fresh = type(user).objects.get(pk=user.pk)
    grants = {grant.role: grant for grant in staff_grants(user=fresh)}
    assert grants[Role.DESK].branch_ids == {branch_a.pk, branch_b.pk}
    assert grants[Role.METHODIST].branch_ids == {branch_b.pk}
    assert grants[Role.MANAGER].all_branches and not grants[Role.MANAGER].branch_ids
    assert not grants[Role.DESK].all_branches
