"""Forms of the literary calendar's staff page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from polka.core.forms import ModelForm
from polka.litcal.models import ExtraPerson

DATE = forms.DateInput(attrs={"type": "date"})


class ExtraPersonForm(ModelForm[ExtraPerson]):
    class Meta:
        model = ExtraPerson
        fields = [
            "name",
            "other_names",
            "birth_year",
            "birth_date",
            "death_year",
            "death_date",
            "note",
            "hidden",
        ]
        widgets = {"birth_date": DATE, "death_date": DATE}


class PersonNoteForm(forms.Form):
    person = forms.IntegerField(label=_("Номер персоны (из адреса страницы автора)"), min_value=1)
    note = forms.CharField(
        label=_("Примечание"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    hidden = forms.BooleanField(label=_("Не показывать в календаре"), required=False)
