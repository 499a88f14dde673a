"""The catalogue in Django admin: read-only, for looking things up.

Records and copies change through the catalogue services (the editor, `polka import`), which
keep history and the search index in step; the admin offers no way around them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from polka.catalog.models import ImportRun, Item, Person, Record


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "year", "format", "control_number", "edited", "updated_at")
    list_filter = ("format", "material_type", "edited")
    search_fields = ("title", "control_number", "isbn_keys__isbn")
    exclude = ("source",)


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ("barcode", "record", "branch", "status", "shelf_mark")
    list_filter = ("status", "branch")
    search_fields = ("barcode", "inventory_number")
    list_select_related = ("record", "branch")


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "dates")
    search_fields = ("name",)


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = (
        "started_at",
        "status",
        "read",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "repaired",
    )
    list_filter = ("status",)
