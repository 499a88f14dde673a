"""The SIP2 automated circulation system (ACS) a self-service station talks to: one session per
connection turns each request into a call of the circulation services, in the station's branch
and as its staff login, and each outcome into the response the station expects. Bytes in, bytes
out; the TCP server (sip2_server.py) only frames and carries them.

A request with a wrong checksum or a malformed one is answered with 96 (resend); a request the
ACS cannot carry out (unknown card, copy on loan, rule refuses) gets its own response with
"not ok" and the reason in AF, in the station's language (Russian). Nothing ends a session but
the station hanging up.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone
from django.utils.translation import gettext as _

from polka.catalog.models import Item, ItemStatus
from polka.circulation import services as circulation
from polka.circulation.errors import (
    CirculationError,
    ItemNotFound,
    ItemNotOnLoan,
    ReaderNotFound,
)
from polka.circulation.models import Hold, HoldState, Loan, LoanState
from polka.circulation.selectors import ReaderSummary, reader_summary
from polka.interop.sip2 import (
    Sip2Error,
    Sip2Message,
    flag,
    format_message,
    parse_message,
    sip_date,
)
from polka.org.errors import OrgError
from polka.protocols.models import Sip2Station
from polka.readers.models import Reader
from polka.readers.selectors import reader_at_desk

log = logging.getLogger("polka.sip2")

# 98's "supported messages" (BX), in the order of the specification: patron status, checkout,
# checkin, block patron, SC status, resend, login, patron information, end session, fee paid,
# item information, item status update, patron enable, hold, renew, renew all.
SUPPORTED = "YYYNYYYYYNYNNNYN"
# Item status → SIP2 circulation status (18, fixed field 1).
CIRCULATION_STATUS = {
    ItemStatus.AVAILABLE: "03",
    ItemStatus.ON_LOAN: "04",
    ItemStatus.IN_TRANSIT: "10",
    ItemStatus.ON_HOLD: "08",
    ItemStatus.REFERENCE: "03",
    ItemStatus.PROCESSING: "06",
    ItemStatus.LOST: "12",
    ItemStatus.WITHDRAWN: "01",
}
# Requests a station may send before it has logged in.
BEFORE_LOGIN = {"93", "99"}


class Refused(Exception):
    """The request cannot be carried out; the message goes to the station's screen (AF)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@cache
def _nobody() -> str:
    """A hash to check an unknown login's password against, so that refusing an unknown
    station takes as long as refusing a wrong password (no probing for station names)."""
    return make_password("no such station")


def _due(day: dt.date) -> str:
    return sip_date(dt.datetime.combine(day, dt.time(23, 59, 59)))


def _count(n: int) -> str:
    return f"{min(n, 9999):04d}"


@dataclass
class Sip2Session:
    """One station's connection: who it is once logged in, and its last answer (for 97)."""

    clock: Callable[[], dt.datetime] = timezone.now
    station: Sip2Station | None = None
    last: bytes = b""
    now: dt.datetime = field(default_factory=timezone.now)

    @property
    def encoding(self) -> str:
        return self.station.encoding if self.station else "utf-8"

    # --- framing ---------------------------------------------------------------------------

    def answer(self, data: bytes) -> bytes:
        """The response to one request (its terminator removed), ready to send."""
        checksums = data[-6:-4] == b"AZ"
        try:
            request = self._parse(data)
        except Sip2Error as error:
            log.warning("SIP2 request refused (%s): %r", error, data[:80])
            return self.resend(checksums=checksums)
        if request.code == "97":
            return self.last or self.resend(checksums=checksums)
        self.now = self.clock()
        response = self._dispatch(request)
        out = format_message(
            Sip2Message(response.code, response.fixed, response.fields, request.sequence),
            encoding=self.encoding,
            checksums=checksums,
            crlf=bool(self.station and self.station.crlf),
        )
        self.last = out
        return out

    def resend(self, *, checksums: bool = True) -> bytes:
        """96: the ACS asks the station to send its last request again."""
        crlf = bool(self.station and self.station.crlf)
        return format_message(Sip2Message("96"), checksums=checksums, crlf=crlf)

    def _parse(self, data: bytes) -> Sip2Message:
        try:
            return parse_message(data, encoding=self.encoding)
        except Sip2Error:
            if self.station is not None or not data.startswith(b"93"):
                raise
            # A CP1251 station's login, before we know it is one.
            return parse_message(data, encoding="cp1251")

    def _dispatch(self, request: Sip2Message) -> Sip2Message:
        handler, failure = HANDLERS[request.code]
        try:
            if self.station is None and request.code not in BEFORE_LOGIN:
                raise Refused(_("Станция не вошла в систему: сначала сообщение 93 (login)."))
            return handler(self, request)
        except Refused as error:
            return failure(self, request, error.message)
        except (CirculationError, OrgError) as error:
            return failure(self, request, error.message)
        except Exception:
            # One bad request must not end the station's session; the log keeps the trace.
            log.exception("SIP2 request %s failed", request.code)
            return failure(self, request, _("Внутренняя ошибка: обратитесь к библиотекарю."))

    # --- what every response repeats -----------------------------------------------------

    @property
    def date(self) -> str:
        return sip_date(timezone.localtime(self.now))

    def institution(self, request: Sip2Message) -> str:
        return request.get("AO") or (self.station.branch.code if self.station else "")

    def reader(self, request: Sip2Message) -> Reader:
        assert self.station is not None
        card = request.get("AA").strip()
        reader = (
            reader_at_desk(user=self.station.user, card_number=card, related=False)
            if card
            else None
        )
        if reader is None:
            raise ReaderNotFound(card)
        password = request.get("AD")
        if password and not _password_ok(reader, password):
            raise Refused(_("Неверный пароль читателя."))
        return reader

    def summary(self, reader: Reader) -> ReaderSummary:
        assert self.station is not None
        return reader_summary(
            reader=reader, branch=self.station.branch, on=timezone.localdate(self.now)
        )


def _password_ok(reader: Reader, password: str) -> bool:
    user = reader.user
    return user is not None and user.is_active and user.check_password(password)


def _valid_password(reader: Reader, request: Sip2Message) -> list[tuple[str, str]]:
    password = request.get("AD")
    return [("CQ", flag(_password_ok(reader, password)))] if password else []


def _patron_status(summary: ReaderSummary) -> str:
    """The 14 "denied" flags: charge, renew, recall and hold privileges, too many charged,
    too many overdue (the rest: card lost, claims, fines, fees, billed; not kept here)."""
    blocked = bool(summary.blocks)
    on_loan = sum(1 for loan in summary.loans if loan.state == LoanState.ACTIVE)
    flags = [" "] * 14
    for position in (0, 1, 2, 3):
        flags[position] = "Y" if blocked else " "
    flags[5] = "Y" if on_loan >= summary.rule.max_loans else " "
    flags[6] = "Y" if summary.overdue and blocked else " "
    return "".join(flags)


def _screen(summary: ReaderSummary) -> list[tuple[str, str]]:
    return [("AF", reason) for reason in summary.blocks]


# --- login and status ----------------------------------------------------------------------


def login(session: Sip2Session, request: Sip2Message) -> Sip2Message:
    username, password = request.get("CN").strip(), request.get("CO")
    station = (
        Sip2Station.objects.select_related("user", "branch")
        .filter(user__username=username, user__is_active=True)
        .first()
        if username
        else None
    )
    if station is None:
        check_password(password, _nobody())
        log.warning("SIP2 login refused: unknown station %r", username)
        return Sip2Message("94", "0")
    if not station.user.check_password(password):
        log.warning("SIP2 login refused: wrong password for %r", username)
        return Sip2Message("94", "0")
    session.station = station
    return Sip2Message("94", "1")


def login_failed(session: Sip2Session, request: Sip2Message, message: str) -> Sip2Message:
    return Sip2Message("94", "0")


def sc_status(session: Sip2Session, request: Sip2Message) -> Sip2Message:
    online = session.station is not None
    branch = session.station.branch if session.station else None
    fixed = flag(online) * 4 + "NN" + "030" + "003" + session.date + "2.00"
    fields = [
        ("AO", branch.code if branch else ""),
        ("AM", branch.name if branch else ""),
        ("BX", SUPPORTED),
    ]
    if branch is None:
        fields.append(("AF", _("Станция не вошла в систему: сначала сообщение 93 (login).")))
    return Sip2Message("98", fixed, fields)


def sc_status_failed(session: Sip2Session, request: Sip2Message, message: str) -> Sip2Message:
    fixed = "NNNNNN" + "030" + "003" + session.date + "2.00"
    return Sip2Message("98", fixed, [("AO", ""), ("AM", ""), ("BX", SUPPORTED), ("AF", message)])


# --- patrons -------------------------------------------------------------------------------


def patron_status(session: Sip2Session, request: Sip2Message) -> Sip2Message:
    reader = session.reader(request)
    summary = session.summary(reader)
    fixed = _patron_status(summary) + (request.fixed[:3] or "000") + session.date
    fields = [
        ("AO", session.institution(request)),
        ("AA", reader.card_number),
        ("AE", reader.full_name),
        ("BL", "Y"),
        *_valid_password(reader, request),
        *_screen(summary),
    ]
    return Sip2Message("24", fixed, fields)


def _unknown_patron(
    code: str, session: Sip2Session, request: Sip2Message, message: str, counts: str = ""
) -> Sip2Message:
    """24 or 64 about a card that cannot be used: every privilege denied, not a valid patron."""
    fixed = "Y" * 4 + " " * 10 + (request.fixed[:3] or "000") + session.date + counts
    fields = [
        ("AO", session.institution(request)),
        ("AA", request.get("AA")),
        ("AE", ""),
        ("BL", "N"),
        ("AF", message),
    ]
    return Sip2Message(code, fixed, fields)


def patron_status_failed(session: Sip2Session, request: Sip2Message, message: str) -> Sip2Message:
    return _unknown_patron("24", session, request, message)


def _window(items: list[str], request: Sip2Message) -> list[str]:
    """BP..BQ (1-based, inclusive) of a list of items, as the station asked."""
    try:
        start = max(1, int(request.get("BP") or 1))
        end = int(request.get("BQ") or len(items))
    except ValueError:
        start, end = 1, len(items)
    return items[start - 1 : end]


def patron_information(session: Sip2Session, request: Sip2Message) -> Sip2Message:
    reader = session.reader(request)
    summary = session.summary(reader)
    today = timezone.localdate(session.now)
    charged = [loan for loan in summary.loans if loan.state == LoanState.ACTIVE]
    overdue = [loan for loan in charged if loan.due_on < today]
    ready = summary.holds_ready
    waiting = [hold for hold in summary.holds if hold.state != HoldState.READY]
    counts = [len(ready), len(overdue), len(charged), 0, 0, len(waiting)]
    fixed = (
        _patron_status(summary)
        + (request.fixed[:3] or "000")
        + session.date
        + "".join(_count(n) for n in counts)
    )
    fields = [
        ("AO", session.institution(request)),
        ("AA", reader.card_number),
        ("AE", reader.full_name),
        ("CB", _count(summary.rule.max_loans)),
        ("BL", "Y"),
        *_valid_password(reader, request),
    ]
    wanted = request.fixed[21:31].ljust(10)
    lists = {
        0: ("AS", [hold.item.barcode for hold in ready if hold.item is not None]),
        1: ("AT", [loan.item.barcode for loan in overdue]),
        2: ("AU", [loan.item.barcode for loan in charged]),
        5: ("CD", [hold.record.title for hold in waiting]),
    }
    for position, (name, items) in lists.items():
        if wanted[position] == "Y":
            fields += [(name, value) for value in _window(items, request)]
    if reader.email:
        fields.append(("BE", reader.email))
    fields += _screen(summary)
    return Sip2Message("64", fixed, fields)


def patron_information_failed(
    session: Sip2Session, request: Sip2Message, message: str
) -> Sip2Message:
    return _unknown_patron("64", session, request, message, counts="0000" * 6)


def end_session(session: Sip2Session, request: Sip2Message) -> Sip2Message:
    fields = [("AO", session.institution(request)), ("AA", request.get("AA"))]
    return Sip2Message("36", "Y" + session.date, fields)


def end_session_failed(session: Sip2Session, request: Sip2Message, message: str) -> Sip2Message:
    fields = [("AO", session.institution(request)), ("AA", request.get("AA")), ("AF", message)]
    return Sip2Message("36", "N" + session.date, fields)


# --- items ---------------------------------------------------------------------------------


def _item_or_refuse(barcode: str) -> Item:
    item = (
        Item.objects.select_related("record", "branch")
        .only("barcode", "status", "record__title", "record_id", "branch__code")
        .filter(barcode=barcode.strip())
        .first()
    )
    if item is None:
        raise ItemNotFound(barcode)
    return item


def item_information(session: Sip2Session, request: Sip2Message) -> Sip2Message:
    item = _item_or_refuse(request.get("AB"))
    loan = (
        Loan.objects.filter(item=item, state=LoanState.ACTIVE).only("due_on").first()
        if item.status == ItemStatus.ON_LOAN
        else None
    )
    queue = Hold.objects.filter(record_id=item.record_id, state=HoldState.WAITING).count()
    fixed = CIRCULATION_STATUS.get(ItemStatus(item.status), "01") + "00" + "01" + session.date
    fields = [
        ("AB", item.barcode),
        ("AJ", item.record.title),
        ("CF", str(queue)),
        *([("AH", _due(loan.due_on))] if loan else []),
        ("AQ", item.branch.code),
        ("AP", item.branch.code),
    ]
    return Sip2Message("18", fixed, fields)


def item_information_failed(
    session: Sip2Session, request: Sip2Message, message: str
) -> Sip2Message:
    fields = [("AB", request.get("AB")), ("AJ", ""), ("AF", message)]
    return Sip2Message("18", "01" + "00" + "01" + session.date, fields)


# --- lending -------------------------------------------------------------------------------


def _lent(
    code: str, session: Sip2Session, request: Sip2Message, loan: Loan | None, message: str = ""
) -> Sip2Message:
    """12 and 30 (checkout, renew) share their shape: ok, renewal ok, magnetic media,
    desensitize, date; the loan's card, copy, title and due date, or the refusal's reason."""
    if loan is None:
        fixed = "0" + "N" + "U" + "N"
        card, barcode, title, due = request.get("AA"), request.get("AB"), "", ""
    else:
        fixed = "1" + flag(code == "30") + "U" + flag(code == "12")
        card = loan.reader.card_number if loan.reader else request.get("AA")
        barcode, title, due = loan.item.barcode, loan.item.record.title, _due(loan.due_on)
    fields = [
        ("AO", session.institution(request)),
        ("AA", card),
        ("AB", barcode),
        ("AJ", title),
        ("AH", due),
        *([("AF", message)] if message else []),
    ]
    return Sip2Message(code, fixed + session.date, fields)


def checkout(session: Sip2Session, request: Sip2Message) -> Sip2Message:
    assert session.station is not None
    lent = circulation.loan_checkout(
        barcode=request.get("AB"),
        reader=session.reader(request),
        branch=session.station.branch,
        by=session.station.user,
        at=session.now,
    )
    return _lent("12", session, request, lent.loan)


def checkout_failed(session: Sip2Session, request: Sip2Message, message: str) -> Sip2Message:
    return _lent("12", session, request, None, message)


def checkin(session: Sip2Session, request: Sip2Message) -> Sip2Message:
    assert session.station is not None
    returned = circulation.loan_checkin(
        barcode=request.get("AB"),
        branch=session.station.branch,
        by=session.station.user,
        at=session.now,
    )
    # Alert type (CV): 01 hold here, 02 hold elsewhere (send it), 04 send to another branch.
    alert = ""
    if returned.hold is not None:
        alert = "01" if returned.transit is None else "02"
    elif returned.transit is not None:
        alert = "04"
    fields = [
        ("AO", session.institution(request)),
        ("AB", returned.item.barcode),
        ("AQ", returned.item.branch.code),
        ("AJ", returned.item.record.title),
        *([("AA", returned.reader.card_number)] if returned.reader else []),
        *([("CV", alert)] if alert else []),
        ("AF", returned.instruction),
    ]
    fixed = "1" + "Y" + "U" + flag(bool(alert)) + session.date
    return Sip2Message("10", fixed, fields)


def checkin_failed(session: Sip2Session, request: Sip2Message, message: str) -> Sip2Message:
    fields = [
        ("AO", session.institution(request)),
        ("AB", request.get("AB")),
        ("AQ", ""),
        ("AF", message),
    ]
    return Sip2Message("10", "0" + "N" + "U" + "N" + session.date, fields)


def renew(session: Sip2Session, request: Sip2Message) -> Sip2Message:
    assert session.station is not None
    reader = session.reader(request)
    barcode = request.get("AB").strip()
    loan = (
        Loan.objects.select_related("item")
        .filter(reader=reader, item__barcode=barcode, state=LoanState.ACTIVE)
        .first()
    )
    if loan is None:
        raise ItemNotOnLoan(barcode)
    loan = circulation.loan_renew(loan=loan, at=session.now, by=session.station.user)
    return _lent("30", session, request, loan)


def renew_failed(session: Sip2Session, request: Sip2Message, message: str) -> Sip2Message:
    return _lent("30", session, request, None, message)


Handler = Callable[[Sip2Session, Sip2Message], Sip2Message]
Failure = Callable[[Sip2Session, Sip2Message, str], Sip2Message]
HANDLERS: dict[str, tuple[Handler, Failure]] = {
    "93": (login, login_failed),
    "99": (sc_status, sc_status_failed),
    "23": (patron_status, patron_status_failed),
    "63": (patron_information, patron_information_failed),
    "17": (item_information, item_information_failed),
    "11": (checkout, checkout_failed),
    "09": (checkin, checkin_failed),
    "29": (renew, renew_failed),
    "35": (end_session, end_session_failed),
}
