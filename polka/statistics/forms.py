"""The statistics' forms: a diary entry, and the hand-entered cells of form 6-НК."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polka.statistics import form6nk
from polka.statistics.models import Indicator


class DiaryEntryForm(forms.Form):
    on = forms.DateField(label=_("Дата"), widget=forms.DateInput(attrs={"type": "date"}))
    indicator = forms.ChoiceField(label=_("Показатель"), choices=Indicator.choices)
    count = forms.IntegerField(label=_("Число"))
    age_from = forms.IntegerField(label=_("Возраст от"), min_value=0, max_value=120, required=False)
    age_to = forms.IntegerField(label=_("Возраст до"), min_value=0, max_value=120, required=False)
    note = forms.CharField(label=_("Примечание (где, кто считал)"), max_length=300, required=False)
    corrects = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HandValuesForm(forms.Form):
    """One field per hand-entered cell, its help text last year's value."""

    def __init__(
        self, *args: Any, last_year: dict[str, Decimal], current: dict[str, Decimal], **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial", {code: current.get(code, last_year.get(code)) for code in form6nk.HAND_CODES}
        )
        super().__init__(*args, **kwargs)
        for section in form6nk.SECTIONS:
            for row in section.rows:
                if not row.hand:
                    continue
                before = last_year.get(row.code)
                self.fields[row.code] = forms.DecimalField(
                    label=f"{row.code}. {row.label}" + (f", {row.unit}" if row.unit else ""),
                    max_digits=14,
                    decimal_places=2,
                    min_value=Decimal(0),
                    required=False,
                    help_text=_("в прошлом году: %(value)s") % {"value": before}
                    if before is not None
                    else _("в прошлом году не заполнено"),
                )
