"""`polka readers-purge`: erase expired online pre-registrations and carry out the erasures
readers asked for once their loans and debts are settled. Run it daily (cron or a timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from polka.readers.services import preregistrations_purge, readers_erase_pending


class Command(BaseCommand):
    help = "Erase expired pre-registrations and carry out pending erasures."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        expired = preregistrations_purge(at=now)
        erased = readers_erase_pending(at=now)
        self.stdout.write(f"pre-registrations erased {expired}, readers erased {erased}")
