"""One way to run a state machine. Each app describes its machine as data (its own states.py:
which action leads from which states to which one, and the staff action it needs); `transition()`
performs one step the same way everywhere:

    check the permission -> lock the row -> check the move -> set the state -> save
    -> audit record (same transaction) -> `state_changed` signal (after commit)

Apps keep their own refusal error (TransitionNotAllowed with their wording) through `refused`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction
from django.dispatch import Signal

from polka.core.audit import audit
from polka.core.errors import PolkaError
from polka.core.permissions import require

M = TypeVar("M", bound=models.Model)

# Sent after the transaction commits: sender is the model class; kwargs instance, machine,
# action, source, target, by, at.
state_changed = Signal()


@dataclass(frozen=True)
class Rule:
    """One action: the states it may start from, the state it leads to, and the staff action
    (polka.org.policies.ACTIONS) it needs; None when the caller checks who may (a reader acting
    on their own row, the system)."""

    sources: frozenset[str]
    target: str
    permission: str | None = None


def _branch_of(obj: Any) -> Any:
    return getattr(obj, "branch", None)


@dataclass(frozen=True)
class Machine:
    """A model's state machine: `name` prefixes its audit actions ("events.registration")."""

    name: str
    transitions: Mapping[str, Rule]
    refused: Callable[[str, Any], PolkaError]  # (action, the row) -> the app's own error
    state_field: str = "state"
    branch_of: Callable[[Any], Any] = _branch_of  # the branch a permission is checked in

    def allows(self, obj: models.Model, action: str) -> bool:
        return getattr(obj, self.state_field) in self.transitions[action].sources


def transition(
    machine: Machine,
    obj: M,
    action: str,
    *,
    by: Any,
    at: dt.datetime,
    update_fields: Iterable[str] = (),
    before_save: Callable[[M], None] | None = None,
    details: Mapping[str, Any] | None = None,
    lock: bool = True,
) -> M:
    """Move `obj` by `action` and return the row (the locked copy when `lock`). `by` None is the
    system or an anonymous visitor (no permission check). `before_save` sets other fields of the
    same change (listed in `update_fields`). Call inside the service's transaction."""
    rule = machine.transitions[action]
    with transaction.atomic():
        if rule.permission is not None and by is not None:
            require(user=by, action=rule.permission, branch=machine.branch_of(obj))
        if lock:
            obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        source = getattr(obj, machine.state_field)
        if source not in rule.sources:
            raise machine.refused(action, obj)
        setattr(obj, machine.state_field, rule.target)
        if before_save is not None:
            before_save(obj)
        obj.save(update_fields=[machine.state_field, *update_fields])
        audit(
            at=at,
            by=by,
            action=f"{machine.name}.{action}",
            obj=obj,
            branch=machine.branch_of(obj),
            details={"from": str(source), "to": str(rule.target), **(details or {})},
        )
        sent = obj
        transaction.on_commit(
            lambda: state_changed.send(
                sender=type(sent),
                instance=sent,
                machine=machine.name,
                action=action,
                source=source,
                target=rule.target,
                by=by,
                at=at,
            )
        )
    return obj
