"""Who may do what where: the capability table of staff roles and the checks built on it.

Every service that changes data calls staff_require; views may call staff_can to decide what
to show. A role grants its actions in the branches it is scoped to (or all of them).
Superusers get nothing for free: rights come only from StaffRole rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polka.org.errors import NotPermitted
from polka.org.models import Branch, Role, StaffRole

AnyUser = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=Model)

# Every action a service may check, with the words shown to people.
ACTIONS: dict[str, Promise] = {
    "org.configure": _("настройка сети, библиотек, календаря и сотрудников"),
    "catalog.edit": _("редактирование каталога"),
    "catalog.import": _("импорт записей"),
    "items.manage": _("учёт экземпляров"),
    "circulation.checkout": _("выдача и приём книг"),
    "circulation.rules": _("правила выдачи (матрица)"),
    "readers.register": _("запись читателей"),
    "readers.view": _("просмотр данных читателей"),
    "reference.answer": _("ответы на запросы читателей"),
    "events.manage": _("мероприятия"),
    "news.publish": _("публикация новостей"),
    "reports.view": _("отчёты и статистика"),
    "elibrary.manage": _("электронная библиотека: импорт, доступы, отчёты платформ"),
}

# The capability table: the only place that says which role may do what.
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(ACTIONS),
    Role.CATALOGUER: frozenset(
        {"catalog.edit", "catalog.import", "items.manage", "elibrary.manage"}
    ),
    Role.DESK: frozenset(
        {"circulation.checkout", "readers.register", "readers.view", "elibrary.manage"}
    ),
    Role.REFERENCE: frozenset({"reference.answer", "readers.view"}),
    Role.METHODIST: frozenset({"events.manage", "news.publish", "reports.view"}),
    Role.MANAGER: frozenset(
        {"reports.view", "readers.view", "events.manage", "news.publish", "circulation.rules"}
    ),
}

_CACHE_ATTR = "_polka_role_grants"


@dataclass(frozen=True)
class RoleGrant:
    """One StaffRole row, flattened: the role and where it applies."""

    role: str
    all_branches: bool
    branch_ids: frozenset[int]

    def covers(self, branch: Branch) -> bool:
        return self.all_branches or branch.pk in self.branch_ids

    @property
    def anywhere(self) -> bool:
        return self.all_branches or bool(self.branch_ids)


def staff_grants(*, user: AnyUser) -> tuple[RoleGrant, ...]:
    """The user's roles (one query: a row per role and branch, then cached on the user object
    for its lifetime). Every staff request asks this first."""
    if not user.is_authenticated or not user.is_active or user.pk is None:
        return ()
    cached: tuple[RoleGrant, ...] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        roles: dict[int, tuple[str, bool, set[int]]] = {}
        rows = StaffRole.objects.filter(user_id=user.pk).values_list(
            "pk", "role", "all_branches", "branches__id"
        )
        for pk, role, all_branches, branch_id in rows.order_by("pk"):
            branch_ids = roles.setdefault(pk, (role, all_branches, set()))[2]
            if branch_id is not None:
                branch_ids.add(branch_id)
        cached = tuple(
            RoleGrant(role=role, all_branches=all_branches, branch_ids=frozenset(ids))
            for role, all_branches, ids in roles.values()
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def staff_grants_forget(*, user: AnyUser) -> None:
    """Drop the cached roles after they changed (role services call this)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _check_action(action: str) -> None:
    # A typo in an action name must fail loudly, not silently deny.
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")


def staff_can(
    *, user: AnyUser, action: str, branch: Branch | None = None, network_wide: bool = False
) -> bool:
    """May `user` perform `action`?

    - with `branch`: in that branch;
    - with `network_wide=True`: across the whole network (needs an all-branches role);
    - otherwise: in at least one branch (for things not tied to a branch, like a record).
    """
    _check_action(action)
    grants = [g for g in staff_grants(user=user) if action in CAPABILITIES.get(g.role, ())]
    if network_wide:
        return any(g.all_branches for g in grants)
    if branch is not None:
        return any(g.covers(branch) for g in grants)
    return any(g.anywhere for g in grants)


def staff_require(
    *, user: AnyUser, action: str, branch: Branch | None = None, network_wide: bool = False
) -> None:
    """staff_can or raise NotPermitted."""
    if not staff_can(user=user, action=action, branch=branch, network_wide=network_wide):
        raise NotPermitted(action=action, branch_code=branch.code if branch else None)


def _granted_branch_ids(*, user: AnyUser, action: str) -> list[int] | None:
    """The ids of the branches where `user` may perform `action`; None means every branch."""
    _check_action(action)
    grants = [g for g in staff_grants(user=user) if action in CAPABILITIES.get(g.role, ())]
    if any(g.all_branches for g in grants):
        return None
    return sorted(set().union(*(g.branch_ids for g in grants)))


def staff_branches(*, user: AnyUser, action: str) -> QuerySet[Branch]:
    """The branches in which `user` may perform `action`."""
    ids = _granted_branch_ids(user=user, action=action)
    branches = Branch.objects.order_by("name")
    return branches if ids is None else branches.filter(pk__in=ids)


def staff_scope(queryset: QuerySet[M], *, user: AnyUser, action: str, via: str) -> QuerySet[M]:
    """The rows of `queryset` that belong to a branch where `user` may perform `action`.

    `via` is the lookup from the row to its branch ("reader__home_branch", "branch"). Every
    selector of a staff list filters through this one function, so a role scoped to one
    branch never sees another branch's rows; a user without the action sees nothing.
    """
    ids = _granted_branch_ids(user=user, action=action)
    return queryset if ids is None else queryset.filter(**{f"{via}__in": ids})


def staff_has_role(*, user: AnyUser, role: str) -> bool:
    return any(g.role == role and g.anywhere for g in staff_grants(user=user))


def staff_is_staff(*, user: AnyUser) -> bool:
    """Does the user hold any staff role at all (in any branch)?"""
    return any(g.anywhere for g in staff_grants(user=user))
