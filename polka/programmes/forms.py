"""Forms of projects, exhibitions and reading programmes (public and staff)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from polka.consents.forms import ConsentField
from polka.consents.texts import PROGRAMME_PARTICIPATION
from polka.core.antispam import HoneypotMixin
from polka.core.forms import ModelForm
from polka.programmes.models import Exhibition, Programme, Project

# A date input takes and gives ISO dates whatever the language: "2026-12-02", never "02.12.2026".
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(ModelForm[Project]):
    class Meta:
        model = Project
        fields = ["title", "slug", "summary", "description", "funder", "partners", "is_published"]


class ExhibitionForm(ModelForm[Exhibition]):
    class Meta:
        model = Exhibition
        fields = [
            "title",
            "slug",
            "theme",
            "branch",
            "starts_on",
            "ends_on",
            "project",
            "description",
            "is_published",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class ProgrammeForm(ModelForm[Programme]):
    class Meta:
        model = Programme
        fields = [
            "title",
            "slug",
            "starts_on",
            "ends_on",
            "project",
            "description",
            "min_books",
            "min_meetings",
            "is_published",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Название"), max_length=300)
    file = forms.FileField(label=_("Файл"), required=False)
    link = forms.URLField(label=_("или ссылка"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("link"):
            raise forms.ValidationError(_("Приложите файл или укажите ссылку."))
        return data


class JoinForm(HoneypotMixin, forms.Form):
    child_name = forms.CharField(label=_("Имя ребёнка"), max_length=200)
    child_age = forms.IntegerField(label=_("Возраст"), min_value=1, max_value=18, required=False)
    guardian_name = forms.CharField(label=_("Ваше имя (родитель)"), max_length=200)
    guardian_email = forms.EmailField(
        label=_("Ваша электронная почта"),
        help_text=_("Сюда придёт ссылка, по которой можно отмечать прочитанные книги."),
    )
    consent = ConsentField(PROGRAMME_PARTICIPATION)


class BookForm(forms.Form):
    title = forms.CharField(
        label=_("Название книги"),
        max_length=500,
        required=False,
        help_text=_("Для книги из дома; книгу из библиотеки найдите в каталоге ниже."),
    )
    record = forms.IntegerField(widget=forms.HiddenInput, required=False)
    read_on = forms.DateField(label=_("Когда прочитана"), widget=DATE)


class DiarySearchForm(forms.Form):
    q = forms.CharField(label=_("Найти книгу в каталоге библиотеки"), max_length=200)
