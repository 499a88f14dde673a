"""What every app's forms share: a ModelForm that can be subscripted with its model for mypy
(`class BookForm(ModelForm[Book])`) while Django's own class, not generic at run time, is used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

if TYPE_CHECKING:
    ModelForm = forms.ModelForm
else:  # ModelForm is generic only in the type stubs

    class ModelForm:
        def __class_getitem__(cls, item: object) -> type[forms.ModelForm]:
            return forms.ModelForm
