"""API tokens: a reader's own app or a staff tool holds one instead of a session. Only a hash
is stored; the token itself is shown once, when issued."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("название"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("выдан"))
    last_used_on = models.DateField(_("последнее использование"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("отозван"), null=True, blank=True)

    class Meta:
        verbose_name = _("ключ API")
        verbose_name_plural = _("ключи API")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.name or self.pk}"
