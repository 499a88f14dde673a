"""Readers log in with their card number or e-mail address and their password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from polka.accounts.models import User
from polka.readers.selectors import reader_by_login


class ReaderBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        reader = reader_by_login(login=username)
        if reader is None or reader.user is None:
            return None
        user = reader.user
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
