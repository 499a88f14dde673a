"""Bookkeeping every app may use: the hits that rate limits count (see polka.core.antispam).

The table keeps its first name (web_rateevent): the model moved here from polka.web without
touching the database.
"""

from __future__ import annotations

from django.db import models


class RateEvent(models.Model):
    scope = models.CharField(max_length=50)
    key = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        db_table = "web_rateevent"
        indexes = [models.Index(fields=["scope", "key", "at"], name="web_rate_lookup")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class ContentState(models.Model):
    """One row: the public content's generation, a random token replaced inside every
    transaction that changes what public pages show (polka.core.pagecache)."""

    generation = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.generation
