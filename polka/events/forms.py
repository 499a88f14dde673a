"""The filter on the public events page (GET: bookmarkable, works without JavaScript)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import AgeMark
from polka.consents.forms import ConsentField
from polka.consents.texts import EVENT_SIGNUP
from polka.core.antispam import HoneypotMixin
from polka.events.models import Audience, EventType
from polka.org.models import Branch
from polka.org.selectors import branches_active

VIEWS = [("list", _("списком")), ("week", _("неделя")), ("month", _("месяц"))]


class EventFilterForm(forms.Form):
    branch = forms.ChoiceField(label=_("Библиотека"), required=False)
    audience = forms.ChoiceField(
        label=_("Для кого"),
        required=False,
        choices=[("", _("для всех")), *Audience.choices],
    )
    event_type = forms.ChoiceField(
        label=_("Что"), required=False, choices=[("", _("всё")), *EventType.choices]
    )
    age_mark = forms.ChoiceField(
        label=_("Возрастной знак"), required=False, choices=[("", _("любой")), *AgeMark.choices]
    )
    pushkin = forms.BooleanField(label=_("По «Пушкинской карте»"), required=False)
    view = forms.ChoiceField(label=_("Вид"), required=False, choices=VIEWS)
    date = forms.DateField(
        label=_("С даты"), required=False, widget=forms.DateInput(attrs={"type": "date"})
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

    def chosen(self, name: str) -> Any:
        return (self.cleaned_data.get(name) or None) if self.is_valid() else None

    def chosen_audience(self) -> str:
        return (self.cleaned_data.get("audience") or "") if self.is_valid() else ""

    def query_without(self, *names: str) -> str:
        """The filter as a query string, without `names` (for view and date links)."""
        if not self.is_valid():
            return ""
        kept = {
            k: v
            for k, v in self.cleaned_data.items()
            if v and k not in names and k in ("branch", "audience", "event_type", "age_mark")
        }
        return urlencode(kept)


class RegistrationForm(HoneypotMixin, forms.Form):
    name = forms.CharField(label=_("Имя и фамилия"), max_length=200)
    email = forms.EmailField(
        label=_("Электронная почта"), help_text=_("Сюда придёт подтверждение и ссылка для отмены.")
    )
    phone = forms.CharField(label=_("Телефон (по желанию)"), max_length=50, required=False)
    consent = ConsentField(EVENT_SIGNUP)
