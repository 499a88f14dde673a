"""The `polka` console script: Django's manage.py plus the domain commands, with plain errors."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    argv = list(sys.argv if argv is None else argv)
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"polka: configuration error: {exc}\n")
        raise SystemExit(2) from None
    except Exception as exc:  # a database that cannot be reached deserves one clear line
        from django.db import OperationalError

        if isinstance(exc, OperationalError):
            sys.stderr.write(f"polka: cannot use the database named by DATABASE_URL: {exc}\n")
            raise SystemExit(2) from None
        raise
