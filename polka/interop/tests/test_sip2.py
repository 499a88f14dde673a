"""SIP2 messages (pure codec), checked against the PyPI `sip2` client's own requests and its
parsing of our responses."""

from __future__ import annotations

import logging

import pytest
from Sip2.sip2 import Sip2

from polka.interop.sip2 import (
    Sip2Error,
    Sip2Message,
    checksum,
    format_message,
    parse_message,
    split_messages,
)


def client(encoding: str = "utf-8") -> Sip2:
    station = Sip2()
    station.log = logging.getLogger("sip2-client")  # it expects one set by connect()
    station.institutionId = "central"
    station.patron = "1001"
    station.hostEncoding = encoding
    return station


def test_the_checksum_of_the_specification_example():
    # From the 3M SIP2 specification (and the sip2 client's own comment).
    message = (
        b"09N20160419    12200820160419    122008APReading Room 1|AO830|AB830$28170815|AC|AY2AZ"
    )
    assert checksum(message) == "EB80"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
def test_requests_built_by_the_sip2_client_parse_with_their_fields(encoding):
    station = client(encoding)
    login = parse_message(
        station.sip_login_request("sip-demo", "secret").rstrip("\r").encode(encoding),
        encoding=encoding,
    )
    assert (login.code, login.get("CN"), login.get("CO"), login.sequence) == (
        "93", "sip-demo", "secret", 0,
    )  # fmt: skip
    checkout = parse_message(
        station.sip_checkout_request("20000001").rstrip("\r").encode(encoding), encoding=encoding
    )
    assert (checkout.code, checkout.get("AA"), checkout.get("AB"), checkout.get("AO")) == (
        "11", "1001", "20000001", "central",
    )  # fmt: skip
    assert checkout.fixed[:2] == "NN" and len(checkout.fixed) == 38
    info = station.sip_patron_information_request("charged").rstrip("\r")
    assert parse_message(info.encode(encoding), encoding=encoding).code == "63"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
def test_a_response_with_cyrillic_text_is_read_back_by_the_client(encoding):
    response = Sip2Message(
        "64",
        "              " + "000" + "20261202    120000" + "0001" * 6,
        (("AO", "central"), ("AA", "1001"), ("AE", "Иванова Мария Петровна"), ("BL", "Y")),
        sequence=3,
    )
    data = format_message(response, encoding=encoding)
    assert data.endswith(b"\r")
    parsed = client(encoding).sip_patron_information_response(data.decode(encoding))
    assert parsed["variable"]["AE"] == ["Иванова Мария Петровна"]
    assert parsed["variable"]["AY"] == ["3"]
    assert parsed["variable"]["AZ"] == [data[-5:-1].decode()]


def test_a_wrong_checksum_is_refused_and_a_missing_one_accepted():
    good = format_message(Sip2Message("99", "0080" + "2.00", sequence=1))[:-1]
    assert parse_message(good).code == "99"
    bad = good[:-4] + (b"0000" if not good.endswith(b"0000") else b"1111")
    with pytest.raises(Sip2Error):
        parse_message(bad)
    assert parse_message(b"9900802.00").fixed == "00802.00"  # no AY/AZ: checksums off


@pytest.mark.parametrize(
    "data",
    [b"XX", b"11NN2026", b"93" + b"0" * 9000, b"23000\xff\xfe"],
)
def test_malformed_messages_raise(data):
    with pytest.raises(Sip2Error):
        parse_message(data, checksums=False)


def test_framing_keeps_a_half_sent_message_for_later_and_takes_cr_or_crlf():
    messages, rest = split_messages(b"9900802.00AY1AZFCA4\r\n9300CNa|COb|AY2AZ")
    assert messages == [b"9900802.00AY1AZFCA4"]
    assert rest == b"9300CNa|COb|AY2AZ"
    messages, rest = split_messages(rest + b"F00B\r")
    assert messages == [b"9300CNa|COb|AY2AZF00B"] and rest == b""
    with pytest.raises(Sip2Error):
        split_messages(b"9" * 10_000)
