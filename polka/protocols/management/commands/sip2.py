"""`polka sip2 --port 6001`: serve SIP2 to self-service stations until stopped."""

from __future__ import annotations

import contextlib
import os
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from polka.protocols.sip2_server import (
    DEFAULT_PORT,
    IDLE_TIMEOUT,
    MAX_CONNECTIONS,
    Sip2Server,
    serve_forked,
)


class Command(BaseCommand):
    help = "Serve SIP2 (3M SIP2 2.00 over TCP) to self-service stations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=DEFAULT_PORT)
        parser.add_argument("--host", default="0.0.0.0")  # noqa: S104 - a server for the network
        parser.add_argument("--max-connections", type=int, default=MAX_CONNECTIONS)
        parser.add_argument("--idle-timeout", type=float, default=IDLE_TIMEOUT, help="seconds")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processes sharing the port (default: one a core; 1 serves from this one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        server = Sip2Server(
            (options["host"], options["port"]),
            max_connections=options["max_connections"],
            idle_timeout=options["idle_timeout"],
        )
        workers = max(1, options["workers"])
        self.stderr.write(
            f"SIP2 on {options['host']}:{server.port}, {workers} worker(s) (Ctrl+C stops)"
        )
        try:
            if workers > 1:
                serve_forked(server, workers)
                return
            # A service manager's SIGTERM stops the server as Ctrl+C does.
            signal.signal(signal.SIGTERM, _stop)
            with contextlib.suppress(KeyboardInterrupt):
                server.serve_forever()
        finally:
            server.server_close()


def _stop(*_: object) -> None:
    raise KeyboardInterrupt
