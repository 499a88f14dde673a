"""Library events: what happens where and when, for which audience."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import AgeMark
from polka.org.models import Branch


class Audience(models.TextChoices):
    CHILDREN = "children", _("дети")
    TEENS = "teens", _("подростки")
    ADULTS = "adults", _("взрослые")
    SENIORS = "seniors", _("старшее поколение")
    NEWCOMERS = "newcomers", _("мигранты и переселенцы")
    PROFESSIONALS = "professionals", _("специалисты")


class Event(models.Model):
    title = models.CharField(_("название"), max_length=300)
    description = models.TextField(_("описание"), blank=True)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="events")
    place = models.CharField(_("место"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("начало"), db_index=True)
    ends_at = models.DateTimeField(_("окончание"))
    audience = models.CharField(_("аудитория"), max_length=20, choices=Audience.choices)
    age_mark = models.CharField(_("возрастной знак"), max_length=3, choices=AgeMark.choices)
    capacity = models.PositiveIntegerField(_("мест"), null=True, blank=True)
    is_published = models.BooleanField(_("опубликовано"), default=True)

    class Meta:
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="events_event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title
