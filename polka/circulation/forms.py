"""The rules matrix row form (staff page /circulation/rules/)."""

from __future__ import annotations

from django import forms

from polka.circulation.models import LoanRule


class LoanRuleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LoanRule
        fields = [
            "branch",
            "reader_category",
            "item_type",
            "loan_days",
            "max_loans",
            "renewals",
            "renewal_days",
            "holds_allowed",
            "max_holds",
            "hold_shelf_days",
            "reading_room_only",
            "block_overdue_days",
            "block_lost",
            "block_not_reregistered",
        ]
