"""Forms of courses: the public application and the staff pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from polka.consents.forms import ConsentField
from polka.consents.texts import COURSE_APPLICATION
from polka.core.antispam import HoneypotMixin
from polka.core.forms import ModelForm
from polka.courses.models import Course
from polka.org.models import Branch

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ApplicationForm(HoneypotMixin, forms.Form):
    name = forms.CharField(label=_("Фамилия, имя, отчество"), max_length=300)
    position = forms.CharField(label=_("Должность"), max_length=200)
    organisation = forms.CharField(label=_("Организация"), max_length=300)
    city = forms.CharField(label=_("Город, регион"), max_length=200)
    email = forms.EmailField(label=_("Электронная почта"))
    phone = forms.CharField(label=_("Телефон (по желанию)"), max_length=50, required=False)
    motivation = forms.CharField(
        label=_("Чего вы ждёте от курса"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    consent = ConsentField(COURSE_APPLICATION)


class CourseForm(ModelForm[Course]):
    class Meta:
        model = Course
        fields = [
            "title",
            "slug",
            "description",
            "project",
            "hours",
            "capacity",
            "min_attendance",
            "signer_name",
            "signer_position",
            "applications_open",
            "is_published",
        ]


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Тема занятия"), max_length=300)
    speaker = forms.CharField(label=_("Ведущий"), max_length=300, required=False)
    branch = forms.ModelChoiceField(
        label=_("Библиотека"), queryset=Branch.objects.order_by("name"), required=False
    )
    place = forms.CharField(label=_("Место"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("Начало"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Окончание"), widget=DATETIME)


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Номер сертификата"), max_length=40)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Название материала"), max_length=300)
    file = forms.FileField(label=_("Файл"))
