"""Django admin for configuration only: the network, branches with their calendar, staff roles.

Every save goes through org services (permission check + audit); admin pages themselves are
shown to holders of "org.configure" (Django's model permissions and superuser play no part).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polka.org import services
from polka.org.models import (
    AuditEntry,
    Branch,
    CalendarException,
    Network,
    OpeningHours,
    StaffRole,
)
from polka.org.policies import staff_branches, staff_can


class ConfigureOnly:
    """Admin permissions from the capability table; `network_wide` for network-level models."""

    network_wide = True

    def _may(self, request: HttpRequest, obj: Any = None) -> bool:
        branch = obj if isinstance(obj, Branch) else getattr(obj, "branch", None)
        if branch is not None:
            return staff_can(user=request.user, action="org.configure", branch=branch)
        return staff_can(user=request.user, action="org.configure", network_wide=self.network_wide)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return staff_can(user=request.user, action="org.configure")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return staff_can(user=request.user, action="org.configure", network_wide=True)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)


class BranchInlineConfigure(ConfigureOnly):
    """Inlines of a branch page: whoever may configure that branch may edit its rows."""

    network_wide = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)


def _changed(
    form: ModelForm,  # type: ignore[type-arg]
    fields: tuple[str, ...],
) -> dict[str, Any]:
    return {f: form.cleaned_data[f] for f in form.changed_data if f in fields}


_NETWORK_FIELDS = ("name", "short_name", "city", "website")


@admin.register(Network)
class NetworkAdmin(ConfigureOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "city", "website"]
    fields = list(_NETWORK_FIELDS)
    actions = ["holidays_load"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Network, form: Any, change: bool) -> None:
        at = timezone.now()
        if change:
            services.network_update(
                network=obj, by=request.user, at=at, **_changed(form, _NETWORK_FIELDS)
            )
            return
        created = services.network_create(**form.cleaned_data, by=request.user, at=at)
        obj.pk = created.pk

    @admin.action(description=_("Внести праздничные дни на этот и следующий год"))
    def holidays_load(self, request: HttpRequest, queryset: QuerySet[Network]) -> None:
        at = timezone.now()
        created = sum(
            services.network_holidays_load(year=year, by=request.user, at=at)
            for year in (at.year, at.year + 1)
        )
        self.message_user(request, _("Добавлено праздничных дней: %(n)d") % {"n": created})


class HoursFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        days = [f.cleaned_data.get("weekday") for f in self.forms if _kept(f)]
        if len(days) != len(set(days)):
            raise forms.ValidationError(_("Один день недели указан дважды."))


def _kept(form: Any) -> bool:
    data: dict[str, Any] = getattr(form, "cleaned_data", None) or {}
    return bool(data) and not data.get("DELETE")


class OpeningHoursInline(BranchInlineConfigure, admin.TabularInline):  # type: ignore[type-arg]
    model = OpeningHours
    formset = HoursFormSet
    extra = 0
    fields = ["weekday", "opens", "closes"]


class CalendarExceptionInline(BranchInlineConfigure, admin.TabularInline):  # type: ignore[type-arg]
    model = CalendarException
    extra = 1
    fields = ["date", "is_open", "opens", "closes", "hours_as_weekday", "kind", "reason"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarException]:
        # The past stays in the database but not on the form: a year of rows is enough noise.
        since = timezone.localdate() - timedelta(days=31)
        return super().get_queryset(request).filter(date__gte=since)


_BRANCH_FIELDS = (
    "name",
    "short_name",
    "kind",
    "address",
    "phone",
    "email",
    "accessibility",
    "is_active",
)


@admin.register(Branch)
class BranchAdmin(ConfigureOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "code", "kind", "address", "is_active"]
    list_filter = ["kind", "is_active"]
    fields = ["network", "code", *_BRANCH_FIELDS]
    inlines = [OpeningHoursInline, CalendarExceptionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Branch]:
        allowed = staff_branches(user=request.user, action="org.configure").values("pk")
        return super().get_queryset(request).filter(pk__in=allowed)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["network", "code"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Branch, form: Any, change: bool) -> None:
        at = timezone.now()
        if change:
            services.branch_update(
                branch=obj, by=request.user, at=at, **_changed(form, _BRANCH_FIELDS)
            )
            return
        data = {k: v for k, v in form.cleaned_data.items() if k != "is_active"}
        obj.pk = services.branch_create(**data, by=request.user, at=at).pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        at = timezone.now()
        branch = form.instance
        # Admin's change message reads these; our own audit log records the details.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is OpeningHours:
            week = {
                f.cleaned_data["weekday"]: (f.cleaned_data["opens"], f.cleaned_data["closes"])
                for f in formset.forms
                if _kept(f)
            }
            services.opening_hours_set(branch=branch, week=week, by=request.user, at=at)
            return
        for f in formset.forms:
            exc = f.instance
            if exc.pk and (f in formset.deleted_forms or "date" in f.changed_data):
                services.calendar_exception_remove(exception=exc, by=request.user, at=at)
            if _kept(f) and f.has_changed():
                data = {
                    k: v for k, v in f.cleaned_data.items() if k in CalendarExceptionInline.fields
                }
                on = data.pop("date")
                services.calendar_exception_add(
                    branch=branch, on=on, **data, by=request.user, at=at
                )


@admin.register(CalendarException)
class NetworkCalendarAdmin(ConfigureOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """Network-wide days (holidays, transfer days); a branch's own days are on its page."""

    list_display = ["date", "is_open", "kind", "reason"]
    list_filter = ["kind", "is_open"]
    fields = ["date", "is_open", "opens", "closes", "hours_as_weekday", "kind", "reason"]
    date_hierarchy = "date"

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarException]:
        return super().get_queryset(request).filter(branch__isnull=True)

    def save_model(
        self, request: HttpRequest, obj: CalendarException, form: Any, change: bool
    ) -> None:
        at = timezone.now()
        if change and "date" in form.changed_data:
            old = CalendarException.objects.get(pk=obj.pk)
            services.calendar_exception_remove(exception=old, by=request.user, at=at)
        data = dict(form.cleaned_data)
        on = data.pop("date")
        obj.pk = services.calendar_exception_add(
            branch=None, on=on, **data, by=request.user, at=at
        ).pk

    def delete_model(self, request: HttpRequest, obj: CalendarException) -> None:
        services.calendar_exception_remove(exception=obj, by=request.user, at=timezone.now())

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarException]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class StaffRoleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = StaffRole
        fields = ["user", "role", "all_branches", "branches"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("all_branches") and not data.get("branches"):
            raise forms.ValidationError(
                _("Выберите библиотеки или отметьте «во всех библиотеках сети».")
            )
        return data


@admin.register(StaffRole)
class StaffRoleAdmin(ConfigureOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    form = StaffRoleForm
    list_display = ["user", "role", "all_branches"]
    list_filter = ["role", "all_branches"]
    search_fields = ["user__username", "user__full_name"]
    filter_horizontal = ["branches"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["user", "role"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: StaffRole, form: Any, change: bool) -> None:
        data = form.cleaned_data
        scope: services.Scope = "all" if data["all_branches"] else list(data["branches"])
        row = services.staff_role_set(
            user=obj.user, role=obj.role, branches=scope, by=request.user, at=timezone.now()
        )
        if row is not None:
            obj.pk = row.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Branches were set by staff_role_set in save_model."""

    def delete_model(self, request: HttpRequest, obj: StaffRole) -> None:
        services.staff_role_revoke(user=obj.user, role=obj.role, by=request.user, at=timezone.now())

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[StaffRole]) -> None:
        for obj in queryset.select_related("user"):
            self.delete_model(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(ConfigureOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the log of configuration changes."""

    list_display = ["at", "actor", "action", "branch", "object_repr"]
    list_filter = ["action"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessAttempt)
class SigninLockoutAdmin(ConfigureOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """Failed-login counters (django-axes); deleting a row lifts its lockout, audited."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start"]
    search_fields = ["username", "ip_address"]
    fields = ["attempt_time", "username", "ip_address", "failures_since_start"]
    readonly_fields = ["attempt_time", "username", "ip_address", "failures_since_start"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: AccessAttempt) -> None:
        services.signin_unlock(
            username=obj.username or "",
            ip_address=obj.ip_address or "",
            by=request.user,
            at=timezone.now(),
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        for row in list(queryset):
            self.delete_model(request, row)
