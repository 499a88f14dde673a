"""Who may do what, as core sees it: one checker, registered at start-up by the app that owns
the roles (polka.org registers its capability table in OrgConfig.ready). Core sits below org,
so it asks through this hook instead of importing it."""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured


class PermissionChecker(Protocol):
    def __call__(self, *, user: Any, action: str, branch: Any = None) -> bool: ...


class PermissionRequirer(Protocol):
    def __call__(self, *, user: Any, action: str, branch: Any = None) -> None: ...


_checker: PermissionChecker | None = None
_requirer: PermissionRequirer | None = None


def register_permission_checker(
    checker: PermissionChecker, *, requirer: PermissionRequirer
) -> None:
    """`checker` answers yes or no; `requirer` raises the owner's refusal (a PermissionRefused)."""
    global _checker, _requirer
    _checker, _requirer = checker, requirer


def can(*, user: Any, action: str, branch: Any = None) -> bool:
    """True when `user` may perform `action` (in `branch`, when given)."""
    if _checker is None:
        raise ImproperlyConfigured("No permission checker is registered (polka.org not loaded?)")
    return _checker(user=user, action=action, branch=branch)


def require(*, user: Any, action: str, branch: Any = None) -> None:
    """Raise the refusal (a polka.core.errors.PermissionRefused) unless `user` may."""
    if _requirer is None:
        raise ImproperlyConfigured("No permission checker is registered (polka.org not loaded?)")
    _requirer(user=user, action=action, branch=branch)
