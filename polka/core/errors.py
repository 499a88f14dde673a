"""The one base of every Polka error, and the one place each that turns an error into what a
person sees: a form error, an HTTP status, an API error body, a CLI exit code.

Services raise subclasses (each app's errors.py); adapters never build messages by hand.
`message` is the translated text for people; `http_status` and `exit_code` are class-level
defaults a subclass may change (a refusal is 403 and exit code 77, see PermissionRefused).
"""

from __future__ import annotations

from typing import Any

from django import forms

# sysexits.h: EX_DATAERR for refused input, EX_NOPERM for a missing right.
EXIT_DATAERR = 65
EXIT_NOPERM = 77


class PolkaError(Exception):
    """Base of every domain error. `message` is ready to show to a person (translated)."""

    message: Any = ""
    http_status: int = 400
    exit_code: int = EXIT_DATAERR

    def __str__(self) -> str:
        return str(self.message)


class PermissionRefused(PolkaError):
    """The acting user may not do this. Apps' own refusals (org's NotPermitted) derive from it,
    so the staff guard and the transition runner need not know where they come from."""

    http_status = 403
    exit_code = EXIT_NOPERM


def error_message(error: PolkaError) -> str:
    """The text for people (one place that decides it, for pages, the API and the CLI)."""
    return str(error)


def form_error(form: forms.BaseForm, error: PolkaError, *, field: str | None = None) -> None:
    """A domain error shown on a form: on `field`, or above the form (non-field errors)."""
    form.add_error(field, error_message(error))


def http_status(error: PolkaError) -> int:
    return error.http_status


def api_error(error: PolkaError) -> tuple[int, dict[str, str]]:
    """The status and JSON body the API answers with (`{"detail": message, "code": name}`)."""
    return error.http_status, {"detail": error_message(error), "code": type(error).__name__}


def exit_code(error: PolkaError) -> int:
    return error.exit_code
