"""Tokens, the reader's own loans and holds, and the desk operations in the JSON API.

A reader's app logs in with card number (or e-mail) and password and gets a bearer token; a
staff tool does the same with the staff login. Everything then goes through the same services
and permission checks as the site: a refusal is HTTP 409 with the desk's message."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from polka.accounts.models import User
from polka.api.tokens import token_login, token_revoke, token_user
from polka.circulation import selectors, services
from polka.circulation.errors import ReaderNotFound
from polka.circulation.models import Loan, LoanState
from polka.org.models import Branch
from polka.readers.models import Reader
from polka.readers.selectors import reader_at_desk


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_user(key=token, on=timezone.localdate())
        if user is not None:
            request.user = user
        return user


router = Router(tags=["accounts"])
bearer = TokenAuth()


class Error(Schema):
    detail: str
    overridable: bool = False


class LoginIn(Schema):
    login: str
    password: str
    name: str = ""


class TokenOut(Schema):
    token: str


@router.post("/tokens", response={201: TokenOut, 401: Error}, auth=None)
def token_create(request: HttpRequest, payload: LoginIn) -> Status[TokenOut | Error]:
    """Log in (a reader: card number or e-mail; staff: user name) and get a bearer token."""
    key = token_login(
        request=request, login=payload.login.strip(), password=payload.password, name=payload.name
    )
    if key is None:
        return Status(401, Error(detail="wrong login or password"))
    return Status(201, TokenOut(token=key))


@router.delete("/tokens/current", response={204: None}, auth=bearer)
def token_delete(request: HttpRequest) -> Status[None]:
    """Log out: the token used for this request stops working."""
    header = request.headers.get("Authorization", "")
    token_revoke(key=header.partition(" ")[2].strip(), at=timezone.now())
    return Status(204, None)


# --- the reader's own account -------------------------------------------------------------


class LoanOut(Schema):
    id: int
    title: str
    barcode: str
    state: str
    lent_at: dt.datetime
    due_on: dt.date
    renewals: int
    overdue_days: int


class HoldOut(Schema):
    id: int
    record: int
    title: str
    state: str
    specific_copy: str | None
    pickup_branch: str
    position: int
    suspended_until: dt.date | None
    expires_on: dt.date | None


def _reader(request: HttpRequest) -> Reader:
    return get_object_or_404(
        Reader.objects.select_related("category", "home_branch"), user_id=request.user.pk
    )


def _loan_out(loan: Loan, today: dt.date) -> LoanOut:
    return LoanOut(
        id=loan.pk,
        title=loan.item.record.title,
        barcode=loan.item.barcode,
        state=loan.state,
        lent_at=loan.lent_at,
        due_on=loan.due_on,
        renewals=loan.renewals,
        overdue_days=max(0, (today - loan.due_on).days) if loan.state == LoanState.ACTIVE else 0,
    )


@router.get("/me/loans", response=list[LoanOut], auth=bearer)
def my_loans(request: HttpRequest) -> list[LoanOut]:
    """The reader's loans: on loan, and lost ones not yet made good."""
    today = timezone.localdate()
    return [_loan_out(loan, today) for loan in selectors.reader_loans(reader=_reader(request))]


@router.post(
    "/me/loans/{loan_id}/renew", response={200: LoanOut, 404: Error, 409: Error}, auth=bearer
)
def my_loan_renew(request: HttpRequest, loan_id: int) -> LoanOut:
    """Renew one loan, as from the account page (refused while others wait for it)."""
    reader = _reader(request)
    loan = get_object_or_404(Loan.objects.select_related("item"), pk=loan_id, reader=reader)
    renewed = services.loan_renew(loan=loan, reader=reader, at=timezone.now())
    return _loan_out(renewed, timezone.localdate())


@router.get("/me/holds", response=list[HoldOut], auth=bearer)
def my_holds(request: HttpRequest) -> list[HoldOut]:
    """Open holds with the place in the queue (1: first) of the waiting ones."""
    return [
        HoldOut(
            id=hold.pk,
            record=hold.record_id,
            title=hold.record.title,
            state=hold.state,
            specific_copy=hold.item.barcode if hold.specific and hold.item else None,
            pickup_branch=hold.pickup_branch.code,
            position=hold.position,  # type: ignore[attr-defined]
            suspended_until=hold.suspended_until,
            expires_on=hold.expires_on,
        )
        for hold in selectors.reader_holds(reader=_reader(request))
    ]


# --- the desk, for staff tools ------------------------------------------------------------


class CheckoutIn(Schema):
    card: str
    barcode: str
    branch: str
    override: str = ""


class CheckoutOut(Schema):
    loan: int
    title: str
    due_on: dt.date
    rule: str
    overridden: list[str]


class CheckinIn(Schema):
    barcode: str
    branch: str


class CheckinOut(Schema):
    title: str
    loan: int | None
    overdue_days: int
    instruction: str
    hold: int | None
    transit_to: str | None


class RenewIn(Schema):
    override: str = ""


def _desk_branch(code: str) -> Branch:
    return get_object_or_404(Branch, code=code)


@router.post("/desk/checkout", response={200: CheckoutOut, 403: Error, 404: Error, 409: Error},
             auth=bearer)  # fmt: skip
def desk_checkout(request: HttpRequest, payload: CheckoutIn) -> CheckoutOut:
    """Lend a copy to the reader whose card is given, at a branch where the token's user
    lends; a rule set aside needs `override` (the reason, logged)."""
    branch = _desk_branch(payload.branch)
    reader = reader_at_desk(user=request.user, card_number=payload.card)
    if reader is None:
        raise ReaderNotFound(payload.card)
    lent = services.loan_checkout(
        barcode=payload.barcode, reader=reader, branch=branch, by=request.user,
        at=timezone.now(), override=payload.override,
    )  # fmt: skip
    return CheckoutOut(
        loan=lent.loan.pk,
        title=lent.loan.item.record.title,
        due_on=lent.loan.due_on,
        rule=str(lent.rule),
        overridden=lent.overridden,
    )


@router.post("/desk/checkin", response={200: CheckinOut, 403: Error, 404: Error, 409: Error},
             auth=bearer)  # fmt: skip
def desk_checkin(request: HttpRequest, payload: CheckinIn) -> CheckinOut:
    """Take a copy back (or check it in from transit): what to do with it now."""
    back = services.loan_checkin(
        barcode=payload.barcode, branch=_desk_branch(payload.branch), by=request.user,
        at=timezone.now(),
    )  # fmt: skip
    return CheckinOut(
        title=back.item.record.title,
        loan=back.loan.pk if back.loan else None,
        overdue_days=back.overdue_days,
        instruction=back.instruction,
        hold=back.hold.pk if back.hold else None,
        transit_to=back.transit.to_branch.code if back.transit else None,
    )


@router.post("/desk/loans/{loan_id}/renew",
             response={200: LoanOut, 403: Error, 404: Error, 409: Error}, auth=bearer)  # fmt: skip
def desk_renew(request: HttpRequest, loan_id: int, payload: RenewIn) -> LoanOut:
    loan = get_object_or_404(Loan.objects.select_related("item__record"), pk=loan_id)
    renewed = services.loan_renew(
        loan=loan, by=request.user, at=timezone.now(), override=payload.override
    )
    return _loan_out(renewed, timezone.localdate())
