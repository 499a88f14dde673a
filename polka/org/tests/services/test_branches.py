from datetime import date, datetime, time

import pytest

from polka.org import services
from polka.org.errors import InvalidOpeningHours, NotPermitted
from polka.org.models import AuditEntry, CalendarException, Role
from polka.org.testing import AT

pytestmark = pytest.mark.django_db


def test_branch_update_changes_only_given_fields_and_is_audited(branch_a):
    admin, _ = services.staff_user_create(
        username="adm", roles={Role.ADMINISTRATOR: [branch_a]}, at=AT
    )
    services.branch_update(branch=branch_a, phone="+7 800 000-00-00", by=admin, at=AT)
    branch_a.refresh_from_db()
    assert branch_a.phone == "+7 800 000-00-00"
    assert branch_a.address == "ул. Ленина, 1"
    entry = AuditEntry.objects.get(action="branch_update")
    assert entry.actor == admin
    assert entry.details == {"phone": ["", "+7 800 000-00-00"]}


def test_a_branch_administrator_cannot_change_another_branch(branch_a, branch_b):
    admin, _ = services.staff_user_create(
        username="adm", roles={Role.ADMINISTRATOR: [branch_a]}, at=AT
    )
    with pytest.raises(NotPermitted):
        services.branch_update(branch=branch_b, phone="1", by=admin, at=AT)
    with pytest.raises(NotPermitted):
        services.opening_hours_set(branch=branch_b, week={}, by=admin, at=AT)
    with pytest.raises(NotPermitted):
        services.calendar_exception_add(branch=None, on=date(2026, 5, 5), by=admin, at=AT)


def test_opening_hours_set_replaces_the_whole_week(branch_a):
    services.opening_hours_set(branch=branch_a, week={5: (time(10), time(16))}, by=None, at=AT)
    assert [(h.weekday, h.opens) for h in branch_a.hours.all()] == [(5, time(10))]


def test_closing_before_opening_is_refused(branch_a):
    with pytest.raises(InvalidOpeningHours):
        services.opening_hours_set(branch=branch_a, week={0: (time(18), time(9))}, by=None, at=AT)
    with pytest.raises(InvalidOpeningHours):
        services.calendar_exception_add(
            branch=branch_a, on=date(2026, 5, 5), opens=time(10), closes=time(12), by=None, at=AT
        )


def test_adding_an_exception_twice_replaces_it_and_remove_deletes_it(branch_a):
    day = date(2026, 5, 5)
    services.calendar_exception_add(branch=branch_a, on=day, reason="Ремонт", by=None, at=AT)
    exc = services.calendar_exception_add(branch=branch_a, on=day, reason="Потоп", by=None, at=AT)
    assert CalendarException.objects.get().reason == "Потоп"
    services.calendar_exception_remove(exception=exc, by=None, at=AT)
    assert not CalendarException.objects.exists()


def test_services_refuse_a_naive_time(branch_a):
    with pytest.raises(ValueError):
        services.branch_update(branch=branch_a, phone="1", by=None, at=datetime(2026, 1, 1))  # noqa: DTZ001
