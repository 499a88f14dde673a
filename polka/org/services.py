"""Changes to the network, its branches, their calendar and staff roles.

Each service checks permission (`by` is the acting user; None means the system itself —
the CLI or the demo generator — never a web request), changes the rows, and writes an
AuditEntry, all in one transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, Literal

from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from polka.accounts.models import User
from polka.core.audit import audit
from polka.org import holidays
from polka.org.errors import InvalidOpeningHours, InvalidStaffAccount, NotPermitted
from polka.org.models import (
    AuditEntry,
    Branch,
    BranchKind,
    CalendarException,
    ExceptionKind,
    Network,
    OpeningHours,
    Role,
    StaffRole,
)
from polka.org.policies import AnyUser, staff_grants_forget, staff_is_staff, staff_require

Scope = Sequence[Branch] | Literal["all"]

# No 0/O, 1/l/I: the demo prints these passwords for people to type.
_PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105


def _aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("`at` must be an aware datetime")


def _audit(
    *,
    at: datetime,
    by: AnyUser | None,
    action: str,
    branch: Branch | None = None,
    obj: object = "",
    details: dict[str, Any] | None = None,
) -> None:
    audit(at=at, by=by, action=action, branch=branch, obj=obj, details=details)


def audit_entry_write(
    *,
    at: datetime,
    by: AnyUser | None,
    action: str,
    branch: Branch | None,
    obj: object,
    key: str,
    details: dict[str, Any],
) -> None:
    """The writer behind polka.core.audit.audit (registered in OrgConfig.ready)."""
    AuditEntry.objects.create(
        at=at,
        actor_id=by.pk if by is not None and by.is_authenticated else None,
        action=action,
        branch=branch,
        object_repr=str(obj)[:300],
        object_key=key,
        details=details,
    )


def _require_configure(*, by: AnyUser | None, branch: Branch | None) -> None:
    """org.configure in `branch`, or network-wide when branch is None; None `by` is the system."""
    if by is None:
        return
    staff_require(user=by, action="org.configure", branch=branch, network_wide=branch is None)


def _require_configure_scope(*, by: AnyUser | None, scope: Scope) -> None:
    if scope == "all":
        _require_configure(by=by, branch=None)
        return
    for branch in scope:
        _require_configure(by=by, branch=branch)


# --- network and branches ---------------------------------------------------------------


@transaction.atomic
def network_create(
    *,
    name: str,
    short_name: str = "",
    city: str = "",
    website: str = "",
    by: AnyUser | None = None,
    at: datetime,
) -> Network:
    _aware(at)
    _require_configure(by=by, branch=None)
    network = Network.objects.create(name=name, short_name=short_name, city=city, website=website)
    _audit(at=at, by=by, action="network_create", obj=network)
    return network


def _fields_apply(obj: Network | Branch, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Set the given (non-None) values that differ; return {field: [old, new]} and validate."""
    changed: dict[str, list[Any]] = {}
    for field, value in values.items():
        if value is not None and getattr(obj, field) != value:
            changed[field] = [getattr(obj, field), value]
            setattr(obj, field, value)
    if changed:
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save(update_fields=list(changed))
    return changed


@transaction.atomic
def network_update(
    *,
    network: Network,
    by: AnyUser | None,
    at: datetime,
    name: str | None = None,
    short_name: str | None = None,
    city: str | None = None,
    website: str | None = None,
) -> Network:
    """Change the given fields (None leaves a field as it is)."""
    _aware(at)
    _require_configure(by=by, branch=None)
    locked = Network.objects.select_for_update().get(pk=network.pk)
    values = {"name": name, "short_name": short_name, "city": city, "website": website}
    changed = _fields_apply(locked, values)
    if changed:
        _audit(at=at, by=by, action="network_update", obj=locked, details=changed)
    return locked


@transaction.atomic
def branch_create(
    *,
    network: Network,
    code: str,
    name: str,
    kind: str = BranchKind.BRANCH,
    short_name: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    accessibility: str = "",
    by: AnyUser | None = None,
    at: datetime,
) -> Branch:
    _aware(at)
    _require_configure(by=by, branch=None)
    branch = Branch(
        network=network,
        code=code,
        name=name,
        kind=kind,
        short_name=short_name,
        address=address,
        phone=phone,
        email=email,
        accessibility=accessibility,
    )
    branch.full_clean()
    branch.save()
    _audit(at=at, by=by, action="branch_create", branch=branch, obj=branch)
    return branch


@transaction.atomic
def branch_update(
    *,
    branch: Branch,
    by: AnyUser | None,
    at: datetime,
    name: str | None = None,
    short_name: str | None = None,
    kind: str | None = None,
    address: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    accessibility: str | None = None,
    is_active: bool | None = None,
) -> Branch:
    """Change the given fields (None leaves a field as it is)."""
    _aware(at)
    _require_configure(by=by, branch=branch)
    locked = Branch.objects.select_for_update().get(pk=branch.pk)
    values: dict[str, Any] = {
        "name": name,
        "short_name": short_name,
        "kind": kind,
        "address": address,
        "phone": phone,
        "email": email,
        "accessibility": accessibility,
        "is_active": is_active,
    }
    changed = _fields_apply(locked, values)
    if changed:
        _audit(at=at, by=by, action="branch_update", branch=locked, obj=locked, details=changed)
    return locked


# --- weekly hours and calendar exceptions -------------------------------------------------


def _check_hours(opens: time, closes: time, what: str) -> None:
    if not closes > opens:
        raise InvalidOpeningHours(
            detail=_("%(what)s: закрытие (%(closes)s) должно быть позже открытия (%(opens)s)")
            % {"what": what, "opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M")}
        )


@transaction.atomic
def opening_hours_set(
    *,
    branch: Branch,
    week: Mapping[int, tuple[time, time] | None],
    by: AnyUser | None,
    at: datetime,
) -> None:
    """Make the weekly hours exactly `week` (weekday 0 = Monday; absent or None: closed)."""
    _aware(at)
    _require_configure(by=by, branch=branch)
    for weekday, hours in week.items():
        if not 0 <= weekday <= 6:
            raise InvalidOpeningHours(detail=_("день недели %(n)s") % {"n": weekday})
        if hours is not None:
            _check_hours(hours[0], hours[1], str(weekday))
    Branch.objects.select_for_update().filter(pk=branch.pk).first()
    open_days = {wd: hours for wd, hours in week.items() if hours is not None}
    OpeningHours.objects.filter(branch=branch).exclude(weekday__in=list(open_days)).delete()
    existing = {row.weekday: row for row in OpeningHours.objects.filter(branch=branch)}
    for weekday, (opens, closes) in sorted(open_days.items()):
        row = existing.get(weekday)
        if row is None:
            OpeningHours.objects.create(branch=branch, weekday=weekday, opens=opens, closes=closes)
        elif (row.opens, row.closes) != (opens, closes):
            row.opens, row.closes = opens, closes
            row.save(update_fields=["opens", "closes"])
    _audit(
        at=at,
        by=by,
        action="opening_hours_set",
        branch=branch,
        obj=branch,
        details={str(wd): [o.isoformat(), c.isoformat()] for wd, (o, c) in open_days.items()},
    )


@transaction.atomic
def calendar_exception_add(
    *,
    branch: Branch | None,
    on: date,
    is_open: bool = False,
    opens: time | None = None,
    closes: time | None = None,
    hours_as_weekday: int | None = None,
    kind: str = ExceptionKind.CLOSURE,
    reason: str = "",
    by: AnyUser | None,
    at: datetime,
) -> CalendarException:
    """Record (or replace) the exception for `on` in `branch`, or network-wide when None."""
    _aware(at)
    _require_configure(by=by, branch=branch)
    if (opens is None) != (closes is None):
        raise InvalidOpeningHours(detail=_("укажите и время открытия, и время закрытия"))
    if opens is not None and closes is not None:
        if not is_open:
            raise InvalidOpeningHours(detail=_("у закрытого дня не бывает часов работы"))
        _check_hours(opens, closes, on.isoformat())
    if hours_as_weekday is not None and not 0 <= hours_as_weekday <= 6:
        raise InvalidOpeningHours(detail=_("день недели %(n)s") % {"n": hours_as_weekday})
    exception, created = CalendarException.objects.select_for_update().update_or_create(
        branch=branch,
        date=on,
        defaults={
            "is_open": is_open,
            "opens": opens,
            "closes": closes,
            "hours_as_weekday": hours_as_weekday,
            "kind": kind,
            "reason": reason,
        },
    )
    _audit(
        at=at,
        by=by,
        action="calendar_exception_add" if created else "calendar_exception_change",
        branch=branch,
        obj=f"{on.isoformat()} {reason}",
        details={"is_open": is_open, "kind": kind},
    )
    return exception


@transaction.atomic
def calendar_exception_remove(
    *, exception: CalendarException, by: AnyUser | None, at: datetime
) -> None:
    _aware(at)
    _require_configure(by=by, branch=exception.branch)
    _audit(
        at=at,
        by=by,
        action="calendar_exception_remove",
        branch=exception.branch,
        obj=f"{exception.date.isoformat()} {exception.reason}",
    )
    CalendarException.objects.filter(pk=exception.pk).delete()


def _bulk_closed_days(
    *,
    branch: Branch | None,
    days: Mapping[date, str],
    kind: str,
) -> int:
    """Create closed-day rows for the dates that have none yet (idempotent); count created."""
    taken = set(
        CalendarException.objects.filter(branch=branch, date__in=list(days)).values_list(
            "date", flat=True
        )
    )
    rows = [
        CalendarException(branch=branch, date=day, is_open=False, kind=kind, reason=reason)
        for day, reason in sorted(days.items())
        if day not in taken
    ]
    CalendarException.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def network_holidays_load(*, year: int, at: datetime, by: AnyUser | None = None) -> int:
    """Record the fixed public holidays of `year` as network-wide closed days.

    Idempotent: a date that already has a network-wide row keeps it. Returns rows created.
    """
    _aware(at)
    _require_configure(by=by, branch=None)
    days = {h.day: h.name for h in holidays.fixed_holidays(year)}
    created = _bulk_closed_days(branch=None, days=days, kind=ExceptionKind.HOLIDAY)
    _audit(at=at, by=by, action="network_holidays_load", obj=year, details={"created": created})
    return created


def network_transfer_day_add(
    *,
    on: date,
    is_open: bool,
    hours_as_weekday: int | None = None,
    reason: str = "",
    by: AnyUser | None = None,
    at: datetime,
) -> CalendarException:
    """A government transfer day for the whole network: a weekday off (is_open False) or a
    Saturday worked (is_open True, on the weekly hours of `hours_as_weekday`)."""
    return calendar_exception_add(
        branch=None,
        on=on,
        is_open=is_open,
        hours_as_weekday=hours_as_weekday,
        kind=ExceptionKind.TRANSFER,
        reason=reason or holidays.TRANSFER_DAY,
        by=by,
        at=at,
    )


@transaction.atomic
def branch_sanitary_days_load(
    *,
    branch: Branch,
    year: int,
    weekday: int = 3,
    n: int = -1,
    reason: str = "",
    by: AnyUser | None = None,
    at: datetime,
) -> int:
    """The monthly sanitary day (by default the last Thursday) as closed days of `branch`.

    Idempotent: a date with a row of this branch keeps it. Returns rows created.
    """
    _aware(at)
    _require_configure(by=by, branch=branch)
    label = reason or holidays.SANITARY_DAY
    days = {day: label for day in holidays.monthly_days(year=year, weekday=weekday, n=n)}
    created = _bulk_closed_days(branch=branch, days=days, kind=ExceptionKind.SANITARY)
    _audit(
        at=at,
        by=by,
        action="branch_sanitary_days_load",
        branch=branch,
        obj=year,
        details={"created": created, "weekday": weekday, "n": n},
    )
    return created


# --- staff ---------------------------------------------------------------------------------


def _password_generate() -> str:
    groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(5)) for _ in range(4)]
    return "-".join(groups)


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise InvalidStaffAccount(detail=_("неизвестная роль «%(role)s»") % {"role": role})


def _is_staff_sync(user: User) -> None:
    """Django admin (configuration only) is for administrators: is_staff follows that role."""
    is_admin = StaffRole.objects.filter(user=user, role=Role.ADMINISTRATOR).exists()
    if user.is_staff != is_admin:
        user.is_staff = is_admin
        user.save(update_fields=["is_staff"])


def _role_change(
    *, user: User, role: str, scope: Scope, mode: Literal["grant", "revoke", "set"]
) -> StaffRole | None:
    row = StaffRole.objects.select_for_update().filter(user=user, role=role).first()
    if row is None:
        if mode == "revoke":
            return None
        row = StaffRole.objects.create(user=user, role=role)
    if scope == "all":
        if mode == "revoke":
            row.delete()
            return None
        if not row.all_branches:
            row.all_branches = True
            row.save(update_fields=["all_branches"])
        if mode == "set":
            row.branches.clear()
    else:
        if mode == "set":
            if row.all_branches:
                row.all_branches = False
                row.save(update_fields=["all_branches"])
            row.branches.set(scope)
        elif mode == "grant":
            row.branches.add(*scope)
        else:
            row.branches.remove(*scope)
        if not row.all_branches and not row.branches.exists():
            row.delete()
            return None
    return row


def _scope_repr(scope: Scope) -> str | list[str]:
    return "all" if scope == "all" else sorted(b.code for b in scope)


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    email: str = "",
    full_name: str = "",
    password: str | None = None,
    roles: Mapping[str, Scope],
    by: AnyUser | None = None,
    at: datetime,
) -> tuple[User, str]:
    """Create a staff login with its roles; returns the user and its password.

    Without `password` a strong random one is generated: the caller shows it once (it is
    stored only as a hash). A given password must pass the password validators.
    """
    _aware(at)
    if not roles:
        raise InvalidStaffAccount(detail=_("не указана ни одна роль"))
    for role, scope in roles.items():
        _check_role(role)
        if scope != "all" and not scope:
            raise InvalidStaffAccount(detail=_("не указана ни одна библиотека"))
        _require_configure_scope(by=by, scope=scope)
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidStaffAccount(
            detail=_("имя пользователя «%(username)s» уже занято") % {"username": username}
        )
    user = User(username=username, email=email, full_name=full_name)
    if password is None:
        password = _password_generate()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidStaffAccount(detail=" ".join(exc.messages)) from None
    user.set_password(password)
    user.save()
    for role, scope in roles.items():
        _role_change(user=user, role=role, scope=scope, mode="set")
    _is_staff_sync(user)
    _audit(
        at=at,
        by=by,
        action="staff_user_create",
        obj=user.username,
        details={role: _scope_repr(scope) for role, scope in roles.items()},
    )
    return user, password


def _role_service(
    *,
    user: User,
    role: str,
    scope: Scope,
    by: AnyUser | None,
    at: datetime,
    mode: Literal["grant", "revoke", "set"],
) -> StaffRole | None:
    _aware(at)
    _check_role(role)
    _require_configure_scope(by=by, scope=scope)
    row = _role_change(user=user, role=role, scope=scope, mode=mode)
    _is_staff_sync(user)
    staff_grants_forget(user=user)
    _audit(
        at=at,
        by=by,
        action=f"staff_role_{mode}",
        obj=user.username,
        details={"role": role, "branches": _scope_repr(scope)},
    )
    return row


@transaction.atomic
def staff_role_grant(
    *, user: User, role: str, branches: Scope, by: AnyUser | None, at: datetime
) -> StaffRole:
    """Give `user` the role in these branches (added to the ones it has) or in all of them."""
    row = _role_service(user=user, role=role, scope=branches, by=by, at=at, mode="grant")
    if row is None:
        raise InvalidStaffAccount(detail=_("не указана ни одна библиотека"))
    return row


@transaction.atomic
def staff_role_revoke(
    *, user: User, role: str, branches: Scope = "all", by: AnyUser | None, at: datetime
) -> None:
    """Take the role away in these branches, or entirely ("all")."""
    _role_service(user=user, role=role, scope=branches, by=by, at=at, mode="revoke")


@transaction.atomic
def staff_role_set(
    *, user: User, role: str, branches: Scope, by: AnyUser | None, at: datetime
) -> StaffRole | None:
    """Make the role's scope exactly `branches` (empty: the role is removed). Used by admin."""
    return _role_service(user=user, role=role, scope=branches, by=by, at=at, mode="set")


@transaction.atomic
def staff_password_reset(*, user: User, by: AnyUser | None, at: datetime) -> str:
    """Give a staff member a new random password and return it (shown once).

    The acting user needs org.configure wherever the staff member holds a role, so a
    branch administrator cannot take over a network-wide account.
    """
    _aware(at)
    for row in StaffRole.objects.filter(user=user).prefetch_related("branches"):
        _require_configure_scope(
            by=by, scope="all" if row.all_branches else list(row.branches.all())
        )
    password = _password_generate()
    user.set_password(password)
    user.save(update_fields=["password"])
    _audit(at=at, by=by, action="staff_password_reset", obj=user.username)
    return password


@transaction.atomic
def signin_unlock(
    *, username: str = "", ip_address: str = "", by: AnyUser | None, at: datetime
) -> int:
    """Lift a login lockout (polka/accounts/throttle.py): every failure counted against the
    username, from the address, or of that username from that address when both are given.
    Network administrators only; returns how many counters were cleared."""
    _aware(at)
    _require_configure(by=by, branch=None)
    if not username and not ip_address:
        raise ValueError("name a username, an address, or both")
    attempts = AccessAttempt.objects.all()
    if username:
        attempts = attempts.filter(username__iexact=username)
    if ip_address:
        attempts = attempts.filter(ip_address=ip_address)
    count: int = attempts.delete()[0]
    _audit(
        at=at,
        by=by,
        action="signin_unlock",
        obj=" ".join(filter(None, [username, ip_address])),
        details={"username": username, "ip_address": ip_address, "cleared": count},
    )
    return count


def signin_event_record(
    *, event: str, username: str | None, ip_address: str | None, at: datetime
) -> None:
    """Put a failed sign-in or a lockout in the audit log, for administrators to read."""
    _audit(
        at=at,
        by=None,
        action=event,
        obj=(username or "")[:150],
        details={"username": (username or "")[:150], "ip_address": ip_address or ""},
    )


# --- a second factor for staff (TOTP) ----------------------------------------------------------


def staff_totp_device(*, user: User) -> TOTPDevice | None:
    """The staff member's confirmed authenticator, if they turned one on."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def staff_totp_begin(*, user: User, at: datetime) -> TOTPDevice:
    """The unconfirmed authenticator key a staff member adds to their app (the same one until
    it is confirmed); it takes effect only when staff_totp_confirm sees a code from it."""
    _aware(at)
    if not staff_is_staff(user=user):
        raise NotPermitted(action="org.configure")
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return pending or TOTPDevice.objects.create(user=user, name="Polka", confirmed=False)


@transaction.atomic
def staff_totp_confirm(*, user: User, token: str, at: datetime) -> bool:
    """Turn the second factor on when `token` comes from the key given by staff_totp_begin."""
    _aware(at)
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _audit(at=at, by=user, action="staff_totp_on", obj=user.username)
    return True


@transaction.atomic
def staff_totp_disable(*, user: User, token: str, by: AnyUser | None, at: datetime) -> bool:
    """Turn the second factor off: by its owner with a current code, or (a lost phone) by an
    administrator who may configure every branch where the staff member holds a role."""
    _aware(at)
    device = staff_totp_device(user=user)
    if device is None:
        return False
    if by is not None and by.pk == user.pk:
        if not device.verify_token(token.strip()):
            return False
    else:
        rows = list(StaffRole.objects.filter(user=user).prefetch_related("branches"))
        if not rows:
            _require_configure(by=by, branch=None)
        for row in rows:
            _require_configure_scope(
                by=by, scope="all" if row.all_branches else list(row.branches.all())
            )
    TOTPDevice.objects.filter(user=user).delete()
    _audit(at=at, by=by, action="staff_totp_off", obj=user.username)
    return True


# --- who saw readers' personal data --------------------------------------------------------


def personal_data_viewed(
    *,
    by: AnyUser,
    page: str,
    subjects: Sequence[str],
    at: datetime,
    branch: Branch | None = None,
) -> None:
    """Record in the audit log that `by` was shown readers' personal data on `page` (a name
    such as "elibrary.staff"): `subjects` name the people shown (card numbers, question or
    application numbers), so an administrator can answer "who saw this reader's data"."""
    if not subjects:
        return
    shown = [str(s)[:100] for s in subjects]
    _audit(
        at=at,
        by=by,
        action="personal_data_view",
        branch=branch,
        obj=page,
        details={"page": page, "count": len(shown), "subjects": shown[:500]},
    )
