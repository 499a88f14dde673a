"""What the protocol servers keep of their own: OAI-PMH tombstones of deleted records."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OaiTombstone(models.Model):
    """A deleted record, still listed by OAI-PMH as `deleted` (deletedRecord: persistent)."""

    record_id = models.PositiveBigIntegerField(_("запись"), unique=True)
    deleted_at = models.DateTimeField(_("удалена"), db_index=True)
    # " branch:central material:book ": a set filter is one LIKE on both engines.
    set_specs = models.TextField(_("наборы OAI"), blank=True)

    class Meta:
        verbose_name = _("удалённая запись (OAI-PMH)")
        verbose_name_plural = _("удалённые записи (OAI-PMH)")

    def __str__(self) -> str:
        return f"{self.record_id} ({self.deleted_at:%Y-%m-%d})"

    @property
    def specs(self) -> list[str]:
        return self.set_specs.split()
