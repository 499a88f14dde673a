"""The `polka` console script: Django's manage.py plus the domain commands, with plain errors."""

from __future__ import annotations

import os
import sys


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (libpq's messages span several)."""
    return " ".join(str(exc).split()) or type(exc).__name__


def database_label() -> str:
    """Which database DATABASE_URL names, for error messages (never the password)."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {db.get('NAME')}"
    host = db.get("HOST") or "the local socket"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    user = f" as {db['USER']}" if db.get("USER") else ""
    return f"{connection.display_name} database {db.get('NAME')} on {host}{port}{user}"


# Commands that run the real site: production settings unless DJANGO_SETTINGS_MODULE says.
PRODUCTION_COMMANDS = ("serve", "upgrade")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    production = len(argv) > 1 and argv[1] in PRODUCTION_COMMANDS
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE",
        "config.settings.production" if production else "config.settings.dev",
    )
    # An unreachable PostgreSQL host should fail in seconds, not after the kernel's TCP timeout.
    os.environ.setdefault("PGCONNECT_TIMEOUT", "10")
    from django.core.exceptions import ImproperlyConfigured

    from polka.core.errors import PolkaError, error_message, exit_code

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except PolkaError as exc:  # the one place a domain error becomes a CLI exit code
        sys.stderr.write(f"polka: {error_message(exc)}\n")
        raise SystemExit(exit_code(exc)) from None
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"polka: configuration error: {one_line(exc)}\n")
        raise SystemExit(2) from None
    except Exception as exc:  # a database that cannot be reached deserves one clear line
        from django.db import DatabaseError

        if isinstance(exc, DatabaseError):
            sys.stderr.write(
                f"polka: cannot use the database named by DATABASE_URL "
                f"({database_label()}): {one_line(exc)}\n"
            )
            raise SystemExit(2) from None
        raise
