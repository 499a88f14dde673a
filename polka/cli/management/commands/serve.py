"""`polka serve [--bind HOST:PORT] [--workers N]`: the site under gunicorn, production settings.

The process becomes gunicorn's master (exec), so a service manager's signals reach it directly:
SIGHUP reloads gracefully, SIGTERM stops after the requests in flight. Static files must have
been collected (`polka upgrade` does it); WhiteNoise serves them compressed, with far-future
cache headers on the hashed names.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

ROOT = Path(__file__).resolve().parents[4]  # the checkout: config/ and deploy/ live here
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def gunicorn_argv(*, bind: str | None, workers: int | None) -> list[str]:
    argv = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG)]
    if bind:
        argv += ["--bind", bind]
    if workers:
        argv += ["--workers", str(workers)]
    return [*argv, "config.wsgi:application"]


class Command(BaseCommand):
    help = "Serve the site with gunicorn and production settings (see docs/deploy.md)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", help="HOST:PORT or unix:/path (default POLKA_BIND or 127.0.0.1:8000)"
        )
        parser.add_argument("--workers", type=int, help="worker processes (default 2 × CPUs + 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"] and not manifest.exists():
            raise CommandError(
                f"static files are not collected in {settings.STATIC_ROOT}: run `polka upgrade` "
                "(or `polka collectstatic`) first"
            )
        if options["workers"] is not None and options["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        argv = gunicorn_argv(bind=options["bind"], workers=options["workers"])
        sys.stdout.flush()
        os.chdir(ROOT)  # gunicorn imports config.wsgi from here
        os.execv(sys.executable, argv)  # noqa: S606 - our own interpreter, fixed arguments
