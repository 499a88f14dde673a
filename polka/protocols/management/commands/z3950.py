"""`polka z3950 --port 2100 --sru-url http://127.0.0.1:8000/sru`: serve Z39.50 until stopped."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from polka.protocols.z3950 import DEFAULT_PORT, GatewayMissing, gateway_command, gateway_files


class Command(BaseCommand):
    help = "Serve Z39.50 (through the simple2zoom gateway) in front of the SRU server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=DEFAULT_PORT)
        parser.add_argument("--host", default="0.0.0.0")  # noqa: S104 - a server for the network
        parser.add_argument("--sru-url", default="http://127.0.0.1:8000/sru")
        parser.add_argument("--log", default="", help="log file (default: standard error)")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(settings.POLKA_VAR_DIR) / "z3950"
        files = gateway_files(
            folder=folder, sru_url=options["sru_url"], host=options["host"], port=options["port"]
        )
        try:
            command = gateway_command(files, log=Path(options["log"]) if options["log"] else None)
        except GatewayMissing:
            raise CommandError(
                "simple2zoom is not installed: apt-get install libnet-z3950-simple2zoom-perl"
            ) from None
        self.stderr.write(
            f"Z39.50 on {options['host']}:{options['port']}, database polka, "
            f"in front of {options['sru_url']} (Ctrl+C stops)"
        )
        process = subprocess.Popen(command, env=os.environ.copy())
        # Stopping the command (a service manager's SIGTERM) stops the gateway with it.
        signal.signal(signal.SIGTERM, lambda *_: process.terminate())
        try:
            code = process.wait()
        except KeyboardInterrupt:
            process.terminate()
            code = process.wait()
        if code not in (0, -15):
            raise CommandError(f"simple2zoom stopped with exit code {code}")
