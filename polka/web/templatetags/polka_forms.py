"""Template helpers for the form pattern (web/forms/form.html)."""

from __future__ import annotations

from django import template
from django.forms import BoundField, Form

register = template.Library()


@register.filter
def fields_with_errors(form: Form) -> list[BoundField]:
    """The visible fields that have errors, in form order: the error summary's links."""
    return [field for field in form.visible_fields() if field.errors]
