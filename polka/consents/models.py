"""A consent, recorded: for which purpose, which text version, who, when and from which address."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    ONLINE = "online", _("на сайте")
    DESK = "desk", _("в библиотеке, с подписью")


class ConsentRecord(models.Model):
    purpose = models.CharField(_("цель"), max_length=50, db_index=True)
    text_version = models.CharField(_("версия текста"), max_length=20)
    given_at = models.DateTimeField(_("дано"))
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    # Who agreed: a guest by name and email, or a logged-in user.
    name = models.CharField(_("имя"), max_length=200, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What it was given for, e.g. "events.registration:42" (for the data protection officer).
    context = models.CharField(_("к чему относится"), max_length=100, blank=True)
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)
    channel = models.CharField(
        _("как получено"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    # The member of staff who took a consent at the desk.
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто принял"),
    )

    class Meta:
        verbose_name = _("согласие")
        verbose_name_plural = _("согласия")
        indexes = [models.Index(fields=["email", "purpose"], name="consents_email_purpose")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.text_version} {self.given_at:%Y-%m-%d}"
