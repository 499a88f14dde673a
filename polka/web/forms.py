"""Every Django form on the site renders in the design system's one field pattern (GOV.UK
model): an error summary at the top linking to each field, then per field the label, the hint,
the error message and the field (Django's field group already has that order)."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    form_template_name = "web/forms/form.html"
