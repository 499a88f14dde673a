"""Forms of the reference service: the public question form and the librarians' tools."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from polka.consents.forms import ConsentField
from polka.consents.texts import REFERENCE_QUESTION
from polka.core.antispam import HoneypotMixin
from polka.org.models import Branch
from polka.reference.models import AnswerTemplate, Depth, Purpose, QuestionType, Topic
from polka.reference.services import MAX_LENGTH


class AskForm(HoneypotMixin, forms.Form):
    text = forms.CharField(
        label=_("Ваш вопрос"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MAX_LENGTH}),
        help_text=_(
            "Опишите, что нужно найти: тему, для чего, какие источники уже известны. "
            "Решать за вас домашние задания и курсовые мы не можем."
        ),
    )
    question_type = forms.ChoiceField(label=_("Тип вопроса"), choices=QuestionType.choices)
    purpose = forms.ChoiceField(label=_("Для чего нужна информация"), choices=Purpose.choices)
    depth = forms.ChoiceField(
        label=_("Сколько источников нужно"),
        choices=Depth.choices,
        widget=forms.RadioSelect,
        initial=Depth.FEW,
    )
    branch = forms.ModelChoiceField(
        label=_("Какая библиотека ответит"),
        queryset=Branch.objects.order_by("name"),
        required=False,
        empty_label=_("любая — ответит центральная библиотека"),
    )
    name = forms.CharField(label=_("Как к вам обращаться"), max_length=100, required=False)
    email = forms.EmailField(
        label=_("Электронная почта"),
        help_text=_("Сюда придёт ссылка на ответ. Адрес никогда не публикуется."),
    )
    allow_publication = forms.BooleanField(
        label=_("Можно опубликовать вопрос и ответ в архиве без моих личных данных"),
        required=False,
    )
    consent = ConsentField(REFERENCE_QUESTION)


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label=_("Уточняющий вопрос"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_LENGTH}),
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Оцените ответ"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Отзыв (по желанию)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Служебная заметка"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Ответ"),
        widget=forms.Textarea(attrs={"rows": 14, "id": "answer-body"}),
        help_text=_(
            "Можно вставлять записи каталога (поиск справа) и ссылки на источники. "
            "Разрешена простая разметка: абзацы, списки, ссылки."
        ),
    )


class AssignForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Назначить"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            field = self.fields["to"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = people


class PublishForm(forms.Form):
    title = forms.CharField(label=_("Заголовок в архиве"), max_length=300)
    public_question = forms.CharField(
        label=_("Вопрос (без личных данных)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    public_answer = forms.CharField(
        label=_("Ответ (без личных данных)"), widget=forms.Textarea(attrs={"rows": 10})
    )
    topic = forms.ModelChoiceField(
        label=_("Тема архива"), queryset=Topic.objects.all(), required=False
    )


class StatsForm(forms.Form):
    start = forms.DateField(label=_("С"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("По"), widget=forms.DateInput(attrs={"type": "date"}))


def answer_templates() -> list[AnswerTemplate]:
    return list(AnswerTemplate.objects.all())
