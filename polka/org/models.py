"""The library network, its branches, their opening calendar, and staff roles per branch."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Network(models.Model):
    """The library network (a city's central library system). One per installation."""

    name = models.CharField(_("название"), max_length=300)
    short_name = models.CharField(_("краткое название"), max_length=100, blank=True)
    city = models.CharField(_("город"), max_length=100, blank=True)
    website = models.URLField(_("сайт"), blank=True)

    class Meta:
        verbose_name = _("сеть библиотек")
        verbose_name_plural = _("сети библиотек")

    def __str__(self) -> str:
        return self.name


class BranchKind(models.TextChoices):
    CENTRAL = "central", _("центральная библиотека")
    CHILDREN_CENTRAL = "children_central", _("центральная детская библиотека")
    BRANCH = "branch", _("библиотека-филиал")
    CHILDREN = "children", _("детская библиотека-филиал")


class Branch(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="branches")
    code = models.SlugField(_("код"), max_length=32, unique=True)
    name = models.CharField(_("название"), max_length=300)
    short_name = models.CharField(_("краткое название"), max_length=100, blank=True)
    kind = models.CharField(_("тип"), max_length=20, choices=BranchKind.choices)
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    accessibility = models.TextField(_("доступная среда"), blank=True)
    is_active = models.BooleanField(_("работает"), default=True)

    class Meta:
        verbose_name = _("библиотека")
        verbose_name_plural = _("библиотеки")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class OpeningHours(models.Model):
    """Regular weekly hours: one row per open weekday (0 = Monday). No row: closed that day."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("день недели"))
    opens = models.TimeField(_("открывается"))
    closes = models.TimeField(_("закрывается"))

    class Meta:
        verbose_name = _("часы работы")
        verbose_name_plural = _("часы работы")
        ordering = ["branch", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "weekday"], name="org_hours_one_per_day"),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6), name="org_hours_weekday"
            ),
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="org_hours_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday}: {self.opens:%H:%M}–{self.closes:%H:%M}"


class ExceptionKind(models.TextChoices):
    HOLIDAY = "holiday", _("праздничный день")
    TRANSFER = "transfer", _("перенос рабочего дня")
    SANITARY = "sanitary", _("санитарный день")
    CLOSURE = "closure", _("закрыта")
    SPECIAL = "special", _("особый режим работы")


class CalendarException(models.Model):
    """A date that differs from the weekly hours, for one branch or (branch empty) all of them.

    Closed days (sanitary day, holiday) have is_open False; a working day that is normally
    closed (a holiday transfer, a special event) has is_open True with its hours — either its
    own opens/closes, or the branch's weekly hours of `hours_as_weekday` (a Saturday worked
    "as Monday" by government decree).
    """

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="exceptions", null=True, blank=True
    )
    date = models.DateField(_("дата"))
    is_open = models.BooleanField(_("открыта"), default=False)
    opens = models.TimeField(_("открывается"), null=True, blank=True)
    closes = models.TimeField(_("закрывается"), null=True, blank=True)
    hours_as_weekday = models.PositiveSmallIntegerField(
        _("работает по часам дня недели"), null=True, blank=True
    )
    kind = models.CharField(
        _("вид"), max_length=20, choices=ExceptionKind.choices, default=ExceptionKind.CLOSURE
    )
    reason = models.CharField(_("причина"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("особый день")
        verbose_name_plural = _("особые дни")
        ordering = ["date"]
        indexes = [models.Index(fields=["date"], name="org_exception_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__isnull=True, closes__isnull=True)
                | models.Q(opens__isnull=False, closes__isnull=False, closes__gt=models.F("opens")),
                name="org_exception_hours_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_as_weekday__isnull=True)
                | models.Q(hours_as_weekday__gte=0, hours_as_weekday__lte=6),
                name="org_exception_as_weekday",
            ),
            models.UniqueConstraint(
                fields=["branch", "date"], name="org_exception_one_per_branch_day"
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(branch__isnull=True),
                name="org_exception_one_per_network_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.reason}".strip()


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("администратор")
    CATALOGUER = "cataloguer", _("каталогизатор")
    DESK = "desk", _("библиотекарь абонемента")
    REFERENCE = "reference", _("библиограф (справочная служба)")
    METHODIST = "methodist", _("методист, организатор мероприятий")
    MANAGER = "manager", _("руководитель")


class StaffRole(models.Model):
    """A user holds a role in some branches, or (all_branches) in the whole network."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(_("роль"), max_length=20, choices=Role.choices)
    branches = models.ManyToManyField(Branch, blank=True, related_name="staff_roles")
    all_branches = models.BooleanField(_("во всех библиотеках сети"), default=False)

    class Meta:
        verbose_name = _("роль сотрудника")
        verbose_name_plural = _("роли сотрудников")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="org_staffrole_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class AuditEntry(models.Model):
    """Who changed the network's configuration, what and when (org services write these).

    Our own table rather than admin's LogEntry: services also run from the CLI and the demo
    generator, where there is no admin and often no acting user.
    """

    at = models.DateTimeField(_("когда"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто"),
    )
    action = models.CharField(_("действие"), max_length=50)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("библиотека"),
    )
    object_repr = models.CharField(_("объект"), max_length=300, blank=True)
    # "app_label.model:pk" (polka.core.audit.object_key): an object's history is one lookup.
    object_key = models.CharField(max_length=120, blank=True, db_index=True, editable=False)
    details = models.JSONField(_("подробности"), default=dict, blank=True)

    class Meta:
        verbose_name = _("запись журнала настроек")
        verbose_name_plural = _("журнал настроек")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
