"""Every form renders in the one field pattern: an error summary at the top linking to each
wrong field, then per field the label, the hint, the error above the field, the field."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import CheckboxSelectMultiple
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from polka.web.forms import FormRenderer


class _Form(forms.Form):
    name = forms.CharField(label="Имя", help_text="Как в паспорте")
    agree = forms.BooleanField(label="Согласен")


def test_a_wrong_form_starts_with_a_summary_linking_to_each_wrong_field():
    html = str(_Form(data={}))
    summary = html[: html.index('class="field')]
    assert 'class="error-summary" role="alert"' in summary
    assert 'href="#id_name"' in summary and 'href="#id_agree"' in summary


def test_label_hint_error_and_field_come_in_that_order():
    html = str(_Form(data={}))
    field = html[html.index('<div class="field field--error') :]
    order = [field.index(mark) for mark in ("<label", 'class="helptext"', "errorlist", "<input")]
    assert order == sorted(order)


def test_a_correct_or_new_form_has_no_summary():
    assert "error-summary" not in str(_Form())
    assert "error-summary" not in str(_Form(data={"name": "Анна", "agree": "on"}))


class _Widgets(forms.Form):
    kind = forms.ChoiceField(
        label="Порядок", choices=[("a", _("сначала подходящие")), ("b", _("по заглавию"))]
    )
    year = forms.IntegerField(min_value=1, max_value=2999)
    text = forms.CharField()
    flag = forms.BooleanField(required=False)
    many = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=CheckboxSelectMultiple
    )


def _drawn(data: dict[str, Any] | None, renderer: Any) -> list[str]:
    form = _Widgets(data=data, renderer=renderer)
    return [str(form[name].as_widget()) for name in form.fields]


def test_kept_widgets_draw_as_django_draws_them_in_each_language_and_for_each_value() -> None:
    kept, plain = FormRenderer(), DjangoTemplates()
    values = [
        {"kind": "a", "year": "1990", "text": "<b>«Война»</b> & мир", "flag": "on", "many": ["x"]},
        {"kind": "b", "year": "", "text": "", "many": ["x", "y"]},
        {"kind": "a", "year": "1990", "text": "<b>«Война»</b> & мир", "flag": "on", "many": ["x"]},
    ]
    for language in ("ru", "en", "ru"):
        with translation.override(language):
            for data in values:
                assert _drawn(data, kept) == _drawn(data, plain)
    assert kept._kept  # they were kept, and handed out again above
    with translation.override("en"):
        assert "by title" in _drawn(None, kept)[0]
    # Values that compare equal but draw differently are kept apart.
    for attrs in ({"data-n": True}, {"data-n": 1}, {"data-n": mark_safe("<")}, {"data-n": "<"}):
        widget = forms.TextInput(attrs=attrs)
        assert widget.render("n", "", renderer=kept) == widget.render("n", "", renderer=plain)


def test_a_widget_whose_context_holds_objects_is_drawn_each_time() -> None:
    kept = FormRenderer()
    widget = forms.ClearableFileInput()
    file = SimpleUploadedFile("a.txt", b"a")
    file.url = "/media/a.txt"  # type: ignore[attr-defined]
    html = widget.render("f", file, renderer=kept)
    assert "/media/a.txt" in html and not kept._kept
