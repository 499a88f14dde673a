from datetime import date, time

import pytest

from polka.org import services
from polka.org.models import AuditEntry, CalendarException, Role, StaffRole
from polka.org.testing import AT

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user_client(client, branch_a):
    user, _ = services.staff_user_create(username="adm", roles={Role.ADMINISTRATOR: "all"}, at=AT)
    client.force_login(user)
    client.user = user
    return client


def branch_form(branch, **extra):
    data = {
        "name": branch.name,
        "short_name": branch.short_name,
        "kind": branch.kind,
        "address": branch.address,
        "phone": branch.phone,
        "email": branch.email,
        "accessibility": branch.accessibility,
        "is_active": "on",
        "hours-TOTAL_FORMS": "0",
        "hours-INITIAL_FORMS": "0",
        "exceptions-TOTAL_FORMS": "0",
        "exceptions-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_an_administrator_sees_the_configuration_pages(admin_user_client):
    html = admin_user_client.get("/admin/").content.decode()
    assert "/admin/org/branch/" in html and "/admin/org/staffrole/" in html


def test_a_desk_librarian_cannot_enter_admin_and_a_superuser_without_roles_sees_no_org_pages(
    client, branch_a, django_user_model
):
    desk, _ = services.staff_user_create(username="desk", roles={Role.DESK: "all"}, at=AT)
    client.force_login(desk)
    assert client.get("/admin/").status_code == 302
    root = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(root)
    assert "/admin/org/branch/" not in client.get("/admin/").content.decode()


def test_editing_a_branch_in_admin_goes_through_services(admin_user_client, branch_a):
    data = branch_form(
        branch_a,
        phone="+7 000",
        **{
            "hours-TOTAL_FORMS": "1",
            "hours-0-weekday": "5",
            "hours-0-opens": "10:00",
            "hours-0-closes": "16:00",
            "exceptions-TOTAL_FORMS": "1",
            "exceptions-0-date": "2026-05-05",
            "exceptions-0-kind": "sanitary",
            "exceptions-0-reason": "Санитарный день",
        },
    )
    response = admin_user_client.post(f"/admin/org/branch/{branch_a.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    branch_a.refresh_from_db()
    assert branch_a.phone == "+7 000"
    # The weekly hours became exactly Saturday 10–16: the form lists the whole week.
    assert [(h.weekday, h.opens, h.closes) for h in branch_a.hours.all()] == [
        (5, time(10), time(16))
    ]
    assert CalendarException.objects.get(branch=branch_a).date == date(2026, 5, 5)
    actions = set(
        AuditEntry.objects.filter(actor=admin_user_client.user).values_list("action", flat=True)
    )
    assert {"branch_update", "opening_hours_set", "calendar_exception_add"} <= actions


def test_granting_a_role_in_admin_goes_through_services(
    admin_user_client, branch_a, django_user_model
):
    person = django_user_model.objects.create_user("new", password="x")
    response = admin_user_client.post(
        "/admin/org/staffrole/add/",
        {"user": person.pk, "role": Role.DESK, "branches": [branch_a.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    role = StaffRole.objects.get(user=person)
    assert list(role.branches.all()) == [branch_a]
    assert AuditEntry.objects.filter(action="staff_role_set", actor=admin_user_client.user).exists()


def test_a_role_without_branches_is_refused_by_the_admin_form(admin_user_client, django_user_model):
    person = django_user_model.objects.create_user("new", password="x")
    response = admin_user_client.post(
        "/admin/org/staffrole/add/", {"user": person.pk, "role": Role.DESK}
    )
    assert response.status_code == 200
    assert not StaffRole.objects.filter(user=person).exists()


def test_the_holidays_action_loads_this_and_next_year(admin_user_client, network):
    response = admin_user_client.post(
        "/admin/org/network/",
        {"action": "holidays_load", "_selected_action": [network.pk]},
    )
    assert response.status_code == 302
    assert CalendarException.objects.filter(branch__isnull=True, kind="holiday").count() == 28


def test_adding_a_branch_and_a_network_wide_day_in_admin(admin_user_client, network):
    data = branch_form(
        type(
            "B",
            (),
            {
                "name": "Библиотека № 7",
                "short_name": "",
                "kind": "branch",
                "address": "пр. Мира, 7",
                "phone": "",
                "email": "",
                "accessibility": "",
            },
        ),
        network=network.pk,
        code="f7",
    )
    response = admin_user_client.post("/admin/org/branch/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert AuditEntry.objects.filter(action="branch_create", object_repr="Библиотека № 7").exists()
    response = admin_user_client.post(
        "/admin/org/calendarexception/add/",
        {"date": "2026-11-03", "kind": "transfer", "reason": "Перенос"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert CalendarException.objects.get(branch__isnull=True).kind == "transfer"


def test_admin_configuration_pages_render(admin_user_client, branch_a):
    for url in [
        "/admin/org/branch/",
        f"/admin/org/branch/{branch_a.pk}/change/",
        "/admin/org/staffrole/",
        "/admin/org/staffrole/add/",
        "/admin/org/network/",
        "/admin/org/calendarexception/",
        "/admin/org/auditentry/",
    ]:
        assert admin_user_client.get(url).status_code == 200, url
