"""Back up and restore the whole database: SQLite's online backup API, pg_dump/pg_restore.

A backup is one file: a SQLite database file, or a PostgreSQL custom-format dump. Both are
written under a temporary name and renamed when complete, so a backup file is never partial.
Restores are all-or-nothing: SQLite copies the backup into the live database in one backup
step (one write transaction), PostgreSQL restores inside one transaction.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from polka.files import atomic_path
from polka.org.models import AuditEntry

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
EXTENSIONS = {"sqlite": "sqlite3", "postgresql": "dump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
PG_LIB_DIR = Path("/usr/lib/postgresql")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for a person."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    size: int


def database_engine() -> str:
    """'sqlite' or 'postgresql': the engine of the default database connection."""
    vendor = connection.vendor
    if vendor not in EXTENSIONS:
        raise BackupError(_("Резервное копирование не поддерживает базу данных %s.") % vendor)
    return vendor


def backup_path_default(*, engine: str, at: datetime, folder: Path | None = None) -> Path:
    """var/backups/polka-<engine>-<UTC timestamp>.<ext>, never an existing file."""
    folder = folder or Path(settings.POLKA_VAR_DIR) / "backups"
    stamp = at.astimezone(UTC).strftime("%Y%m%d-%H%M%SZ")
    path = folder / f"polka-{engine}-{stamp}.{EXTENSIONS[engine]}"
    counter = 1
    while path.exists():
        path = folder / f"polka-{engine}-{stamp}-{counter}.{EXTENSIONS[engine]}"
        counter += 1
    return path


BACKUP_ACTION = "backup_create"


def backup_create(*, output: Path | None, at: datetime) -> BackupResult:
    """Write a consistent copy of the whole database to `output` (a file or a folder)."""
    engine = database_engine()
    if output is None:
        path = backup_path_default(engine=engine, at=at)
    elif output.is_dir():
        path = backup_path_default(engine=engine, at=at, folder=output)
    else:
        path = output
    if path.exists():
        raise BackupError(_("Файл %s уже существует; выберите другое имя.") % path)
    if not path.parent.is_dir():
        if output is not None:
            raise BackupError(_("Папки %s не существует.") % path.parent)
        path.parent.mkdir(parents=True, exist_ok=True)

    # Written beside the target and renamed at the end: an interrupted backup leaves no file
    # that looks complete. 0600: a backup holds readers' personal data.
    with atomic_path(path, mode=0o600) as tmp:
        if engine == "sqlite":
            _sqlite_backup(tmp)
        else:
            _pg_dump(tmp)
    size = path.stat().st_size
    # Where every application server's /healthz can see it (the file may be on another disk).
    AuditEntry.objects.create(
        at=at, action=BACKUP_ACTION, object_repr=str(path)[:300], details={"size": size}
    )
    return BackupResult(path=path, engine=engine, size=size)


def backup_engine_of(path: Path) -> str:
    """Which engine wrote the backup file, from its first bytes."""
    if not path.exists():
        raise BackupError(_("Файл %s не найден.") % path)
    if not path.is_file():
        raise BackupError(_("%s — не файл.") % path)
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(
        _("%s — не резервная копия Polka (ни файл SQLite, ни дамп pg_dump -Fc).") % path
    )


def backup_restore(*, source: Path) -> str:
    """Replace the whole database with the backup in `source`; returns the engine name."""
    engine = database_engine()
    source_engine = backup_engine_of(source)
    if source_engine != engine:
        raise BackupError(
            _(
                "%(path)s — резервная копия базы %(source)s, а DATABASE_URL указывает на базу "
                "%(target)s. Восстановите её в базу %(source)s."
            )
            % {
                "path": source,
                "source": ENGINE_NAMES[source_engine],
                "target": ENGINE_NAMES[engine],
            }
        )
    if connection.in_atomic_block:
        raise BackupError(_("Восстановление нельзя выполнять внутри транзакции."))
    if engine == "sqlite":
        _sqlite_restore(source)
    else:
        _pg_restore(source)
    # Cached rows from before the restore (content types, the site's network) are now stale.
    from django.contrib.contenttypes.models import ContentType

    from polka.search.cache import search_cache_invalidate

    ContentType.objects.clear_cache()
    # Search answers and public pages cached before the restore, possibly under the
    # generations the backup carries, must not be served for the restored data (this also
    # starts a new content generation).
    search_cache_invalidate()
    return engine


# --- SQLite --------------------------------------------------------------------------------


def _sqlite_live() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _sqlite_backup(target: Path) -> None:
    destination = sqlite3.connect(target)
    try:
        # One step: the copy is a single consistent snapshot, even while others write.
        _sqlite_live().backup(destination)
    finally:
        destination.close()


def _sqlite_restore(source: Path) -> None:
    try:
        backup = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(_damaged(source, exc)) from exc
    try:
        try:
            check = backup.execute("PRAGMA quick_check").fetchone()[0]
            has_migrations = backup.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'django_migrations'"
            ).fetchone()[0]
        except sqlite3.Error as exc:
            raise BackupError(_damaged(source, exc)) from exc
        if check != "ok":
            raise BackupError(_damaged(source, check))
        if not has_migrations:
            raise BackupError(_("%s — файл SQLite, но не база данных Polka.") % source)
        live = _sqlite_live()
        if live.in_transaction:
            raise BackupError(_("Восстановление нельзя выполнять внутри транзакции."))
        # pages=-1 copies everything in one step: the live database is locked and rewritten
        # in one write transaction, so other connections see either the old or the new data.
        try:
            backup.backup(live, pages=-1)
        except sqlite3.Error as exc:
            raise BackupError(
                _("Восстановление не удалось, база данных не изменена: %s") % exc
            ) from exc
    finally:
        backup.close()


def _damaged(path: Path, error: object) -> str:
    return _("Файл %(path)s повреждён или не читается: %(error)s") % {"path": path, "error": error}


# --- PostgreSQL ----------------------------------------------------------------------------


def _pg_environment() -> dict[str, str]:
    """Connection settings for libpq tools, passed in the environment (never in argv)."""
    db = connection.settings_dict
    options = db.get("OPTIONS") or {}
    env = dict(os.environ)
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGAPPNAME": "polka-backup",
    }
    for key, value in values.items():
        if value:
            env[key] = str(value)
        else:
            env.pop(key, None)
    return env


def _pg_server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def pg_tool(name: str, *, server_major: int) -> Path:
    """The pg_dump/pg_restore able to handle this server: the same major version, or newer."""
    candidates: list[tuple[int, Path]] = []
    for bindir in PG_LIB_DIR.glob("*/bin"):
        if re.fullmatch(r"\d+", bindir.parent.name) and (bindir / name).is_file():
            candidates.append((int(bindir.parent.name), bindir / name))
    usable = sorted(c for c in candidates if c[0] >= server_major)
    if usable:
        return usable[0][1]
    on_path = shutil.which(name)
    if on_path:
        version = subprocess.run(
            [on_path, "--version"], capture_output=True, text=True, check=False
        ).stdout
        match = re.search(r"(\d+)(?:\.\d+)?", version)
        if match and int(match.group(1)) >= server_major:
            return Path(on_path)
    raise BackupError(
        _(
            "Не найдена программа %(tool)s версии %(major)s или новее. "
            "Установите пакет postgresql-client-%(major)s."
        )
        % {"tool": name, "major": server_major}
    )


def _pg_run(arguments: list[str]) -> None:
    result = subprocess.run(
        arguments, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = " ".join(result.stderr.split()) or f"exit {result.returncode}"
        raise BackupError(f"{Path(arguments[0]).name}: {detail}")


def _pg_dump(target: Path) -> None:
    tool = pg_tool("pg_dump", server_major=_pg_server_major())
    _pg_run([str(tool), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])


def _pg_restore(source: Path) -> None:
    tool = pg_tool("pg_restore", server_major=_pg_server_major())
    # Our own connection must not hold locks that DROP TABLE would wait for.
    connection.close()
    _pg_run(
        [
            str(tool),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ]
    )
