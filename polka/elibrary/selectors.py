"""E-library reads for the staff page: access requests and the login register, each limited
to the readers of the branches where the user manages the e-library."""

from __future__ import annotations

from django.db.models import QuerySet

from polka.elibrary.models import AccessState, PlatformLogin
from polka.org.policies import AnyUser, staff_scope

MANAGE = "elibrary.manage"


def platform_logins_visible(*, user: AnyUser) -> QuerySet[PlatformLogin]:
    """Every access row of the readers whose home branch the user serves."""
    return staff_scope(
        PlatformLogin.objects.select_related("reader", "platform", "issued_by", "consent"),
        user=user,
        action=MANAGE,
        via="reader__home_branch",
    )


def access_requests_open(*, user: AnyUser) -> QuerySet[PlatformLogin]:
    return platform_logins_visible(user=user).filter(state=AccessState.REQUESTED)


def login_register(*, user: AnyUser) -> QuerySet[PlatformLogin]:
    return platform_logins_visible(user=user).exclude(state=AccessState.REQUESTED)
