"""Every Django form on the site renders in the design system's one field pattern (GOV.UK
model): an error summary at the top linking to each field, then per field the label, the hint,
the error message and the field (Django's field group already has that order).

A widget's HTML is a pure function of its template, its context (name, value, attributes,
options) and the language, yet Django draws it through the template engine every time: the
search page's three option controls were a quarter of its frame's CPU. The renderer keeps the
HTML of the latest widgets it drew and hands it out again for the same context."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.translation import get_language

# Widgets kept per process; values typed by readers make new entries, so the table is bounded.
KEPT_WIDGETS = 2048


class _Unkeepable(Exception):
    pass


def _frozen(value: Any) -> Any:
    """A hashable copy of a widget's context in which values that draw differently differ:
    each scalar with its type (True and 1, a safe and a plain string compare equal)."""
    if isinstance(value, dict):
        return (dict, tuple((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return (list, tuple(_frozen(item) for item in value))
    if isinstance(value, Promise):  # a lazy translation: as the current language says it
        value = str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return (type(value), value)
    raise _Unkeepable  # an object whose drawing may depend on more than its equality


class FormRenderer(DjangoTemplates):
    form_template_name = "web/forms/form.html"

    def __init__(self) -> None:
        super().__init__()
        self._kept: dict[Any, str] = {}

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if request is not None or set(context) != {"widget"}:  # forms and fields: drawn
            return super().render(template_name, context, request)
        try:
            key = (template_name, get_language(), _frozen(context))
        except _Unkeepable:
            return super().render(template_name, context, request)
        html = self._kept.get(key)
        if html is None:
            if len(self._kept) >= KEPT_WIDGETS:
                self._kept.clear()
            html = self._kept[key] = super().render(template_name, context, request)
        return html
