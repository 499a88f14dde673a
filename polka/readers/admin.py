"""Admin for the configurable list of reader categories (network-wide configuration: holders of
"org.configure" in all branches). Categories in use cannot be deleted, only switched off."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from polka.org.admin import ConfigureOnly
from polka.readers.models import ReaderCategory


@admin.register(ReaderCategory)
class ReaderCategoryAdmin(ConfigureOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "position", "is_active")
    list_editable = ("position", "is_active")
    ordering = ("position", "name")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        in_use = obj is not None and obj.readers.exists()
        return not in_use and super().has_delete_permission(request, obj)
