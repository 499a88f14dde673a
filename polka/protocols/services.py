"""Writes of the protocol servers: the OAI-PMH tombstone a deleted record leaves behind."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from polka.catalog.models import Record
from polka.protocols.models import OaiTombstone
from polka.protocols.records import record_set_specs


def tombstone_on_delete(sender: Any, instance: Record, **kwargs: Any) -> None:
    """pre_delete of a record (its copies still exist): remember it and the sets it was in,
    in the same transaction as the delete, so harvesters learn that it is gone."""
    specs = record_set_specs([instance]).get(instance.pk, [])
    OaiTombstone.objects.update_or_create(
        record_id=instance.pk,
        defaults={"deleted_at": timezone.now(), "set_specs": f" {' '.join(specs)} "},
    )
