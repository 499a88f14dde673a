"""Forms of the events staff pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import AgeMark
from polka.events.models import Audience, Event, EventType, linked_model
from polka.org.models import Branch

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
WEEKDAYS = [
    (0, _("понедельник")),
    (1, _("вторник")),
    (2, _("среда")),
    (3, _("четверг")),
    (4, _("пятница")),
    (5, _("суббота")),
    (6, _("воскресенье")),
]


class _Branched(forms.Form):
    branch = forms.ModelChoiceField(label=_("Библиотека"), queryset=Branch.objects.none())

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["branch"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = branches


class _EventFields(_Branched):
    title = forms.CharField(label=_("Название"), max_length=300)
    event_type = forms.ChoiceField(label=_("Вид"), choices=EventType.choices)
    audience = forms.ChoiceField(label=_("Для кого"), choices=Audience.choices)
    age_mark = forms.ChoiceField(label=_("Возрастной знак"), choices=AgeMark.choices)
    place = forms.CharField(label=_("Место в библиотеке"), max_length=200, required=False)
    description = forms.CharField(label=_("Описание"), widget=forms.Textarea, required=False)
    capacity = forms.IntegerField(
        label=_("Мест (пусто — без ограничения)"), min_value=1, required=False
    )
    registration = forms.BooleanField(label=_("Запись на сайте"), required=False)
    accessibility = forms.CharField(
        label=_("Доступная среда"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    organiser = forms.CharField(label=_("Организатор"), max_length=300, required=False)
    partners = forms.CharField(
        label=_("Партнёры"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    project = forms.ModelChoiceField(
        label=_("Проект"), queryset=linked_model("project").objects.all(), required=False
    )
    programme = forms.ModelChoiceField(
        label=_("Программа"), queryset=linked_model("programme").objects.all(), required=False
    )
    is_published = forms.BooleanField(label=_("Опубликовать в афише"), required=False, initial=True)

    FIELDS: tuple[str, ...] = (
        "title",
        "event_type",
        "audience",
        "age_mark",
        "place",
        "description",
        "capacity",
        "registration",
        "accessibility",
        "organiser",
        "partners",
        "project",
        "programme",
        "is_published",
    )

    def event_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class EventForm(_EventFields):
    starts_at = forms.DateTimeField(label=_("Начало"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Окончание"), widget=DATETIME)
    pushkin_card = forms.BooleanField(label=_("По «Пушкинской карте»"), required=False)
    ticket_url = forms.URLField(
        label=_("Ссылка на продажу билетов"), required=False, assume_scheme="https"
    )
    pro_culture_id = forms.CharField(
        label=_("Номер мероприятия в PRO.Культура.РФ"), max_length=20, required=False
    )

    field_order = ["branch", "title", "starts_at", "ends_at"]
    FIELDS = (*_EventFields.FIELDS, "pushkin_card", "ticket_url", "pro_culture_id")

    @classmethod
    def initial_for(cls, event: Event) -> dict[str, Any]:
        zone = timezone.get_current_timezone()
        initial = {name: getattr(event, name) for name in cls.FIELDS}
        initial.update(
            branch=event.branch,
            starts_at=event.starts_at.astimezone(zone),
            ends_at=event.ends_at.astimezone(zone),
        )
        return initial


class SeriesForm(_EventFields):
    weekday = forms.TypedChoiceField(label=_("День недели"), choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(
        label=_("Время начала"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.IntegerField(
        label=_("Длительность, минут"), min_value=15, max_value=720, initial=90
    )
    first_day = forms.DateField(label=_("С"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("По"), widget=forms.DateInput(attrs={"type": "date"}))

    field_order = ["branch", "title", "weekday", "start_time", "minutes", "first_day", "last_day"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and (last < first or last - first > dt.timedelta(days=366)):
            raise forms.ValidationError(_("Цикл — не длиннее года, и конец не раньше начала."))
        return data


class CopyForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Новое начало"), widget=DATETIME)


class AttendanceForm(forms.Form):
    walk_in_children = forms.IntegerField(label=_("Дети до 14 лет"), min_value=0, initial=0)
    walk_in_youth = forms.IntegerField(label=_("Молодёжь 15–30 лет"), min_value=0, initial=0)
    walk_in_adults = forms.IntegerField(label=_("Старше 30 лет"), min_value=0, initial=0)


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("Фотография"))
    alt = forms.CharField(label=_("Что на фото (для незрячих читателей)"), max_length=300)
    credit = forms.CharField(label=_("Автор фото"), max_length=200, required=False)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Период"),
        choices=[("month", _("месяц")), ("quarter", _("квартал"))],
        required=False,
    )
    date = forms.DateField(
        label=_("Дата в периоде"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
