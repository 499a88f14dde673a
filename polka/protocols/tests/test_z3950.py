"""`polka z3950`: Debian's simple2zoom gateway in front of /sru, searched with yaz-client over
Z39.50 (Bib-1 attributes, USMARC and MARCXML records)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from polka.catalog.models import Record
from polka.protocols.tests.conftest import need_program, run_client

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def gateway(live_server, tmp_path) -> Iterator[int]:
    need_program("simple2zoom", "libnet-z3950-simple2zoom-perl")
    port = free_port()
    env = {**os.environ, "POLKA_VAR_DIR": str(tmp_path)}
    output = tmp_path / "z3950.out"
    with output.open("w") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "polka"), "z3950", "--host", "127.0.0.1",
             "--port", str(port), "--sru-url", f"{live_server.url}/sru",
             "--log", str(tmp_path / "z3950.log")],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    # Starting Django and the Perl gateway takes seconds; on a loaded CI machine, many more.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail(f"polka z3950 did not start listening:\n{output.read_text()[-2000:]}")
    yield port
    process.terminate()
    process.wait(timeout=60)  # the gateway and its Perl child stop slowly on a loaded machine


def test_yaz_client_searches_over_z3950_and_gets_usmarc_and_marcxml(gateway, catalogue):
    yaz = need_program("yaz-client", "yaz")
    out = run_client(
        yaz,
        f"open tcp:127.0.0.1:{gateway}/polka\n"
        "find @attr 1=4 земной\n"
        "format usmarc\n"
        "show 1\n"
        "format xml\n"
        "show 1\n"
        "find @and @attr 1=1003 поволяев @attr 1=7 5-268-00066-7\n"
        "find @attr 1=4 @attr 5=1 земн\n"
        "quit\n",
    )
    assert out.count("Number of hits: 1") == 3, out
    assert "245 10 $a Вдоль земного шара" in out  # USMARC, converted from our MARCXML
    assert '<record xmlns="http://www.loc.gov/MARC21/slim">' in out


def test_rusmarc_records_come_as_rusmarc_over_z3950(gateway, catalogue):
    yaz = need_program("yaz-client", "yaz")
    rusmarc = Record.objects.filter(format="rusmarc").order_by("pk").first()
    assert rusmarc is not None
    out = run_client(
        yaz,
        f"open tcp:127.0.0.1:{gateway}/polka\n"
        f"find @attr 1=12 {rusmarc.pk}\n"
        "format rusmarc\n"
        "show 1\n"
        "format unimarc\n"
        "show 1\n"
        "quit\n",
    )
    assert "Number of hits: 1" in out, out
    title = rusmarc.title.split()[0]
    # RUSMARC tags (200 title), not MARC21's 245, in both record syntaxes.
    assert out.count("200 ") >= 2 and "245 " not in out, out
    assert title in out, out
