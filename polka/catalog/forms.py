"""Forms of the staff record editor (common fields, MARC text, copies), and the one form that
puts a catalogue book on a curated list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from polka.catalog.marc_lines import LineError, ParsedLines
from polka.catalog.models import AcquisitionSource, AgeMark, Carrier, Item, MarcFormat, Record
from polka.catalog.selectors import record_or_none
from polka.catalog.services import MAPPED_FIELDS
from polka.catalog.validation import check_marc_text, isbn_digits, isbn_is_valid
from polka.org.models import Branch

# The common-fields form edits every mapped text field but the control number (the MARC
# editor's business), plus the year, ISBNs, subjects and age mark.
_TEXT_TYPES = ("CharField", "TextField")
TEXT_FIELDS = tuple(
    name
    for name in MAPPED_FIELDS
    if name not in ("control_number", "age_mark", "material_type")
    and Record._meta.get_field(name).get_internal_type() in _TEXT_TYPES
)
LIST_FIELDS = ("isbns", "subjects")
COMMON_FIELDS = (*TEXT_FIELDS, "year", *LIST_FIELDS, "age_mark")
_MULTILINE = ("remainder_of_title", "responsibility", "series", "annotation")


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class CommonFieldsForm(forms.Form):
    """The fields most edits touch; the MARC behind them is rewritten by the mapping."""

    def __init__(self, *args: Any, record: Record, **kwargs: Any) -> None:
        initial = {name: getattr(record, name) for name in (*TEXT_FIELDS, "year", "age_mark")}
        initial.update({name: "\n".join(getattr(record, name)) for name in LIST_FIELDS})
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for name in TEXT_FIELDS:
            model_field = Record._meta.get_field(name)
            widget = forms.Textarea(attrs={"rows": 3}) if name in _MULTILINE else None
            self.fields[name] = forms.CharField(
                label=capfirst(str(getattr(model_field, "verbose_name", name))),
                required=name == "title",
                widget=widget,
                max_length=getattr(model_field, "max_length", None),
            )
        self.fields["year"] = forms.IntegerField(
            label=_("Год издания"), required=False, min_value=1000, max_value=2999
        )
        self.fields["isbns"] = forms.CharField(
            label=_("ISBN (по одному в строке)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields["subjects"] = forms.CharField(
            label=_("Предметные рубрики (по одной в строке)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["age_mark"] = forms.ChoiceField(
            label=_("Знак информационной продукции"),
            required=False,
            choices=[("", "—"), *AgeMark.choices],
        )

    def clean_isbns(self) -> list[str]:
        values = _lines(self.cleaned_data["isbns"])
        wrong = [v for v in values if not isbn_is_valid(isbn_digits(v))]
        if wrong:
            raise forms.ValidationError(
                _("Неверный ISBN (проверьте цифры): %(isbns)s"),
                params={"isbns": ", ".join(wrong)},
            )
        return values

    def clean_subjects(self) -> list[str]:
        return _lines(self.cleaned_data["subjects"])

    def changes(self) -> dict[str, Any]:
        """Only what the cataloguer changed, so that the rest of the MARC stays as it was."""
        return {name: self.cleaned_data[name] for name in self.changed_data}

    @property
    def changed_data(self) -> list[str]:
        # List fields compare as lists: re-typing the same ISBNs is not a change.
        changed = super().changed_data
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return changed
        return [
            name
            for name in changed
            if name not in LIST_FIELDS
            or self.cleaned_data.get(name) != _lines(str(self.initial.get(name, "")))
        ]


class MarcForm(forms.Form):
    """The whole record as text, one field per line; checked line by line."""

    text = forms.CharField(
        label=_("Запись MARC (одно поле в строке)"),
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100, "spellcheck": "false"}),
        strip=False,
    )

    def __init__(self, *args: Any, flavour: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.flavour = flavour
        self.parsed: ParsedLines | None = None

    @property
    def line_errors(self) -> list[LineError]:
        return self.parsed.errors if self.parsed else []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text = cleaned.get("text")
        if text is not None:
            self.parsed = check_marc_text(text, self.flavour)  # type: ignore[arg-type]
            if self.parsed.errors:
                raise forms.ValidationError(
                    _("В записи есть ошибки (%(n)d): исправьте отмеченные строки."),
                    params={"n": len(self.parsed.errors)},
                )
        return cleaned


class NewRecordForm(MarcForm):
    format = forms.ChoiceField(label=_("Формат"), choices=MarcFormat.choices)
    field_order = ["format", "text"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        data = args[0] if args else kwargs.get("data")
        flavour = (data or {}).get("format") or MarcFormat.MARC21
        if flavour not in MarcFormat.values:
            flavour = MarcFormat.MARC21
        super().__init__(*args, flavour=flavour, **kwargs)


class ItemAddForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Библиотека"), queryset=Branch.objects.none())
    barcode = forms.CharField(label=_("Штрихкод"), max_length=50)
    inventory_number = forms.CharField(label=_("Инвентарный номер"), max_length=50, required=False)
    shelf_mark = forms.CharField(label=_("Шифр хранения"), max_length=100, required=False)
    item_type = forms.CharField(label=_("Тип экземпляра"), max_length=50, required=False)
    acquired_on = forms.DateField(label=_("Дата поступления"), required=False)
    acquisition_source = forms.ChoiceField(
        label=_("Источник поступления"),
        choices=[("", "—"), *AcquisitionSource.choices],
        required=False,
    )
    acquisition_act = forms.CharField(label=_("Номер записи КСУ"), max_length=50, required=False)
    carrier = forms.ChoiceField(label=_("Вид носителя"), choices=Carrier.choices, required=False)
    language = forms.CharField(label=_("Язык (код)"), max_length=10, required=False)

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches  # type: ignore[attr-defined]


class ItemMoveForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Переместить в"), queryset=Branch.objects.none())

    def __init__(self, *args: Any, item: Item, branches: QuerySet[Branch], **kwargs: Any) -> None:
        kwargs["prefix"] = f"move-{item.pk}"
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches.exclude(pk=item.branch_id)  # type: ignore[attr-defined]


class ItemWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Причина списания"), max_length=300)
    act = forms.CharField(label=_("Номер акта списания"), max_length=50, required=False)

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        kwargs["prefix"] = f"withdraw-{item.pk}"
        super().__init__(*args, **kwargs)


class BookByNumberForm(forms.Form):
    """Put a catalogue book on a curated list by its record number, with an annotation."""

    record = forms.IntegerField(label=_("Номер записи в каталоге"), min_value=1)
    annotation = forms.CharField(
        label=_("Аннотация"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def add(self, put: Callable[[Record, str], object]) -> bool:
        """On a valid form: `put(record, annotation)` and True; no such record: the error on
        the form and False."""
        record = record_or_none(record_id=self.cleaned_data["record"])
        if record is None:
            self.add_error("record", _("В каталоге нет записи с таким номером."))
            return False
        put(record, self.cleaned_data["annotation"])
        return True
