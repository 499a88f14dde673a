"""ConsentField: a required checkbox whose label names the consent and links to its full text."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from polka.consents.texts import TEXTS


def _text_link(purpose: str) -> SafeString:
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse("consents:text", args=[purpose]),
        _("Текст согласия"),
    )


# Forms are built at import time, before URLs can be reversed.
_text_link_lazy = lazy(_text_link, SafeString)


class ConsentField(forms.BooleanField):
    def __init__(self, purpose: str, *, required: bool = True, **kwargs: Any) -> None:
        if purpose not in TEXTS:
            raise ValueError(f"unknown consent purpose {purpose!r}")
        self.purpose = purpose
        kwargs.setdefault("label", TEXTS[purpose].title)
        kwargs.setdefault("help_text", _text_link_lazy(purpose))
        kwargs.setdefault(
            "error_messages", {"required": _("Без этого согласия мы не можем принять форму.")}
        )
        super().__init__(required=required, **kwargs)
