"""`polka unlock_login [--username U] [--ip ADDRESS]`: lift a login lockout."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from polka.org import services


class Command(BaseCommand):
    help = "Clear the failed-login counters of a username, an address, or both (audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="")
        parser.add_argument("--ip", default="", help="the address that was locked out")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["username"] and not options["ip"]:
            raise CommandError("name --username, --ip, or both")
        cleared = services.signin_unlock(
            username=options["username"], ip_address=options["ip"], by=None, at=timezone.now()
        )
        self.stdout.write(f"unlocked: {cleared} failure counters cleared")
