"""`polka sip2station NAME --branch CODE [--encoding cp1251] [--crlf]`: add a self-service
station's SIP2 account (a desk login in that branch) and print its password once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from polka.org.errors import OrgError
from polka.org.models import Branch
from polka.protocols.models import Sip2Encoding
from polka.protocols.services import sip2_station_create


class Command(BaseCommand):
    help = "Add a SIP2 station account for a branch and print its password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the login the station sends in SIP2 93 (CN)")
        parser.add_argument("--branch", required=True, help="branch code")
        parser.add_argument("--encoding", choices=Sip2Encoding.values, default=Sip2Encoding.UTF8)
        parser.add_argument("--crlf", action="store_true", help="end responses with CR LF")

    def handle(self, *args: Any, **options: Any) -> None:
        branch = Branch.objects.filter(code=options["branch"]).first()
        if branch is None:
            raise CommandError(f"no branch with code {options['branch']!r}")
        try:
            station, password = sip2_station_create(
                username=options["name"],
                branch=branch,
                encoding=options["encoding"],
                crlf=options["crlf"],
                at=timezone.now(),
            )
        except OrgError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{station.user.username}\t{branch.code}\t{password}")
