"""Forms of the reading lists' staff pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from polka.recommendations.models import ReadingList

if TYPE_CHECKING:
    _ModelForm = forms.ModelForm
else:  # ModelForm is generic only in the type stubs

    class _ModelForm:
        def __class_getitem__(cls, item: object) -> type[forms.ModelForm]:
            return forms.ModelForm


class ReadingListForm(_ModelForm[ReadingList]):
    class Meta:
        model = ReadingList
        fields = ["title", "slug", "audience", "theme", "intro", "compiler", "is_published"]
