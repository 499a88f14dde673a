"""Readers: one card for the whole network, guardians of children, the consents under which
personal data is kept (records of polka.consents), yearly re-registration, and the audit of who
looked at a reader's record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from polka.consents.models import ConsentRecord
from polka.org.models import Branch


class ReaderCategory(models.Model):
    """A category of reader (adult, child, student, organisation…): a configurable list."""

    code = models.SlugField(_("код"), max_length=20, unique=True)
    name = models.CharField(_("название"), max_length=100)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(_("используется"), default=True)

    class Meta:
        verbose_name = _("категория читателей")
        verbose_name_plural = _("категории читателей")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Reader(models.Model):
    card_number = models.CharField(_("номер билета"), max_length=30, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reader",
    )
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)
    # Empty only for readers imported from a system that did not keep it.
    birth_date = models.DateField(_("дата рождения"), null=True, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    address = models.TextField(_("адрес"), blank=True)
    category = models.ForeignKey(
        ReaderCategory,
        on_delete=models.PROTECT,
        to_field="code",
        db_column="category",
        related_name="readers",
        verbose_name=_("категория"),
    )
    home_branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="readers")
    registered_at = models.DateTimeField(_("зарегистрирован"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто записал"),
    )
    keep_history = models.BooleanField(_("хранить историю чтения"), default=False)
    # Asked for erasure while something was on loan or owed: carried out once it is settled.
    erasure_requested_at = models.DateTimeField(_("запрошено удаление"), null=True, blank=True)

    class Meta:
        verbose_name = _("читатель")
        verbose_name_plural = _("читатели")
        indexes = [
            models.Index(Lower("last_name"), "first_name", name="readers_name"),
            models.Index(fields=["phone"], name="readers_phone"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="readers_email_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.card_number} {self.last_name} {self.first_name}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class Guardian(models.Model):
    """A parent or legal representative of a child reader: a reader, or a person recorded
    with the child."""

    child = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="guardians")
    # Erasing a guardian who is a reader removes them as guardian (the child stays).
    reader = models.ForeignKey(
        Reader,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="wards",
        verbose_name=_("читатель-представитель"),
    )
    full_name = models.CharField(_("ФИО"), max_length=300, blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    relation = models.CharField(_("кем приходится"), max_length=100, blank=True)
    added_at = models.DateTimeField(_("записан"))

    class Meta:
        verbose_name = _("законный представитель")
        verbose_name_plural = _("законные представители")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reader__isnull=False) | ~models.Q(full_name=""),
                name="readers_guardian_named",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.reader.full_name if self.reader is not None else self.full_name


class ReaderConsent(models.Model):
    """Ties a consent record (polka.consents) to the reader it is about, and, for a child, to
    the guardian who gave it."""

    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="consent_links")
    record = models.OneToOneField(
        ConsentRecord, on_delete=models.CASCADE, related_name="reader_link"
    )
    guardian = models.ForeignKey(
        Guardian, on_delete=models.SET_NULL, null=True, blank=True, related_name="consents"
    )

    class Meta:
        verbose_name = _("согласие читателя")
        verbose_name_plural = _("согласия читателей")

    def __str__(self) -> str:
        return f"{self.reader_id}: {self.record_id}"


class Registration(models.Model):
    """A registration or yearly re-registration: the annual statistics count these per year.

    Survives the reader's erasure as an anonymous fact (reader set to empty)."""

    reader = models.ForeignKey(
        Reader, on_delete=models.SET_NULL, null=True, blank=True, related_name="registrations"
    )
    year = models.PositiveSmallIntegerField(_("год"))
    at = models.DateTimeField(_("когда"))
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("библиотека")
    )
    category = models.CharField(_("категория"), max_length=20)
    is_new = models.BooleanField(_("первичная запись"), default=False)
    age = models.PositiveSmallIntegerField(_("возраст, лет"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("регистрация читателя")
        verbose_name_plural = _("регистрации читателей")
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "year"],
                condition=models.Q(reader__isnull=False),
                name="readers_registration_once_a_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.category}"


class RecordView(models.Model):
    """A member of staff opened a reader's record (who, when); the reader sees these."""

    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="record_views")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("когда"))

    class Meta:
        verbose_name = _("просмотр формуляра")
        verbose_name_plural = _("просмотры формуляров")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"


class Erasure(models.Model):
    """That a reader was erased, when and by whom: never the data itself."""

    at = models.DateTimeField(_("когда"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reader_id_erased = models.PositiveBigIntegerField(_("внутренний номер читателя"))
    # Table label → number of rows removed or anonymised.
    removed = models.JSONField(_("что удалено"), default=dict)
    on_request = models.BooleanField(_("по просьбе читателя"), default=False)

    class Meta:
        verbose_name = _("удаление данных читателя")
        verbose_name_plural = _("удаления данных читателей")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} #{self.reader_id_erased}"


class PreRegistration(models.Model):
    """A form filled on the site, under consent: a temporary number until the reader comes to a
    desk with an identity document. Unconfirmed ones expire and are erased."""

    number = models.CharField(_("временный номер"), max_length=20, unique=True)
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)
    birth_date = models.DateField(_("дата рождения"))
    email = models.EmailField(_("электронная почта"), blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    address = models.TextField(_("адрес"), blank=True)
    guardian_name = models.CharField(_("ФИО законного представителя"), max_length=300, blank=True)
    home_branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="+", verbose_name=_("библиотека")
    )
    consent = models.ForeignKey(ConsentRecord, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("заполнено"))
    expires_at = models.DateTimeField(_("действует до"), db_index=True)

    class Meta:
        verbose_name = _("предварительная запись")
        verbose_name_plural = _("предварительные записи")

    def __str__(self) -> str:
        return self.number
