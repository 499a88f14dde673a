"""Forms of news: the reader's comment and the editor's pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import AgeMark
from polka.consents.forms import ConsentField
from polka.consents.texts import PERSONAL_DATA, PUBLISH_NAME
from polka.core.antispam import HoneypotMixin
from polka.org.models import Branch

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CommentForm(HoneypotMixin, forms.Form):
    body = forms.CharField(
        label=_("Ваш комментарий"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )


class GuestCommentForm(CommentForm):
    name = forms.CharField(label=_("Имя"), max_length=100)
    email = forms.EmailField(label=_("Электронная почта"), help_text=_("Не публикуется."))
    consent_data = ConsentField(PERSONAL_DATA)
    publish_name = ConsentField(PUBLISH_NAME)


class NewsForm(forms.Form):
    title = forms.CharField(label=_("Заголовок"), max_length=300)
    lead = forms.CharField(label=_("Анонс"), widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(
        label=_("Текст"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text=_("Абзацы, списки, ссылки, подзаголовки (простая разметка HTML)."),
    )
    branch = forms.ModelChoiceField(
        label=_("Библиотека"), queryset=Branch.objects.none(), required=False,
        empty_label=_("вся сеть"),
    )  # fmt: skip
    author_line = forms.CharField(label=_("Автор"), max_length=200, required=False)
    age_mark = forms.ChoiceField(label=_("Возрастной знак"), choices=AgeMark.choices)
    tags = forms.CharField(label=_("Теги (через запятую)"), required=False)
    records = forms.CharField(
        label=_("Книги: номера записей каталога через запятую"), required=False
    )
    events = forms.CharField(
        label=_("Мероприятия: номера из адресов их страниц через запятую"), required=False
    )
    published_at = forms.DateTimeField(
        label=_("Опубликовать (пусто — черновик; будущее время — по расписанию)"),
        widget=DATETIME,
        required=False,
    )
    comments_open = forms.BooleanField(label=_("Комментарии открыты"), required=False, initial=True)

    def __init__(self, *args: object, branches: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["branch"]
        assert isinstance(field, forms.ModelChoiceField)
        if branches is not None:
            field.queryset = branches  # type: ignore[assignment]

    def tag_names(self) -> list[str]:
        return [t for t in (s.strip() for s in self.cleaned_data["tags"].split(",")) if t]

    def numbers(self, name: str) -> list[int]:
        """The numbers typed into `name` (records, events), separated by commas."""
        return [int(s) for s in self.cleaned_data[name].replace(" ", "").split(",") if s.isdigit()]


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("Фотография"))
    alt = forms.CharField(label=_("Что на фото (для незрячих читателей)"), max_length=300)
    credit = forms.CharField(label=_("Автор фото"), max_length=200, required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Ответ библиотеки"), widget=forms.Textarea(attrs={"rows": 2}))
