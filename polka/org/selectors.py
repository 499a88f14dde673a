"""Reads of the network and its branches."""

from __future__ import annotations

from django.db.models import QuerySet

from polka.org.models import Branch, Network


def network_current() -> Network | None:
    """The installation's network (the first one; an installation serves one network)."""
    return Network.objects.order_by("pk").first()


def branches_active() -> QuerySet[Branch]:
    return Branch.objects.filter(is_active=True).order_by("name")
