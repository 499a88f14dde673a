"""`polka staff_create USERNAME --role ROLE=all|CODE,...`: a staff login; password printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from polka.org import services
from polka.org.errors import OrgError
from polka.org.models import Branch, Role


def _scope(spec: str) -> tuple[str, services.Scope]:
    role, _, where = spec.partition("=")
    if role not in Role.values:
        raise CommandError(f"unknown role {role!r}; roles: {', '.join(Role.values)}")
    if where == "all":
        return role, "all"
    codes = [c for c in where.split(",") if c]
    branches = list(Branch.objects.filter(code__in=codes))
    missing = set(codes) - {b.code for b in branches}
    if not codes or missing:
        raise CommandError(
            f"{spec!r}: name branches by code, or 'all' (unknown: {sorted(missing)})"
        )
    return role, branches


class Command(BaseCommand):
    help = "Create a staff account with roles; prints its generated password once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            help="ROLE=all or ROLE=CODE,CODE (repeatable), e.g. administrator=all, desk=central",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--full-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        roles = dict(_scope(spec) for spec in options["role"])
        try:
            user, password = services.staff_user_create(
                username=options["username"],
                email=options["email"],
                full_name=options["full_name"],
                roles=roles,
                at=timezone.now(),
            )
        except OrgError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{user.username}\t{password}")
