"""A notice is an email waiting to go or gone: queued in the same transaction as the change it
tells about (so it is never lost nor sent for a change that rolled back), sent after commit or
by `polka notices`, retried a few times, kept as a record of what was said to whom.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    kind = models.CharField(_("вид"), max_length=60, db_index=True)
    to_email = models.EmailField(_("адрес"))
    language = models.CharField(_("язык"), max_length=10, default="ru")
    subject = models.CharField(_("тема"), max_length=300)
    body = models.TextField(_("текст"))
    # One notice per key at most (a reminder per sign-up, say): queueing it twice is a no-op.
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("создано"))
    send_after = models.DateTimeField(_("отправить после"), db_index=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        ordering = ["send_after", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_email}"
