"""Forms of the promotion staff pages: a channel (the token is never shown back) and the
channels an item skips."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from polka.courses.models import Course
from polka.org.models import Branch
from polka.programmes.models import Project
from polka.promotion.models import Channel, PartnerKind, Service


class ChannelForm(forms.Form):
    service = forms.ChoiceField(label=_("Сеть"), choices=Service.choices)
    branch = forms.ModelChoiceField(
        label=_("Библиотека"),
        queryset=Branch.objects.none(),
        required=False,
        empty_label=_("вся сеть"),
        help_text=_("Канал библиотеки получает только её новости и мероприятия."),
    )
    name = forms.CharField(label=_("Название"), max_length=200)
    target = forms.CharField(
        label=_("Канал или сообщество"),
        max_length=100,
        help_text=_("Telegram: @имя канала или его номер (-100…). ВКонтакте: номер сообщества."),
    )
    token = forms.CharField(
        label=_("Токен"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Telegram: токен бота, которого сделали администратором канала. ВКонтакте: ключ "
            "доступа сообщества с правом «стена». Хранится зашифрованным и больше не "
            "показывается; оставьте поле пустым, чтобы не менять сохранённый."
        ),
    )
    token_env = forms.RegexField(
        label=_("Или переменная окружения с токеном"),
        regex=r"^[A-Z][A-Z0-9_]*$",
        max_length=100,
        required=False,
    )
    active = forms.BooleanField(label=_("Публиковать"), required=False, initial=True)

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches  # type: ignore[attr-defined]


class SkipForm(forms.Form):
    skip = forms.ModelMultipleChoiceField(
        label=_("Не публиковать в"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, channels: list[Channel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [c.pk for c in channels]
        self.fields["skip"].queryset = Channel.objects.filter(pk__in=ids)  # type: ignore[attr-defined]


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Название"), max_length=300)
    kind = forms.ChoiceField(label=_("Вид"), choices=PartnerKind.choices)
    logo = forms.ImageField(label=_("Логотип"), required=False)
    url = forms.URLField(label=_("Сайт"), required=False, assume_scheme="https")
    together = forms.CharField(
        label=_("Что делаем вместе"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_public = forms.BooleanField(
        label=_("Показывать на странице партнёров"), required=False, initial=True
    )
    events = forms.CharField(
        label=_("Совместные мероприятия"),
        required=False,
        help_text=_("Номера мероприятий через запятую (номер виден в адресе страницы)."),
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Проекты"),
        queryset=Project.objects.order_by("title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    courses = forms.ModelMultipleChoiceField(
        label=_("Курсы"),
        queryset=Course.objects.order_by("title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def event_numbers(self) -> list[int]:
        raw = self.cleaned_data["events"].replace(" ", "").split(",")
        return [int(s) for s in raw if s.isdigit()]
