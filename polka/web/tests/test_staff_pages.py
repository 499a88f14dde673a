import pytest

from polka.org import services
from polka.org.models import Role
from polka.org.testing import AT

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(username, roles):
        if roles:
            user, _ = services.staff_user_create(username=username, roles=roles, at=AT)
        else:
            from polka.accounts.models import User

            user = User.objects.create_user(username, password="irrelevant-pw-123")
        client.force_login(user)
        return client

    return login


def test_staff_page_greets_and_shows_one_panel_per_role(as_user, branch_a):
    client = as_user("desk", {Role.DESK: [branch_a], Role.REFERENCE: "all"})
    html = client.get("/staff/").content.decode()
    assert "Здравствуйте, desk!" in html
    assert 'id="panel-desk"' in html and 'id="panel-reference"' in html
    assert 'id="panel-cataloguer"' not in html
    assert "Центральная библиотека" in html
    assert "во всех библиотеках сети" in html


def test_sections_whose_pages_do_not_exist_are_not_shown(as_user, branch_a):
    client = as_user("boss", {Role.MANAGER: "all"})
    html = client.get("/staff/manager/").content.decode()
    # The reports page is not built yet: no card at all, rather than a dead or grey one.
    assert "<h3>Отчёты" not in html and "Раздел готовится" not in html
    assert 'href="/branches/"' in html


def test_a_role_page_of_a_role_the_user_lacks_is_a_friendly_403(as_user, branch_a):
    client = as_user("desk", {Role.DESK: [branch_a]})
    response = client.get("/staff/cataloguer/")
    assert response.status_code == 403
    assert "каталогизатор" in response.content.decode()


def test_each_role_has_its_own_entry_page(as_user, branch_a):
    client = as_user("all", {role: [branch_a] for role in Role.values})
    for role in Role.values:
        response = client.get(f"/staff/{role}/")
        assert response.status_code == 200, role
        assert response.context["panel"].role == role


def test_an_unknown_role_page_is_404(as_user, branch_a):
    client = as_user("desk", {Role.DESK: [branch_a]})
    assert client.get("/staff/janitor/").status_code == 404


def test_a_reader_gets_a_polite_page_instead_of_the_staff_area(as_user, network):
    client = as_user("reader", None)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "учётная запись — читательская" in response.content.decode()


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_staff_page_needs_few_queries_whatever_the_roles(
    as_user, branch_a, branch_b, django_assert_max_num_queries
):
    client = as_user("all", {role: [branch_a, branch_b] for role in Role.values})
    # session, user, roles + their branches, branches shown, network (base template)
    with django_assert_max_num_queries(6):
        assert client.get("/staff/").status_code == 200


def test_the_status_page_is_a_readable_page_for_administrators_only(as_user, branch_a):
    client = as_user("root", {Role.ADMINISTRATOR: "all"})
    response = client.get("/staff/status/")
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "База данных" in html and "Миграции" in html and "Письма читателям" in html
    assert as_user("news", {Role.METHODIST: "all"}).get("/staff/status/").status_code == 403


def test_the_cataloguer_has_a_start_page_at_staff_catalog(as_user, branch_a):
    client = as_user("cat", {Role.CATALOGUER: "all"})
    html = client.get("/staff/catalog/").content.decode()
    assert 'href="/staff/catalog/records/new/"' in html and 'action="/search/"' in html
    assert 'href="/staff/catalog/"' in client.get("/staff/cataloguer/").content.decode()
    assert as_user("desk", {Role.DESK: [branch_a]}).get("/staff/catalog/").status_code == 403


def test_every_page_has_a_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("web/favicon.svg")
    assert 'rel="icon"' in client.get("/branches/").content.decode()
