"""`polka upgrade`: bring a served site up to the installed version, and say what was done.

Steps, each only when needed: a backup and the migrations (when any is pending), the cache
table, static files (when any changed), the search index (when it does not cover every record
or was built with another version's word analysis).
Run twice, the second run changes nothing and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.management.commands.collectstatic import Command as Collect
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from polka.catalog.models import Record
from polka.cli.backup import backup_create
from polka.search.indexing import index_analysis_current, reindex_all
from polka.search.models import SearchDocument


@dataclass
class UpgradeReport:
    done: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.done)


def pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _collect(*, post_process: bool) -> int:
    command = Collect()
    command.set_options(
        interactive=False,
        verbosity=0,
        link=False,
        clear=False,
        dry_run=False,
        ignore_patterns=[],
        use_default_ignore_patterns=True,
        post_process=post_process,
    )
    return len(command.collect()["modified"])


def _collect_static() -> str | None:
    """Copy new or changed static files; what was done (None: all were up to date).

    Hashing and compressing every file takes a minute, so it only happens when a file changed
    or the manifest is missing.
    """
    copied = _collect(post_process=False)
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    uses_manifest = "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]
    if not copied and (not uses_manifest or manifest.exists()):
        return None
    _collect(post_process=True)
    return f"static files collected: {copied} new or changed, all hashed and compressed"


def upgrade_run(*, at: dt.datetime, backup: bool = True) -> UpgradeReport:
    report = UpgradeReport()
    pending = pending_migrations()
    if pending:
        if backup:
            made = backup_create(output=None, at=at)
            report.done.append(f"backup written: {made.path}")
        call_command("migrate", interactive=False, verbosity=0)
        report.done.append(
            f"migrations applied: {len(pending)} ({', '.join(pending[:5])}"
            + (", …)" if len(pending) > 5 else ")")
        )
    call_command("createcachetable", verbosity=0)  # idempotent; only for a database cache
    static = _collect_static()
    if static:
        report.done.append(static)
    records, indexed = Record.objects.count(), SearchDocument.objects.count()
    if not index_analysis_current():
        count = reindex_all()
        report.done.append(
            f"search index rebuilt with this version's word analysis: {count} records "
            "and every published text"
        )
    elif records != indexed:
        count = reindex_all()
        report.done.append(f"search index rebuilt: {count} records (it held {indexed})")
    return report
