"""What the statistics keep themselves: the diary's hand-counted entries and the hand-entered
cells of form 6-НК. Both are append-only: a correction is a new row, so a filed year can be
reproduced exactly."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.org.models import Branch


class Indicator(models.TextChoices):
    """The figures of the diary; the computed ones come from facts, all take hand entries."""

    USERS_NEW = "users_new", _("записано читателей впервые")
    USERS_RE = "users_re", _("перерегистрировано читателей")
    VISITS = "visits", _("посещения для получения услуг")
    VISITS_REMOTE = "visits_remote", _("удалённые посещения")
    LOANS = "loans", _("выдано документов на дом")
    USE = "use", _("выдано в читальном зале")
    ELOANS = "eloans", _("выдано электронных документов (удалённо)")
    ILL = "ill", _("получено из других библиотек (МБА)")
    ANSWERS = "answers", _("выполнено справок и консультаций")
    EVENTS = "events", _("проведено мероприятий")
    ATTENDANCE = "attendance", _("посещения мероприятий")
    OFFSITE_VISITS = "offsite_visits", _("посещения внестационарных пунктов")
    OFFSITE_LOANS = "offsite_loans", _("выдано во внестационарных пунктах")
    EVENTS_OFFSITE = "events_offsite", _("мероприятия вне библиотеки")
    EVENTS_ONLINE = "events_online", _("мероприятия онлайн")


class DiaryEntry(models.Model):
    """A figure the system cannot see (visitors counted by hand, a mobile library stop), added
    to one day of one branch. A correction is another entry (negative to take away)."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("дата"))
    indicator = models.CharField(_("показатель"), max_length=20, choices=Indicator.choices)
    age_from = models.PositiveSmallIntegerField(_("возраст от"), null=True, blank=True)
    age_to = models.PositiveSmallIntegerField(_("возраст до"), null=True, blank=True)
    count = models.IntegerField(_("число"))
    note = models.CharField(_("примечание"), max_length=300, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("внесено"))

    class Meta:
        verbose_name = _("запись дневника")
        verbose_name_plural = _("записи дневника")
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["branch", "on"], name="statistics_diary_day")]

    def __str__(self) -> str:
        return f"{self.on} {self.indicator} {self.count}"


class FormValue(models.Model):
    """One hand-entered cell of form 6-НК (sections 1, 6, 7, and the few computed sections'
    cells the system cannot see) for a year and a branch (none: the network). The newest row
    of a cell is its value; older rows stay as the history."""

    year = models.PositiveSmallIntegerField(_("год"))
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code = models.CharField(_("строка"), max_length=10)
    value = models.DecimalField(_("значение"), max_digits=14, decimal_places=2)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("внесено"))

    class Meta:
        verbose_name = _("значение формы 6-НК")
        verbose_name_plural = _("значения формы 6-НК")
        indexes = [
            models.Index(fields=["year", "branch", "code"], name="statistics_formvalue_cell")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.code} {self.value}"


class FactTotal(models.Model):
    """Circulation facts summed per branch, day, kind and 6-НК band, so that a network's year
    is read from tens of thousands of rows, not millions. Rows are only added (each roll-up
    sums the facts that came since the previous one); the statistics sum them."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    kind = models.CharField(max_length=10)
    remote = models.BooleanField(default=False)
    age_band = models.CharField(max_length=5, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["kind", "remote", "age_band", "on", "branch", "n"],
                name="statistics_facttotal_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.kind} {self.n}"


class RollUpMark(models.Model):
    """How far the facts are summed: ids up to `rolled_id` are in FactTotal; `seen_id` was
    the newest id when last looked at (`seen_at`), rolled up once transactions begun before
    then have surely ended."""

    rolled_id = models.BigIntegerField(default=0)
    seen_id = models.BigIntegerField(default=0)
    seen_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.rolled_id}/{self.seen_id}"
