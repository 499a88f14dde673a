"""The rules matrix in the admin, for managers (the «circulation.rules» capability); the
circulation journal read-only for them too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from polka.circulation.models import Event, LoanRule
from polka.org.policies import staff_can

RULES = "circulation.rules"


@admin.register(LoanRule)
class LoanRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "__str__",
        "loan_days",
        "max_loans",
        "renewals",
        "renewal_days",
        "holds_allowed",
        "max_holds",
        "hold_shelf_days",
        "reading_room_only",
        "block_overdue_days",
    )
    list_filter = ("branch", "reader_category", "item_type")

    def _may(self, request: HttpRequest, obj: Any = None) -> bool:
        branch = getattr(obj, "branch", None)
        if branch is not None:
            return staff_can(user=request.user, action=RULES, branch=branch)
        return staff_can(user=request.user, action=RULES, network_wide=obj is not None)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return staff_can(user=request.user, action=RULES)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(user=request.user, action=RULES)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return staff_can(user=request.user, action=RULES)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "action", "from_state", "to_state", "branch", "by", "override")
    list_filter = ("action", "branch")
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return staff_can(user=request.user, action=RULES)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(user=request.user, action=RULES)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
