"""Forms of the e-library pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from polka.consents.forms import ConsentField
from polka.consents.texts import PLATFORM_TRANSFER
from polka.core.antispam import HoneypotMixin
from polka.elibrary.models import Platform


class AccessForm(HoneypotMixin, forms.Form):
    platform = forms.ModelChoiceField(label=_("Платформа"), queryset=Platform.objects.all())
    card_number = forms.CharField(label=_("Номер читательского билета"), max_length=30)
    last_name = forms.CharField(label=_("Фамилия"), max_length=100)
    consent = ConsentField(PLATFORM_TRANSFER)


class ImportForm(forms.Form):
    platform = forms.ModelChoiceField(label=_("Платформа"), queryset=Platform.objects.all())
    format = forms.ChoiceField(
        label=_("Формат"), choices=[("onix", "ONIX 3.0"), ("opds", "OPDS 1.2")]
    )
    file = forms.FileField(label=_("Файл"))


class EloanForm(forms.Form):
    platform = forms.ModelChoiceField(label=_("Платформа"), queryset=Platform.objects.all())
    file = forms.FileField(label=_("Отчёт платформы (CSV)"))


class IssueForm(forms.Form):
    login = forms.CharField(label=_("Логин на платформе"), max_length=200)


class LocalDocumentForm(forms.Form):
    title = forms.CharField(label=_("Заглавие"), max_length=500)
    author = forms.CharField(label=_("Автор"), max_length=300, required=False)
    year = forms.IntegerField(label=_("Год"), min_value=1000, max_value=2100, required=False)
    subject = forms.CharField(label=_("Тема"), max_length=200)
    description = forms.CharField(
        label=_("Описание"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    file = forms.FileField(label=_("Файл PDF"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("Это не PDF."))
        return upload
