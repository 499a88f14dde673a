"""One function for the audit log: every important write calls `audit()` inside its
transaction. The log's table (AuditEntry) belongs to polka.org, which owns branches and staff
and registers the writer at start-up; core sits below org and only knows this hook.

Each record names its object as "app_label.model:pk" (object_key), so a manager can read an
object's history (polka.org.selectors.audit_entries_for).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model


class AuditWriter(Protocol):
    def __call__(
        self,
        *,
        at: dt.datetime,
        by: Any,
        action: str,
        branch: Any,
        obj: object,
        key: str,
        details: dict[str, Any],
    ) -> None: ...


_writer: AuditWriter | None = None


def register_audit_writer(writer: AuditWriter) -> None:
    global _writer
    _writer = writer


def object_key(obj: Model) -> str:
    """How the log names a row: "reference.question:42"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def audit(
    *,
    at: dt.datetime,
    by: Any,
    action: str,
    obj: object = "",
    branch: Any = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Write one audit record (`by` None is the system: the CLI, the demo generator)."""
    if _writer is None:
        raise ImproperlyConfigured("No audit writer is registered (polka.org not loaded?)")
    key = object_key(obj) if isinstance(obj, Model) and obj.pk is not None else ""
    _writer(at=at, by=by, action=action, branch=branch, obj=obj, key=key, details=details or {})
