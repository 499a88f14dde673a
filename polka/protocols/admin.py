"""The remote catalogues of copy cataloguing and the SIP2 stations in the admin, for those who
configure the network («org.configure»); stations are added with `polka sip2station`, which
prints the password, so the admin only shows and edits their settings."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from polka.org.policies import staff_can
from polka.protocols.models import CopyTarget, Sip2Station

CONFIGURE = "org.configure"


class _ConfigureOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_module_permission(self, request: HttpRequest) -> bool:
        return staff_can(user=request.user, action=CONFIGURE, network_wide=True)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


@admin.register(CopyTarget)
class CopyTargetAdmin(_ConfigureOnly):
    list_display = ("name", "protocol", "address", "timeout", "is_active")
    list_filter = ("protocol", "is_active")


@admin.register(Sip2Station)
class Sip2StationAdmin(_ConfigureOnly):
    list_display = ("user", "branch", "encoding", "crlf")
    list_filter = ("branch", "encoding")
    fields = ("user", "branch", "encoding", "crlf")
    readonly_fields = ("user", "branch")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
