"""People who log in: staff and readers share one user model; roles live in org."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Staff rights come from org.StaffRole rows, reader data from readers.Reader."""

    # One field for the whole name: Russian names (surname, given name, patronymic) do not
    # split cleanly into Django's first/last name.
    full_name = models.CharField(_("ФИО"), max_length=300, blank=True)

    class Meta:
        db_table = "accounts_user"

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()
