"""`polka sip2` against a real station client: the PyPI `sip2` package (TLS off; it reads one
`recv` per request) logs in, checks out, renews, asks for patron and item information and
returns a copy over TCP, in UTF-8 and in CP1251; raw sockets send what no client library
would (wrong checksums, half messages, garbage, too many connections)."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from Sip2.sip2 import Sip2

from polka.catalog.models import Item, ItemStatus
from polka.circulation.models import Fact, FactKind, Hold, HoldState, Loan, LoanState
from polka.circulation.services import hold_place
from polka.circulation.tests.conftest import AT, desk_user, make_item, make_reader, make_record
from polka.interop.sip2 import Sip2Message, format_message
from polka.org.models import Branch
from polka.org.policies import staff_can
from polka.protocols.models import Sip2Station
from polka.protocols.services import sip2_station_create
from polka.protocols.sip2_server import Sip2Server
from polka.readers.models import Reader
from polka.readers.services import reader_categories_ensure

pytestmark = pytest.mark.django_db(transaction=True)

STATION_PASSWORD = "kiosk-password-4711"
TITLE = "Преступление и наказание"


@pytest.fixture(autouse=True)
def _categories(db: None) -> None:
    reader_categories_ensure()  # a transactional test starts from an empty database


@pytest.fixture
def server() -> Iterator[Sip2Server]:
    sip = Sip2Server(("127.0.0.1", 0), clock=lambda: AT, max_connections=8, idle_timeout=5)
    thread = threading.Thread(target=sip.serve_forever, daemon=True)
    thread.start()
    yield sip
    sip.shutdown()
    sip.server_close()
    thread.join(5)


@pytest.fixture
def reader(branch_a: Branch) -> Reader:
    return make_reader(branch_a, last_name="Ёлкина", first_name="Мария", middle_name="Петровна")


@pytest.fixture
def copy(branch_a: Branch) -> Item:
    return make_item(make_record(TITLE), branch_a, barcode="20000001")


def station(branch: Branch, encoding: str = "utf-8", name: str = "sip-a") -> Sip2Station:
    created, _ = sip2_station_create(
        username=name, password=STATION_PASSWORD, branch=branch, encoding=encoding, at=AT
    )
    return created


def client(server: Sip2Server, *, encoding: str = "utf-8", patron: str = "") -> Sip2:
    kiosk = Sip2()
    kiosk.log = logging.getLogger("sip2-client")
    kiosk.hostName, kiosk.hostPort = "127.0.0.1", server.port
    kiosk.tlsEnable = False
    kiosk.hostEncoding = encoding
    kiosk.socketTimeout = 5
    kiosk.institutionId = "a"
    kiosk.scLocation = "a"
    kiosk.patron = patron
    kiosk.connect()
    return kiosk


def ask(kiosk: Sip2, request: str, parse: Any) -> dict[str, Any]:
    result: dict[str, Any] = parse(kiosk.get_response(request))
    return result


def raw(server: Sip2Server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=5)


def exchange(sock: socket.socket, data: bytes) -> bytes:
    sock.sendall(data)
    answer = b""
    while not answer.endswith(b"\r"):
        chunk = sock.recv(4096)
        assert chunk, "the server closed the connection"
        answer += chunk
    return answer


def login_bytes(name: str = "sip-a", password: str = STATION_PASSWORD) -> bytes:
    return format_message(Sip2Message("93", "00", (("CN", name), ("CO", password)), sequence=0))


def test_a_station_account_is_a_desk_login_of_its_branch(branch_a, branch_b):
    kiosk = station(branch_a)
    assert staff_can(user=kiosk.user, action="circulation.checkout", branch=branch_a)
    assert not staff_can(user=kiosk.user, action="circulation.checkout", branch=branch_b)
    assert not staff_can(user=kiosk.user, action="catalog.edit")


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
def test_the_sip2_client_runs_a_whole_lending_session_with_cyrillic_names(
    server, branch_a, reader, copy, encoding
):
    station(branch_a, encoding)
    kiosk = client(server, encoding=encoding, patron=reader.card_number)
    login = ask(kiosk, kiosk.sip_login_request("sip-a", STATION_PASSWORD), kiosk.sip_login_response)
    assert login["fixed"]["Ok"] == "1"
    status = ask(kiosk, kiosk.sip_sc_status_request(), kiosk.sip_sc_status_response)
    assert status["fixed"]["OnlineStatus"] == "Y"
    assert status["variable"]["AM"] == ["Центральная библиотека"]

    info = ask(
        kiosk, kiosk.sip_patron_information_request("none"), kiosk.sip_patron_information_response
    )
    assert info["variable"]["AE"] == ["Ёлкина Мария Петровна"]
    assert info["variable"]["BL"] == ["Y"]

    lent = ask(kiosk, kiosk.sip_checkout_request(copy.barcode), kiosk.sip_checkout_response)
    assert lent["fixed"]["Ok"] == "1", lent
    assert lent["variable"]["AJ"] == [TITLE]
    loan = Loan.objects.get(item=copy, state=LoanState.ACTIVE)
    assert loan.reader_id == reader.pk and loan.branch_id == branch_a.pk
    assert lent["variable"]["AH"][0].startswith(loan.due_on.strftime("%Y%m%d"))

    charged = ask(
        kiosk,
        kiosk.sip_patron_information_request("charged"),
        kiosk.sip_patron_information_response,
    )
    assert charged["fixed"]["ChargedItemsCount"] == "0001"
    assert charged["variable"]["AU"] == [copy.barcode]

    item = ask(
        kiosk, kiosk.sip_item_information_request(copy.barcode), kiosk.sip_item_information_response
    )
    assert item["fixed"]["CirculationStatus"] == "04"

    renewed = ask(kiosk, kiosk.sip_renew_request(copy.barcode), kiosk.sip_renew_response)
    assert renewed["fixed"]["Ok"] == "1", renewed
    loan.refresh_from_db()
    assert loan.renewals == 1

    back = ask(kiosk, kiosk.sip_checkin_request(copy.barcode), kiosk.sip_checkin_response)
    assert back["fixed"]["Ok"] == "1", back
    assert back["variable"]["AF"] == ["Поставьте на полку."]
    copy.refresh_from_db()
    assert copy.status == ItemStatus.AVAILABLE

    end = ask(kiosk, kiosk.sip_end_patron_session_request(), kiosk.sip_end_patron_session_response)
    assert end["fixed"]["EndSession"] == "Y"
    kinds = list(Fact.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [FactKind.LOAN, FactKind.RENEWAL, FactKind.RETURN]  # statistics count it
    kiosk.disconnect()


def test_a_refused_checkout_says_why_on_the_screen_and_changes_nothing(
    server, branch_a, reader, copy
):
    station(branch_a)
    other = make_reader(branch_a, first_name="Борис")
    kiosk = client(server, patron=other.card_number)
    ask(kiosk, kiosk.sip_login_request("sip-a", STATION_PASSWORD), kiosk.sip_login_response)
    first = ask(kiosk, kiosk.sip_checkout_request(copy.barcode), kiosk.sip_checkout_response)
    assert first["fixed"]["Ok"] == "1"
    kiosk.patron = reader.card_number
    second = ask(kiosk, kiosk.sip_checkout_request(copy.barcode), kiosk.sip_checkout_response)
    assert second["fixed"]["Ok"] == "0"
    assert "20000001" in second["variable"]["AF"][0]
    kiosk.patron = "no-such-card"
    nobody = ask(kiosk, kiosk.sip_patron_status_request(), kiosk.sip_patron_status_response)
    assert nobody["variable"]["BL"] == ["N"]
    assert Loan.objects.filter(item=copy).count() == 1
    assert Loan.objects.get(item=copy).reader_id == other.pk
    kiosk.disconnect()


def test_a_copy_returned_at_a_kiosk_is_trapped_for_the_reader_who_waits(
    server, branch_a, reader, copy
):
    station(branch_a)
    desk = desk_user("desk-a", branch_a)
    other = make_reader(branch_a, first_name="Борис")
    kiosk = client(server, patron=other.card_number)
    ask(kiosk, kiosk.sip_login_request("sip-a", STATION_PASSWORD), kiosk.sip_login_response)
    ask(kiosk, kiosk.sip_checkout_request(copy.barcode), kiosk.sip_checkout_response)
    hold_place(record=copy.record, reader=reader, pickup_branch=branch_a, by=desk, at=AT)
    renewed = ask(kiosk, kiosk.sip_renew_request(copy.barcode), kiosk.sip_renew_response)
    assert renewed["fixed"]["Ok"] == "0"  # others wait for it
    back = ask(kiosk, kiosk.sip_checkin_request(copy.barcode), kiosk.sip_checkin_response)
    assert back["fixed"]["Alert"] == "Y"
    assert back["variable"]["CV"] == ["01"]
    assert reader.card_number in back["variable"]["AF"][0]
    assert Hold.objects.get(reader=reader).state == HoldState.READY
    kiosk.disconnect()


def test_an_unknown_station_or_wrong_password_is_refused_and_may_try_again(server, branch_a):
    station(branch_a)
    with raw(server) as sock:
        assert exchange(sock, login_bytes("nobody"))[:3] == b"940"
        assert exchange(sock, login_bytes(password="wrong"))[:3] == b"940"
        answer = exchange(
            sock, format_message(Sip2Message("17", "20261118    120000", (("AB", "1"),)))
        )
        assert answer.startswith(b"18") and b"93" in answer  # log in first, it says
        assert exchange(sock, login_bytes())[:3] == b"941"


def test_a_wrong_checksum_garbage_and_a_half_sent_message_leave_the_session_working(
    server, branch_a, copy
):
    station(branch_a)
    with raw(server) as sock:
        assert exchange(sock, login_bytes())[:3] == b"941"
        good = format_message(Sip2Message("17", "20261118    120000", (("AB", copy.barcode),)))
        broken = good[:-5] + (b"0000" if good[-5:-1] != b"0000" else b"1111") + b"\r"
        assert exchange(sock, broken).startswith(b"96")
        assert exchange(sock, b"XX this is no SIP2\r").startswith(b"96")
        assert exchange(sock, b"17\r").startswith(b"96")  # fixed part cut short
        sock.sendall(good[:10])  # the rest comes later, in another packet
        answer = exchange(sock, good[10:])
        assert answer.startswith(b"1803") and TITLE.encode() in answer
        assert exchange(sock, format_message(Sip2Message("97"))) == answer  # resend the last answer


def test_an_endless_message_is_refused_without_closing_the_connection(server, branch_a):
    station(branch_a)
    with raw(server) as sock:
        assert exchange(sock, b"9" * 10_000).startswith(b"96")
        assert exchange(sock, b"\r" + login_bytes()).endswith(b"\r")


def test_connections_beyond_the_limit_are_closed_while_the_others_are_served(server, branch_a):
    station(branch_a)
    held = [raw(server) for _ in range(8)]
    try:
        assert exchange(held[0], login_bytes())[:3] == b"941"
        extra = raw(server)
        extra.settimeout(5)
        assert extra.recv(100) == b""  # refused: closed at once
        extra.close()
        assert exchange(held[7], login_bytes())[:3] == b"941"
    finally:
        for sock in held:
            sock.close()


ROOT = Path(__file__).resolve().parents[3]


def _database_url() -> str:
    """The test database, for a server started as its own process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:  # the parent's pid
            found.append(int(stat.parent.name))
    return found


class _Address:
    def __init__(self, port: int) -> None:
        self.port = port


def test_several_worker_processes_answer_the_stations_and_stop_together(branch_a, reader):
    station(branch_a)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The test settings: the station's password was hashed with the tests' fast hasher.
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    command = [sys.executable, str(ROOT / "manage.py"), "sip2", "--host", "127.0.0.1"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--workers", "2"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120  # Django starts slowly on a loaded machine
        while len(_children(server.pid)) < 2 or not _accepts(port):
            assert server.poll() is None, "polka sip2 stopped at start"
            assert time.monotonic() < deadline, "polka sip2 did not start"
            time.sleep(0.2)
        workers = _children(server.pid)
        time.sleep(0.5)  # the start-up probes' connections are closed and counted out
        # Stations connecting at once are shared out evenly, not as the workers' race falls
        # (left to it, 8 stations split 6 and 2 as often as 4 and 4).
        stations = [socket.create_connection(("127.0.0.1", port)) for _ in range(8)]
        try:
            deadline = time.monotonic() + 30
            while sum(counts := _connections(workers, port)) < 8:
                assert time.monotonic() < deadline, f"not all stations accepted: {counts}"
                time.sleep(0.1)
            assert counts == [4, 4]
        finally:
            for station_socket in stations:
                station_socket.close()
        kiosks = [client(_Address(port), patron=reader.card_number) for _ in range(4)]  # type: ignore[arg-type]
        for kiosk in kiosks:
            login = ask(
                kiosk, kiosk.sip_login_request("sip-a", STATION_PASSWORD), kiosk.sip_login_response
            )
            assert login["fixed"]["Ok"] == "1"
        for kiosk in kiosks:
            info = ask(
                kiosk,
                kiosk.sip_patron_information_request("none"),
                kiosk.sip_patron_information_response,
            )
            assert info["variable"]["AE"] == ["Ёлкина Мария Петровна"]
        server.terminate()
        assert server.wait(30) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)


def _connections(pids: list[int], port: int) -> list[int]:
    """How many established connections to `port` each process holds (from /proc)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # ESTABLISHED
            inodes.add(fields[9])
    counts = []
    for pid in pids:
        held = 0
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with suppress(OSError):
                target = os.readlink(fd)
                held += target.startswith("socket:[") and target[8:-1] in inodes
        counts.append(held)
    return counts


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True
