"""People who log in: staff and readers share one user model; roles live in org."""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A login. Staff rights come from org.StaffRole rows, reader data from readers.Reader."""

    class Meta:
        db_table = "accounts_user"
