"""Every form renders in the one field pattern: an error summary at the top linking to each
wrong field, then per field the label, the hint, the error above the field, the field."""

from django import forms


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
