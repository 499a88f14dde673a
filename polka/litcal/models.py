"""The literary calendar's own data: notes on catalogue persons (or hiding them) and people the
catalogue lacks. Anniversaries themselves are computed, never typed (polka.litcal.selectors)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import Person


class PersonNote(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="litcal_note")
    note = models.TextField(_("примечание"), blank=True)
    hidden = models.BooleanField(_("не показывать в календаре"), default=False)

    class Meta:
        verbose_name = _("примечание к персоне")
        verbose_name_plural = _("примечания к персонам")

    def __str__(self) -> str:
        return str(self.person)


class ExtraPerson(models.Model):
    """A writer the catalogue has no record of (or whose dates it lacks), added by staff."""

    name = models.CharField(_("имя"), max_length=300)
    other_names = models.CharField(
        _("другие имена, псевдонимы (через точку с запятой)"), max_length=500, blank=True
    )
    birth_year = models.SmallIntegerField(_("год рождения"), null=True, blank=True)
    birth_date = models.DateField(_("дата рождения"), null=True, blank=True)
    death_year = models.SmallIntegerField(_("год смерти"), null=True, blank=True)
    death_date = models.DateField(_("дата смерти"), null=True, blank=True)
    note = models.TextField(_("примечание"), blank=True)
    hidden = models.BooleanField(_("не показывать в календаре"), default=False)

    class Meta:
        verbose_name = _("персона календаря")
        verbose_name_plural = _("персоны календаря")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
