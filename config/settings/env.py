"""Infrastructure from environment variables, with clear errors for bad values."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("POLKA_VAR_DIR", BASE_DIR / "var"))

SQLITE_ENGINE = "polka.core.sqlite"
POSTGRESQL_ENGINE = "polka.core.postgresql"
SUPPORTED_ENGINES = {
    "django.db.backends.sqlite3": "sqlite",
    "django.db.backends.postgresql": "postgresql",
}


def database_from_env() -> dict[str, Any]:
    """Parse DATABASE_URL (default: a SQLite file under var/) into a Django DATABASES entry."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'polka.sqlite3'}"
    # Persistent connections (checked before reuse): a new PostgreSQL connection per request
    # costs more than a desk scan itself. POLKA_DB_CONN_MAX_AGE=0 closes each after its request.
    raw_age = os.environ.get("POLKA_DB_CONN_MAX_AGE", "60").strip()
    if not raw_age.isdigit():
        raise ImproperlyConfigured(
            f"POLKA_DB_CONN_MAX_AGE must be seconds (0 or more): {raw_age!r}"
        )
    max_age = int(raw_age)
    try:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=max_age > 0)
        )
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not usable ({exc}). Expected sqlite:///path/to/file.sqlite3 "
            "or postgres://user:password@host:port/dbname"
        ) from exc
    engine = config.get("ENGINE", "")
    if engine not in SUPPORTED_ENGINES:
        raise ImproperlyConfigured(
            f"DATABASE_URL names an unsupported database ({engine or 'unknown scheme'}); "
            "Polka runs on SQLite or PostgreSQL"
        )
    if engine == "django.db.backends.sqlite3":
        name = str(config.get("NAME") or "")
        if name and name != ":memory:":
            parent = Path(name).parent
            if not parent.exists():
                raise ImproperlyConfigured(
                    f"DATABASE_URL points at {name}, but the folder {parent} does not exist"
                )
        # Django's SQLite backend with writers that take turns at once (polka/core/sqlite).
        config["ENGINE"] = SQLITE_ENGINE
        config["OPTIONS"] = {
            # WAL lets readers work while one writer writes; IMMEDIATE avoids upgrade deadlocks.
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=10000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    else:
        # Django's backend with a health check that needs no round trip (polka/core/postgresql).
        config["ENGINE"] = POSTGRESQL_ENGINE
        config["OPTIONS"] = postgresql_options(dict(config.get("OPTIONS") or {}))
    return config


PARALLEL_SETTING = "max_parallel_workers_per_gather"
# The backend's own OPTIONS key (polka.core.postgresql.base.PREPARED_OPTION; settings import
# no project code).
PREPARED_OPTION = "polka_prepared"
JIT_SETTING = "jit"


def postgresql_options(options: dict[str, Any]) -> dict[str, Any]:
    """libpq options with PostgreSQL's parallel workers per query (POLKA_PG_PARALLEL_WORKERS,
    default 0) and without its JIT compiler, unless DATABASE_URL's own `options` names them.

    A page's queries are short, and many requests run at once: workers started for one of
    them (counting a common word's 260,000 hits) take the CPU from the others. Without them a
    search at 1,000,000 records cost the server 17.7 ms of CPU instead of 21.3. The JIT
    compiler starts on any query whose estimated cost passes jit_above_cost (100,000), and a
    search's count grows with the catalogue: counting «jazz» (261,473 hits of 1,000,000) is
    estimated at 69,559, and with the threshold lowered past it JIT spent 11 ms compiling
    what runs once."""
    raw = os.environ.get("POLKA_PG_PARALLEL_WORKERS", "0").strip()
    if not raw.isdigit():
        raise ImproperlyConfigured(
            f"POLKA_PG_PARALLEL_WORKERS must be a number of workers (0 or more): {raw!r}"
        )
    given = str(options.get("options") or "")
    if PARALLEL_SETTING not in given:
        given = f"{given} -c {PARALLEL_SETTING}={int(raw)}".strip()
    if f"{JIT_SETTING}=" not in given.replace(" ", ""):
        given = f"{given} -c {JIT_SETTING}=off"
    options["options"] = given
    # Hot statements prepared on the server (polka/core/postgresql); 0 behind a pooler that
    # cannot carry them (PgBouncer before 1.21 in transaction mode).
    prepared = os.environ.get("POLKA_PG_PREPARED", "1").strip()
    if prepared not in ("0", "1"):
        raise ImproperlyConfigured(f"POLKA_PG_PREPARED must be 0 or 1: {prepared!r}")
    options[PREPARED_OPTION] = prepared == "1"
    return options


def secret_key_from_env() -> str:
    """POLKA_SECRET_KEY, or a key generated once into var/secret_key."""
    key = os.environ.get("POLKA_SECRET_KEY", "").strip()
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


CACHE_TABLE = "polka_cache"


def cache_from_env(default: str) -> dict[str, Any]:
    """POLKA_CACHE_URL (or `default`) as Django's default cache.

    The cache holds the search answers with their generation counter and the form rate limits:
    when several application servers serve one site it must be one they all see — the
    database (`db`, the production default) or a Redis/Valkey server (`redis://host:6379/0`).
    `file` keeps it under var/ of one machine (development).
    """
    url = os.environ.get("POLKA_CACHE_URL", "").strip() or default
    if url == "db":
        return {
            # Django's, with a write of one statement (polka.core.dbcache).
            "BACKEND": "polka.core.dbcache.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Django's default (300) would cull the public pages kept for a busy hour.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    if url == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    if url == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        try:
            import redis  # noqa: F401 - Django's Redis cache needs the client library
        except ImportError as exc:
            raise ImproperlyConfigured(
                "POLKA_CACHE_URL names a Redis server, but the redis package is not installed: "
                ".venv/bin/pip install redis"
            ) from exc
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        f"POLKA_CACHE_URL {url!r} is not usable: expected db, file, locmem or redis://host:port/db"
    )
