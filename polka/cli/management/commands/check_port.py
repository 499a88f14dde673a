"""`polka check_port HOST PORT`: fail with a clear line when the port `make run` wants is taken."""

from __future__ import annotations

import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = _("Проверить, что порт свободен, прежде чем запускать сервер.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("host")
        parser.add_argument("port", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        if not port_is_free(options["host"], options["port"]):
            raise CommandError(
                _(
                    "Порт %(port)d на %(host)s уже занят (возможно, Polka уже запущена). "
                    "Остановите тот процесс или выберите другой порт: make run PORT=%(next)d"
                )
                % {"host": options["host"], "port": options["port"], "next": options["port"] + 1}
            )
