from datetime import time, timedelta

import pytest
from django.utils import timezone

from polka.org import services
from polka.org.testing import AT, make_branch

pytestmark = pytest.mark.django_db


def test_branch_list_shows_address_weekly_hours_and_upcoming_closures_in_russian(
    client, branch_a, branch_b
):
    services.branch_update(branch=branch_b, phone="+7 (812) 555-01-02", by=None, at=AT)
    today = timezone.localdate()
    closed = today + timedelta(days=(7 - today.weekday()) % 7 + 1)  # a Tuesday ahead
    services.calendar_exception_add(
        branch=branch_b, on=closed, reason="Санитарный день", by=None, at=AT
    )
    html = client.get("/branches/").content.decode()
    assert '<html lang="ru">' in html
    assert "Центральная библиотека" in html and "Библиотека-филиал № 2" in html
    assert "ул. Ленина, 1" in html
    assert "+7 (812) 555-01-02" in html
    assert "Понедельник" in html and "10:00–19:00" in html
    assert "Суббота</th><td>выходной" in html
    assert "Санитарный день" in html
    assert "Сегодня" in html


def test_branch_page_says_whether_it_is_open_today(client, branch_a):
    today = timezone.localdate()
    services.opening_hours_set(
        branch=branch_a, week={today.weekday(): (time(9), time(21))}, by=None, at=AT
    )
    html = client.get(f"/branches/{branch_a.code}/").content.decode()
    assert "Сегодня открыта: 09:00–21:00" in html
    services.calendar_exception_add(branch=None, on=today, reason="Праздник", by=None, at=AT)
    html = client.get(f"/branches/{branch_a.code}/").content.decode()
    assert "Сегодня закрыта" in html


def test_an_unknown_branch_is_404(client, network):
    assert client.get("/branches/nowhere/").status_code == 404


def test_branch_list_queries_do_not_grow_with_branches(
    client, network, django_assert_max_num_queries
):
    for n in range(6):
        make_branch(network, f"f{n}")
    services.network_holidays_load(year=timezone.localdate().year, at=AT)
    with django_assert_max_num_queries(4):
        response = client.get("/branches/")
    assert response.content.decode().count('<h2 id="branch-') == 6


def test_the_public_navigation_links_the_branches(client, network):
    assert 'href="/branches/"' in client.get("/").content.decode()
