"""3M SIP2 (Standard Interchange Protocol 2.00) messages: framing, checksums, sequence numbers,
fixed and variable fields, in a station's own encoding. Pure; no Django, no sockets.

A message is a two-digit code, a fixed-length part whose length the code decides, then fields
`XXvalue|`, then optionally `AY<n>AZ<checksum>` and a CR (some stations send CR LF). The
checksum is the two's complement of the 16-bit sum of the message's bytes up to and including
"AZ", as four upper-case hex digits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

MAX_MESSAGE = 8_192  # a station never needs more; a longer "message" is refused

# Request code → length of its fixed part (SIP2 2.00, the messages an ACS answers).
REQUEST_FIXED = {
    "93": 2,  # login: UID algorithm, PWD algorithm
    "99": 8,  # SC status: status code, max print width (3), protocol version (4)
    "23": 21,  # patron status: language (3), transaction date (18)
    "63": 31,  # patron information: language, transaction date, summary (10)
    "11": 38,  # checkout: renewal policy, no block, transaction date, nb due date
    "09": 37,  # checkin: no block, transaction date, return date
    "29": 38,  # renew: third party allowed, no block, transaction date, nb due date
    "17": 18,  # item information: transaction date
    "35": 18,  # end patron session: transaction date
    "97": 0,  # request ACS resend
}
REQUEST_FOR_RESPONSE = {"94": "93", "98": "99", "24": "23", "64": "63", "12": "11"} | {
    "10": "09",
    "30": "29",
    "18": "17",
    "36": "35",
    "96": "97",
}


class Sip2Error(ValueError):
    """A message that cannot be taken: malformed, unknown code, wrong checksum, too long."""


@dataclass(frozen=True, slots=True)
class Sip2Message:
    code: str
    fixed: str = ""
    fields: Sequence[tuple[str, str]] = field(default_factory=tuple)
    sequence: int | None = None  # AY, 0-9, echoed in the response

    def get(self, name: str, default: str = "") -> str:
        return next((value for key, value in self.fields if key == name), default)

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.fields if key == name]


def checksum(data: bytes) -> str:
    return format(-sum(data) & 0xFFFF, "04X")


def _checksum_ok(head: bytes, given: str, encoding: str) -> bool:
    if checksum(head) == given.upper():
        return True
    # Some station software sums characters instead of bytes; for ASCII the two agree.
    text = head.decode(encoding, "replace")
    return format(-sum(map(ord, text)) & 0xFFFF, "04X") == given.upper()


def split_messages(buffer: bytes) -> tuple[list[bytes], bytes]:
    """Complete messages (terminator removed) and the unfinished rest, which waits for more
    bytes; CR, CR LF and a lone LF all end a message."""
    messages: list[bytes] = []
    while True:
        ends = [i for i in (buffer.find(b"\r"), buffer.find(b"\n")) if i >= 0]
        if not ends:
            if len(buffer) > MAX_MESSAGE:
                raise Sip2Error("message too long")
            return messages, buffer
        end = min(ends)
        line = buffer[:end]
        buffer = buffer[end + (2 if buffer[end : end + 2] == b"\r\n" else 1) :]
        if line.strip():
            messages.append(line)


def parse_message(data: bytes, *, encoding: str = "utf-8", checksums: bool = True) -> Sip2Message:
    """One request (without its terminator). With `checksums`, a message that carries AZ must
    carry the right one; a message without AZ is taken as it is (checksums are optional in
    SIP2 and stations are configured one way or the other)."""
    if len(data) > MAX_MESSAGE:
        raise Sip2Error("message too long")
    code = data[:2].decode("ascii", "replace")
    if code not in REQUEST_FIXED:
        raise Sip2Error(f"unknown message code {code!r}")
    body = data
    sequence = None
    tail = data.rfind(b"AZ")
    if tail >= 0 and len(data) - tail == 6:
        given = data[tail + 2 :].decode("ascii", "replace")
        if checksums and not _checksum_ok(data[: tail + 2], given, encoding):
            raise Sip2Error("wrong checksum")
        body = data[:tail]
    elif checksums and b"AZ" in data[-8:]:
        raise Sip2Error("malformed checksum")
    if len(body) >= 3 and body[-3:-1] == b"AY" and body[-1:].isdigit():
        sequence = int(body[-1:])
        body = body[:-3]
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        raise Sip2Error(f"not {encoding}") from None
    fixed_length = REQUEST_FIXED[code]
    fixed = text[2 : 2 + fixed_length]
    if len(fixed) < fixed_length:
        raise Sip2Error("fixed fields cut short")
    fields = []
    for piece in text[2 + fixed_length :].split("|"):
        if not piece:
            continue
        if len(piece) < 2:
            raise Sip2Error("malformed field")
        fields.append((piece[:2], piece[2:]))
    return Sip2Message(code, fixed, tuple(fields), sequence)


def format_message(
    message: Sip2Message, *, encoding: str = "utf-8", checksums: bool = True, crlf: bool = False
) -> bytes:
    """The message as a station reads it: fields with `|`, AY and AZ when asked, CR (or CR LF).
    Characters the encoding lacks become `?`; field separators inside values are dropped."""
    text = (
        message.code
        + message.fixed
        + "".join(f"{name}{value.replace('|', ' ')}|" for name, value in message.fields)
    )
    if message.sequence is not None:
        text += f"AY{message.sequence}"
    data = text.encode(encoding, "replace")
    if checksums:
        data += b"AZ"
        data += checksum(data).encode("ascii")
    return data + (b"\r\n" if crlf else b"\r")


def sip_date(moment: dt.datetime) -> str:
    """SIP2's 18-character date: YYYYMMDD, four spaces (local time), HHMMSS."""
    return moment.strftime("%Y%m%d    %H%M%S")


def parse_sip_date(value: str) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        # SIP2 dates carry no zone (the station's local time): the caller attaches it.
        return dt.datetime.strptime(value[:8] + value[-6:], "%Y%m%d%H%M%S")  # noqa: DTZ007
    except ValueError:
        return None


def flag(value: bool) -> str:
    return "Y" if value else "N"
