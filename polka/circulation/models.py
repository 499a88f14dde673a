"""Lending: the rules matrix, loans, holds, copies in transit, the audit of every transition,
and the statistical facts written as things happen (they outlive the loan history)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import Item, Record
from polka.org.models import Branch
from polka.readers.models import Reader, ReaderCategory


class LoanRule(models.Model):
    """One row of the rules matrix: branch × reader category × item type, each empty for
    "any". The most specific row that matches wins (branch before category before type)."""

    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="loan_rules",
        verbose_name=_("библиотека"),
    )
    reader_category = models.ForeignKey(
        ReaderCategory,
        on_delete=models.CASCADE,
        to_field="code",
        db_column="reader_category",
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("категория читателей"),
    )
    item_type = models.CharField(_("тип экземпляра"), max_length=50, blank=True)
    loan_days = models.PositiveSmallIntegerField(_("срок выдачи, дней"), default=30)
    max_loans = models.PositiveSmallIntegerField(_("книг на руках, не более"), default=10)
    renewals = models.PositiveSmallIntegerField(_("продлений"), default=2)
    renewal_days = models.PositiveSmallIntegerField(_("продление на, дней"), default=14)
    holds_allowed = models.BooleanField(_("бронирование разрешено"), default=True)
    max_holds = models.PositiveSmallIntegerField(_("броней, не более"), default=5)
    hold_shelf_days = models.PositiveSmallIntegerField(_("дней на полке брони"), default=7)
    reading_room_only = models.BooleanField(_("только в читальном зале"), default=False)
    block_overdue_days = models.PositiveSmallIntegerField(
        _("блокировать при просрочке более, дней"), null=True, blank=True
    )
    block_lost = models.BooleanField(_("блокировать, пока утерянное не возмещено"), default=True)
    block_not_reregistered = models.BooleanField(
        _("блокировать без перерегистрации в этом году"), default=False
    )

    class Meta:
        verbose_name = _("правило выдачи")
        verbose_name_plural = _("правила выдачи")
        ordering = ["branch", "reader_category", "item_type"]

    def __str__(self) -> str:
        parts = [
            str(self.branch) if self.branch_id else str(_("все библиотеки")),
            self.reader_category_id or str(_("все категории")),
            self.item_type or str(_("все типы")),
        ]
        return " × ".join(parts)


class LoanState(models.TextChoices):
    ACTIVE = "active", _("на руках")
    RETURNED = "returned", _("возвращена")
    LOST = "lost", _("утеряна")


class Settlement(models.TextChoices):
    REPLACEMENT = "replacement", _("равноценная замена")
    PAYMENT = "payment", _("оплата")


class Loan(models.Model):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="loans")
    # Emptied at return unless the reader keeps a reading history (anonymisation).
    reader = models.ForeignKey(
        Reader, on_delete=models.SET_NULL, null=True, blank=True, related_name="loans"
    )
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("состояние"), max_length=20, choices=LoanState.choices)
    rule = models.ForeignKey(LoanRule, on_delete=models.SET_NULL, null=True, blank=True)
    lent_at = models.DateTimeField(_("выдана"))
    due_on = models.DateField(_("вернуть до"))
    renewals = models.PositiveSmallIntegerField(_("продлений"), default=0)
    returned_at = models.DateTimeField(_("возвращена"), null=True, blank=True)
    returned_branch = models.ForeignKey(
        Branch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lost_at = models.DateTimeField(_("отмечена утерянной"), null=True, blank=True)
    settlement = models.CharField(
        _("возмещение"), max_length=20, choices=Settlement.choices, blank=True
    )
    settled_at = models.DateTimeField(_("возмещена"), null=True, blank=True)
    amount = models.DecimalField(_("сумма"), max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("выдача")
        verbose_name_plural = _("выдачи")
        constraints = [
            # The database itself refuses a second open loan of one copy.
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state__in=["active", "lost"]),
                name="circulation_one_open_loan_per_item",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_on"], name="circulation_loan_due"),
            models.Index(fields=["reader", "state"], name="circulation_loan_reader"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.reader_id} ({self.state})"


class HoldState(models.TextChoices):
    WAITING = "waiting", _("в очереди")
    IN_TRANSIT = "in_transit", _("едет в библиотеку выдачи")
    READY = "ready", _("ждёт на полке брони")
    COLLECTED = "collected", _("выдана")
    CANCELLED = "cancelled", _("отменена")
    EXPIRED = "expired", _("не забрана вовремя")


OPEN_HOLD_STATES = (HoldState.WAITING, HoldState.IN_TRANSIT, HoldState.READY)


class Hold(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="holds")
    # The copy asked for (`specific`) or, once trapped, the copy set aside.
    item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="holds"
    )
    specific = models.BooleanField(_("именно этот экземпляр"), default=False)
    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="holds")
    pickup_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("где забрать")
    )
    state = models.CharField(_("состояние"), max_length=20, choices=HoldState.choices)
    placed_at = models.DateTimeField(_("поставлена"))
    suspended_until = models.DateField(_("приостановлена до"), null=True, blank=True)
    trapped_at = models.DateTimeField(_("экземпляр отложен"), null=True, blank=True)
    expires_on = models.DateField(_("ждёт до"), null=True, blank=True)
    closed_at = models.DateTimeField(_("закрыта"), null=True, blank=True)

    class Meta:
        verbose_name = _("бронь")
        verbose_name_plural = _("брони")
        constraints = [
            # One copy waits for one reader at a time.
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state__in=["in_transit", "ready"]),
                name="circulation_one_hold_per_trapped_item",
            ),
        ]
        indexes = [
            models.Index(fields=["record", "state", "placed_at"], name="circulation_hold_queue"),
            models.Index(fields=["reader", "state"], name="circulation_hold_reader"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} ← {self.reader_id} ({self.state})"


class Transit(models.Model):
    """A copy on its way between branches: to a hold's pickup branch, or home."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="transits")
    from_branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    to_branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    hold = models.ForeignKey(
        Hold, on_delete=models.SET_NULL, null=True, blank=True, related_name="transits"
    )
    sent_at = models.DateTimeField(_("отправлен"))
    received_at = models.DateTimeField(_("получен"), null=True, blank=True)

    class Meta:
        verbose_name = _("перемещение экземпляра")
        verbose_name_plural = _("перемещения экземпляров")
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(received_at__isnull=True),
                name="circulation_one_open_transit_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_branch_id} → {self.to_branch_id}"


class Event(models.Model):
    """The audit of every transition: what, from which state to which, who, where, and the
    reason of an override. Holds the reader only through the hold (loans get anonymised)."""

    at = models.DateTimeField(_("когда"), db_index=True)
    action = models.CharField(_("действие"), max_length=30)
    loan = models.ForeignKey(
        Loan, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    hold = models.ForeignKey(
        Hold, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    branch = models.ForeignKey(
        Branch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override = models.CharField(_("причина отступления от правил"), max_length=300, blank=True)
    note = models.CharField(_("примечание"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("событие книговыдачи")
        verbose_name_plural = _("журнал книговыдачи")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class FactKind(models.TextChoices):
    LOAN = "loan", _("выдача")
    RETURN = "return", _("возврат")
    RENEWAL = "renewal", _("продление")
    IN_LIBRARY_USE = "use", _("в читальном зале")
    VISIT = "visit", _("посещение")


class AgeBand(models.TextChoices):
    """The age groups of the annual 6-NK form."""

    CHILD = "0-14", _("до 14 лет")
    YOUTH = "15-30", _("15–30 лет")
    ADULT = "31+", _("старше 30 лет")
    UNKNOWN = "", _("не указан")


class Fact(models.Model):
    """One statistical fact, anonymous from the start: the statistics sum these."""

    kind = models.CharField(_("вид"), max_length=10, choices=FactKind.choices)
    at = models.DateTimeField(_("когда"))
    on = models.DateField(_("дата"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    age_band = models.CharField(_("возраст"), max_length=5, choices=AgeBand.choices, blank=True)
    # The age in years, for the diary's finer bands (none for facts without a reader or older ones).
    age = models.PositiveSmallIntegerField(_("возраст, лет"), null=True, blank=True)
    reader_category = models.CharField(_("категория"), max_length=20, blank=True)
    material_type = models.CharField(_("вид документа"), max_length=20, blank=True)
    language = models.CharField(_("язык"), max_length=10, blank=True)
    remote = models.BooleanField(_("удалённо"), default=False)

    class Meta:
        verbose_name = _("статистический факт")
        verbose_name_plural = _("статистические факты")
        indexes = [
            models.Index(fields=["on", "branch", "kind"], name="circulation_fact_day"),
            # The statistics read a branch's days from this index alone (the diary, a branch's
            # form) ...
            models.Index(
                fields=[
                    "branch",
                    "on",
                    "kind",
                    "remote",
                    "age_band",
                    "age",
                    "material_type",
                    "language",
                ],
                name="circulation_fact_tally",
            ),
            # ... and the network's year in GROUP BY order, without sorting millions of rows.
            models.Index(
                fields=["kind", "remote", "age_band", "on"], name="circulation_fact_network"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.kind}"
