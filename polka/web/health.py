"""The /healthz report (database and search engine, whether they answer) and the staff status
page built on it."""

from __future__ import annotations

import datetime as dt
import platform
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import django
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

from polka.cli.backup import BACKUP_ACTION
from polka.notices.models import Notice
from polka.org.models import AuditEntry
from polka.search.engines import search_engine_status


def health_report() -> dict[str, Any]:
    database: dict[str, Any] = {"engine": connection.vendor, "ok": True}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # reported, not raised: this is what the endpoint is for
        database.update(ok=False, error=str(exc))
    status = search_engine_status()
    search: dict[str, Any] = {"engine": status.name, "ok": status.ok}
    if status.detail:
        search["error"] = status.detail
    report: dict[str, Any] = {
        "ok": database["ok"] and search["ok"],
        "database": database,
        "search": search,
    }
    if database["ok"]:
        try:
            report.update(_queue_and_backup(timezone.now()))
        except DatabaseError as exc:  # not migrated yet: say so rather than fail
            report["notices"] = {"error": str(exc)}
    return report


def _queue_and_backup(now: dt.datetime) -> dict[str, Any]:
    """How long the oldest due email has waited, and when the last backup was made: what a
    monitor alerts on before readers notice (informational; they do not change "ok")."""
    oldest = (
        Notice.objects.filter(sent_at__isnull=True, send_after__lte=now)
        .order_by("send_after")
        .values_list("send_after", flat=True)
        .first()
    )
    waiting = Notice.objects.filter(sent_at__isnull=True, send_after__lte=now).count()
    backup = (
        AuditEntry.objects.filter(action=BACKUP_ACTION)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return {
        "notices": {
            "waiting": waiting,
            "oldest_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        },
        "backup": {"last": backup.isoformat() if backup else None},
    }


@dataclass(frozen=True)
class StatusLine:
    label: str
    value: str
    ok: bool = True


def status_lines(*, now: dt.datetime) -> list[StatusLine]:
    """The staff status page: the health report and what an administrator checks next."""
    report = health_report()
    database, search = report["database"], report["search"]
    lines = [
        StatusLine(
            _("База данных"),
            f"{database['engine']}: " + (_("отвечает") if database["ok"] else database["error"]),
            database["ok"],
        ),
        StatusLine(
            _("Поиск"),
            f"{search['engine']}: " + (_("работает") if search["ok"] else search["error"]),
            search["ok"],
        ),
    ]
    pending = _unapplied_migrations()
    lines.append(
        StatusLine(
            _("Миграции"),
            _("все применены")
            if not pending
            else _("не применено: %(n)d — выполните «polka migrate»") % {"n": pending},
            not pending,
        )
    )
    waiting = Notice.objects.filter(sent_at__isnull=True, send_after__lte=now)
    failing = waiting.filter(attempts__gt=0).count()
    lines.append(
        StatusLine(
            _("Письма читателям"),
            _("ждут отправки: %(waiting)d, из них с ошибкой: %(failing)d")
            % {"waiting": waiting.count(), "failing": failing},
            failing == 0,
        )
    )
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    if backend == "filebased":
        backend = _("в файлы, папка %(path)s") % {"path": getattr(settings, "EMAIL_FILE_PATH", "")}
    lines.append(StatusLine(_("Почта"), backend))
    lines.append(
        StatusLine(
            _("Версии"),
            f"Polka {_version('polka')}, Django {django.get_version()}, "
            f"Python {platform.python_version()}",
        )
    )
    return lines


def _unapplied_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"
