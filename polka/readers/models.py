"""Readers: library cards, categories and the consents under which personal data is kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.org.models import Branch


class ReaderCategory(models.TextChoices):
    ADULT = "adult", _("взрослый")
    CHILD = "child", _("ребёнок")
    TEEN = "teen", _("подросток")
    STUDENT = "student", _("учащийся")
    SENIOR = "senior", _("пенсионер")


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
    birth_year = models.PositiveSmallIntegerField(_("год рождения"), null=True, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    category = models.CharField(
        _("категория"), max_length=20, choices=ReaderCategory.choices, default=ReaderCategory.ADULT
    )
    home_branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="readers")
    registered_at = models.DateTimeField(_("зарегистрирован"))

    class Meta:
        verbose_name = _("читатель")
        verbose_name_plural = _("читатели")

    def __str__(self) -> str:
        return f"{self.card_number} {self.last_name} {self.first_name}"


class Consent(models.Model):
    """A recorded consent: who, for which purpose, which text version, when and from where."""

    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("цель"), max_length=50)
    text_version = models.CharField(_("версия текста"), max_length=20)
    given_at = models.DateTimeField(_("дано"))
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)

    class Meta:
        verbose_name = _("согласие")
        verbose_name_plural = _("согласия")

    def __str__(self) -> str:
        return f"{self.purpose} {self.text_version} {self.given_at:%Y-%m-%d}"
