"""The login form: username and password, and the code of a second factor for accounts that
turned one on (TOTP, django-otp); accounts without one are not asked for it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin


class LoginForm(OTPAuthenticationFormMixin, AuthenticationForm):  # type: ignore[misc]
    otp_token = forms.CharField(
        label=_("Код подтверждения"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": _("Введите код подтверждения из приложения-аутентификатора."),
        "invalid_token": _("Неверный код подтверждения. Проверьте его и попробуйте ещё раз."),
        "n_failed_attempts": ngettext_lazy(
            "Проверка кода временно отключена после %(failure_count)d неудачной попытки.",
            "Проверка кода временно отключена после %(failure_count)d неудачных попыток.",
            "failure_count",
        ),
        "verification_not_allowed": _("Проверка кода сейчас отключена; попробуйте позже."),
    }

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned
