"""The filter on the public events page (GET: bookmarkable, works without JavaScript)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polka.events.models import Audience
from polka.org.models import Branch
from polka.org.selectors import branches_active


class EventFilterForm(forms.Form):
    branch = forms.ChoiceField(label=_("Библиотека"), required=False)
    audience = forms.ChoiceField(
        label=_("Для кого"),
        required=False,
        choices=[("", _("для всех")), *Audience.choices],
    )

    def __init__(self, *args: Any, branches: list[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.branches = {b.code: b for b in branches}
        branch_field = self.fields["branch"]
        assert isinstance(branch_field, forms.ChoiceField)
        branch_field.choices = [
            ("", _("все библиотеки")),
            *((b.code, b.name) for b in branches),
        ]

    @classmethod
    def from_query(cls, data: Any) -> EventFilterForm:
        return cls(data, branches=list(branches_active()))

    def chosen_branch(self) -> Branch | None:
        code = self.cleaned_data.get("branch") if self.is_valid() else ""
        return self.branches.get(code or "")

    def chosen_audience(self) -> str:
        return (self.cleaned_data.get("audience") or "") if self.is_valid() else ""
