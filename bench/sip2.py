"""SIP2 speed: the checkout round trip (11 → 12) of 8 self-service stations lending at once
against `polka sip2`, on SQLite (or --database-url), goal p95 <= 50 ms with no refusal.

The database is filled as bench/circulation.py fills it (--copies copies, --readers readers,
--loans active loans, written in bulk); `polka sip2` runs as its own process with production
settings; each station is a thread with its own TCP connection that logs in and then checks
out --checkouts copies for readers drawn at random, timing each request until its whole answer
is back. The last line is the figure.

    .venv/bin/python bench/sip2.py [--copies 1000000 --readers 100000 --loans 200000]
    .venv/bin/python bench/sip2.py --scale 0.1
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ comes first on sys.path, where bench/statistics.py would shadow the
# standard library's module: reach bench/ as a package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.circulation import build, free_port, percentile  # noqa: E402

STATIONS = 8
STATION_PASSWORD = secrets.token_urlsafe(16)


def request(sock: socket.socket, data: bytes) -> bytes:
    sock.sendall(data)
    answer = b""
    while not answer.endswith(b"\r"):
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("the SIP2 server closed the connection")
        answer += chunk
    return answer


def station_run(
    port: int,
    jobs: list[tuple[str, str]],
    times: list[float],
    refused: list[bytes],
    ready: threading.Barrier,
) -> None:
    from polka.interop.sip2 import Sip2Message, format_message

    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        login = Sip2Message("93", "00", (("CN", "bench-sip"), ("CO", STATION_PASSWORD)), 0)
        if not request(sock, format_message(login)).startswith(b"941"):
            raise SystemExit("the bench station could not log in")
        # Every station logs in (a password hash each) before any lends, so the server's CPU
        # time for the checkouts alone can be read between the two.
        ready.wait()
        for n, (card, barcode) in enumerate(jobs):
            fixed = "NN" + time.strftime("%Y%m%d    %H%M%S") + " " * 18
            fields = (("AO", "b0"), ("AA", card), ("AB", barcode), ("AC", ""))
            data = format_message(Sip2Message("11", fixed, fields, n % 10))
            started = time.perf_counter()
            answer = request(sock, data)
            times.append((time.perf_counter() - started) * 1000)
            if not answer.startswith(b"121"):
                refused.append(answer)


def process_cpu(pid: int) -> float:
    """User and system CPU seconds a process and its children (the forked workers) have used
    so far (Linux /proc)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or int(fields[1]) == pid:  # fields[1]: the parent
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180  # Django starts slowly on a loaded machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("polka sip2 stopped at start")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("polka sip2 did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1_000_000)
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--loans", type=int, default=200_000)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the three sizes")
    parser.add_argument("--checkouts", type=int, default=50, help="per station")
    parser.add_argument("--stations", type=int, default=STATIONS)
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="polka-bench-sip2-"))
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        POLKA_VAR_DIR=str(workdir),
        POLKA_SECRET_KEY=secrets.token_urlsafe(40),
        POLKA_SSL_REDIRECT="0",
        POLKA_ALLOWED_HOSTS="127.0.0.1",
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from polka.protocols.services import sip2_station_create
    from polka.readers.models import Reader

    call_command("migrate", verbosity=0)
    data: dict[str, Any] = build(
        int(args.copies * args.scale), int(args.readers * args.scale), int(args.loans * args.scale)
    )
    sip2_station_create(
        username="bench-sip", password=STATION_PASSWORD, branch=data["branches"][0],
        at=timezone.now(),
    )  # fmt: skip
    cards = list(
        Reader.objects.filter(pk__in=data["readers"]).values_list("card_number", flat=True)
    )
    free: list[str] = data["free"]
    need = args.stations * args.checkouts
    if len(free) < need:
        raise SystemExit(f"only {len(free)} free copies for {need} checkouts: raise --copies")
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "polka"), "sip2", "--host", "127.0.0.1", "--port",
         str(port)],
        env=env, cwd=ROOT, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    times: list[float] = []
    refused: list[bytes] = []
    server_cpu = 0.0
    ready = threading.Barrier(args.stations + 1, timeout=300)
    try:
        wait_for(port, server)
        threads = [
            threading.Thread(
                target=station_run,
                args=(
                    port,
                    [
                        (cards[(s * args.checkouts + n) % len(cards)], free[s * args.checkouts + n])
                        for n in range(args.checkouts)
                    ],
                    times,
                    refused,
                    ready,
                ),
            )
            for s in range(args.stations)
        ]
        for thread in threads:
            thread.start()
        ready.wait()
        server_cpu = -process_cpu(server.pid)
        for thread in threads:
            thread.join()
        server_cpu += process_cpu(server.pid)
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)
    if refused:
        print(f"refused: {len(refused)}, e.g. {refused[0][:200]!r}")
    print(
        f"{len(times)} checkouts, median {percentile(times, 0.5):.1f} ms; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    if times:
        print(
            f"polka sip2 used {server_cpu:.1f} s CPU for the checkouts (start-up and logins "
            f"left out), {server_cpu * 1000 / len(times):.1f} ms a checkout"
        )
    p95 = percentile(times, 0.95)
    print(f"SIP2 checkout round trip, {args.stations} stations at once: p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
