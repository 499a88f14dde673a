"""TEMPORARY stand-ins for org services that are not on main yet.

Each function here is called by the generator exactly where the real service will be called;
when the service lands on main, the call site switches to it and the stand-in is deleted.
Nothing here re-implements the services' rules: rows are written plainly, as the contract
models on main describe them.
"""

from __future__ import annotations

import secrets
import string

from polka.accounts.models import User


def _password_new() -> str:  # TEMPORARY: org generates passwords in staff_user_create
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(16))


def staff_password_reset(*, user: User) -> str:  # TEMPORARY: org service
    password = _password_new()
    user.set_password(password)
    user.save(update_fields=["password"])
    return password
