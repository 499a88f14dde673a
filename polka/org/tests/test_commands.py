import pytest
from django.core.management import CommandError, call_command

from polka.org.models import CalendarException, StaffRole

pytestmark = pytest.mark.django_db


def test_staff_create_prints_the_generated_password_once(capsys, branch_a, django_user_model):
    call_command("staff_create", "admin", "--role", "administrator=all", "--role", "desk=a")
    username, password = capsys.readouterr().out.strip().split("\t")
    user = django_user_model.objects.get(username=username)
    assert user.check_password(password)
    assert set(StaffRole.objects.filter(user=user).values_list("role", flat=True)) == {
        "administrator",
        "desk",
    }


def test_staff_create_names_an_unknown_branch(branch_a):
    with pytest.raises(CommandError, match="unknown"):
        call_command("staff_create", "desk", "--role", "desk=nowhere")


def test_holidays_load_is_idempotent(capsys, network):
    call_command("holidays_load", "--year", "2027")
    call_command("holidays_load", "--year", "2027")
    assert "0 days added" in capsys.readouterr().out
    assert CalendarException.objects.count() == 14
