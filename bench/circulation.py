"""Circulation speed, on SQLite and on PostgreSQL: the lend and return service calls, the desk's
"scan a copy" HTTP round trip, 16 desks scanning at once against gunicorn (2 workers), and the
nightly notices run over the active loans.

Each engine gets a fresh database (SQLite in a temporary folder; PostgreSQL in a throwaway
cluster made with initdb, or --postgres-url) with --copies copies of --copies/10 records,
--readers readers and --loans active loans (due dates spread over two months, so about half are
overdue), written in bulk. Goals: lend and return p95 <= 10 ms, desk scan p95 <= 50 ms, 16
desks p95 <= 150 ms with no error, notices run <= 60 s. The last lines are the figures, SQLite
first, then PostgreSQL.

    .venv/bin/python bench/circulation.py [--copies 1000000 --readers 100000 --loans 200000]
    .venv/bin/python bench/circulation.py --scale 0.1      # a tenth of everything
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import glob
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path, where bench/statistics.py would
# shadow the standard library's `statistics` (which Django's SQLite backend imports).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
BATCH = 5000
SERVICE_CALLS = 400
HTTP_SCANS = 300
DESKS = 16
DESK_SCANS = 40  # per desk: 20 lends and 20 returns
PASSWORD = "bench-password-" + "x" * 10


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the data ----------------------------------------------------------------------------


def build(copies: int, readers: int, loans: int) -> dict[str, Any]:
    """Fill the (migrated, empty) database; returns what the measurements need."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from polka.catalog.models import Item, ItemStatus, Record
    from polka.circulation.models import Loan, LoanRule, LoanState
    from polka.org import services as org
    from polka.readers.models import Reader

    now = timezone.now()
    every_day = {wd: (dt.time(0, 0), dt.time(23, 59)) for wd in range(7)}
    network = org.network_create(name="Бенч", at=now)
    branches = []
    for n in range(5):
        branch = org.branch_create(
            network=network, code=f"b{n}", name=f"Библиотека {n}", kind="branch", at=now
        )
        org.opening_hours_set(branch=branch, week=every_day, by=None, at=now)
        branches.append(branch)
    # A limit no bench reader reaches: the figures are about speed, not refusals.
    LoanRule.objects.create(max_loans=10_000, max_holds=100)
    desk, _ = org.staff_user_create(
        username="bench-desk", password=PASSWORD, roles={"desk": "all"}, at=now
    )
    started = time.perf_counter()
    records = max(1, copies // 10)
    for start in range(0, records, BATCH):
        Record.objects.bulk_create(
            Record(format="marc21", source=b"", title=f"Книга {n}", languages=["rus"],
                   created_at=now, updated_at=now)
            for n in range(start, min(records, start + BATCH))
        )  # fmt: skip
    first_record = Record.objects.order_by("pk").values_list("pk", flat=True)[0]
    for start in range(0, copies, BATCH):
        Item.objects.bulk_create(
            Item(record_id=first_record + n // 10, branch=branches[n % 5], barcode=f"{n:09d}",
                 status=ItemStatus.AVAILABLE)
            for n in range(start, min(copies, start + BATCH))
        )  # fmt: skip
    for start in range(0, readers, BATCH):
        Reader.objects.bulk_create(
            Reader(card_number=f"R{n:08d}", last_name=f"Читатель{n}", first_name="Бенч",
                   birth_date=dt.date(1960 + n % 50, 1 + n % 12, 1 + n % 28),
                   email=f"r{n}@bench.example", category_id="adult",
                   home_branch=branches[n % 5], registered_at=now)
            for n in range(start, min(readers, start + BATCH))
        )  # fmt: skip
    item_ids = list(Item.objects.order_by("pk").values_list("pk", "branch_id")[:loans])
    reader_ids = list(Reader.objects.order_by("pk").values_list("pk", flat=True))
    today = timezone.localdate(now)
    for start in range(0, len(item_ids), BATCH):
        rows = []
        for n in range(start, min(len(item_ids), start + BATCH)):
            lent_on = today - dt.timedelta(days=n % 60)
            item_id, branch_id = item_ids[n]
            rows.append(
                Loan(item_id=item_id, reader_id=reader_ids[n % len(reader_ids)],
                     branch_id=branch_id, state=LoanState.ACTIVE,
                     lent_at=now - dt.timedelta(days=n % 60),
                     due_on=lent_on + dt.timedelta(days=30))
            )  # fmt: skip
        Loan.objects.bulk_create(rows)
        Item.objects.filter(pk__in=[i for i, _ in item_ids[start : start + BATCH]]).update(
            status=ItemStatus.ON_LOAN
        )
    print(
        f"built {copies} copies, {readers} readers, {loans} loans in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    free = list(
        Item.objects.filter(status=ItemStatus.AVAILABLE)
        .order_by("?" if copies <= 100_000 else "pk")
        .values_list("barcode", flat=True)[: SERVICE_CALLS + HTTP_SCANS + DESKS * DESK_SCANS]
    )
    random.Random(14).shuffle(free)
    return {
        "desk": get_user_model().objects.get(pk=desk.pk),
        "branches": branches,
        "free": free,
        "readers": random.Random(15).sample(reader_ids, min(len(reader_ids), 2000)),
    }


# --- service calls -----------------------------------------------------------------------


def services_p95(data: dict[str, Any]) -> tuple[float, float]:
    """Wall-clock p95 of each call; this process's CPU time p95 is printed too, the figure that
    other processes' load on a shared machine does not inflate."""
    from django.utils import timezone

    from polka.circulation import services
    from polka.readers.models import Reader

    branch = data["branches"][0]
    readers = list(Reader.objects.filter(pk__in=data["readers"][:SERVICE_CALLS]))
    barcodes = data["free"][:SERVICE_CALLS]
    lend: list[float] = []
    lend_cpu: list[float] = []
    for n, barcode in enumerate(barcodes):
        started, cpu = time.perf_counter(), time.process_time()
        services.loan_checkout(
            barcode=barcode, reader=readers[n % len(readers)], branch=branch,
            by=data["desk"], at=timezone.now(),
        )  # fmt: skip
        lend.append((time.perf_counter() - started) * 1000)
        lend_cpu.append((time.process_time() - cpu) * 1000)
    back: list[float] = []
    back_cpu: list[float] = []
    for barcode in barcodes:
        started, cpu = time.perf_counter(), time.process_time()
        services.loan_checkin(barcode=barcode, branch=branch, by=data["desk"], at=timezone.now())
        back.append((time.perf_counter() - started) * 1000)
        back_cpu.append((time.process_time() - cpu) * 1000)
    print(
        f"service cpu time p95: lend {percentile(lend_cpu[20:], 0.95):.1f} ms, "
        f"return {percentile(back_cpu[20:], 0.95):.1f} ms; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        flush=True,
    )
    return percentile(lend[20:], 0.95), percentile(back[20:], 0.95)


# --- HTTP --------------------------------------------------------------------------------


def session_cookie(user: Any) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return str(store.session_key)


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "polka"), "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "config.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start within 30 s")


async def post(port: int, path: str, form: str, cookies: str, csrf: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = form.encode()
    writer.write(
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"Cookie: {cookies}\r\nX-CSRFToken: {csrf}\r\nHX-Request: true\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        + body
    )
    await writer.drain()
    data = await reader.read()
    writer.close()
    line = data.split(b"\r\n", 1)[0].split()
    return (int(line[1]) if len(line) > 1 else 0), data


async def desk_session(
    port: int, cookies: str, csrf: str, scans: list[tuple[str, str]], latencies: list[float],
    errors: list[str],
) -> None:  # fmt: skip
    for path, form in scans:
        started = time.perf_counter()
        try:
            status, body = await post(port, path, form, cookies, csrf)
        except OSError as exc:
            errors.append(str(exc))
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200 or b"desk-ok" not in body:
            errors.append(f"{path} {form}: HTTP {status} {body[-300:]!r}")


def scans_for(barcodes: list[str], readers: list[int], branch: str) -> list[tuple[str, str]]:
    """Lend each copy, then take it back: what a desk does all day."""
    scans = []
    for n, barcode in enumerate(barcodes):
        reader = readers[n % len(readers)]
        scans.append(
            ("/circulation/desk/checkout/", f"reader={reader}&barcode={barcode}&branch={branch}")
        )
    for barcode in barcodes:
        scans.append(("/circulation/desk/checkin/", f"barcode={barcode}&branch={branch}"))
    return scans


def workers_cpu(master: int) -> float:
    """CPU seconds used so far by the children of process `master` (gunicorn's workers)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # fields[1] is the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


def http_figures(data: dict[str, Any], env: dict[str, str]) -> tuple[float, float, int]:
    from django.db import connections

    csrf = secrets.token_hex(16)
    cookies = f"sessionid={session_cookie(data['desk'])}; csrftoken={csrf}"
    branch = data["branches"][0].code
    free = data["free"][SERVICE_CALLS:]
    readers = data["readers"]
    connections.close_all()
    port = free_port()
    server = start_server(env, port)
    try:
        single: list[float] = []
        errors: list[str] = []
        one = scans_for(free[: HTTP_SCANS // 2], readers, branch)
        asyncio.run(desk_session(port, cookies, csrf, one[:6], [], []))  # warm both workers
        asyncio.run(desk_session(port, cookies, csrf, one[6:], single, errors))
        free = free[HTTP_SCANS // 2 :]
        many: list[float] = []
        half = DESK_SCANS // 2
        sessions = [
            scans_for(free[d * half : (d + 1) * half], readers[d::DESKS], branch)
            for d in range(DESKS)
        ]

        async def all_desks() -> None:
            await asyncio.gather(
                *(desk_session(port, cookies, csrf, s, many, errors) for s in sessions)
            )

        server_cpu, client_cpu = workers_cpu(server.pid), time.process_time()
        asyncio.run(all_desks())
        server_cpu = workers_cpu(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        scans = len(many)
        print(
            f"16 desks: {scans} scans, gunicorn workers' CPU {server_cpu * 1000 / scans:.1f}"
            f" ms a scan, this client's {client_cpu * 1000 / scans:.1f} ms; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
            flush=True,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    for error in errors[:3]:
        print(f"error: {error}")
    return percentile(single, 0.95), percentile(many, 0.95), len(errors)


def notices_seconds() -> float:
    from django.utils import timezone

    from polka.notices.services import notices_run

    started = time.perf_counter()
    report = notices_run(now=timezone.now())
    seconds = time.perf_counter() - started
    print(f"notices: queued {report.queued}, sent {report.sent}", flush=True)
    return seconds


# --- one engine per process --------------------------------------------------------------


def run_engine(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="polka-bench-circ-"))
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=args.database_url,
        POLKA_VAR_DIR=str(workdir),
        POLKA_SECRET_KEY=secrets.token_urlsafe(40),
        POLKA_SSL_REDIRECT="0",
        POLKA_ALLOWED_HOSTS="127.0.0.1",
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    data = build(args.copies, args.readers, args.loans)
    # The bench's own million barcodes are no part of what a server process holds: kept out
    # of the garbage collector's full passes, which would otherwise land on timed calls.
    gc.collect()
    gc.freeze()
    lend, back = services_p95(data)
    scan, desks, errors = http_figures(data, env)
    notices = notices_seconds()
    engine = args.engine
    print(f"{engine}: lend p95 {lend:.1f} ms")
    print(f"{engine}: return p95 {back:.1f} ms")
    print(f"{engine}: desk scan http p95 {scan:.1f} ms")
    print(f"{engine}: 16 desks p95 {desks:.1f} ms errors {errors}")
    print(f"{engine}: notices run {notices:.1f} s")
    shutil.rmtree(workdir, ignore_errors=True)


def start_postgresql(workdir: Path) -> tuple[str, list[str]]:
    """A throwaway cluster as scripts/test.sh makes one; returns its URL and the stop command."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not found:
        raise SystemExit("PostgreSQL is not installed (Debian package: postgresql)")
    bindir = found[-1]
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data = workdir / "data"
    workdir.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
    subprocess.run(
        [*as_pg, f"{bindir}/initdb", "-D", str(data), "-A", "trust", "-U", "postgres",
         "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    port = free_port()
    subprocess.run(
        [*as_pg, f"{bindir}/pg_ctl", "-D", str(data), "-l", str(workdir / "log"), "-w", "start",
         "-o", f"-h 127.0.0.1 -p {port} -k {workdir} -c fsync=off -c synchronous_commit=off"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    stop = [*as_pg, f"{bindir}/pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"]
    return f"postgres://postgres@127.0.0.1:{port}/postgres", stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1_000_000)
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--loans", type=int, default=200_000)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the three sizes")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", help="an empty database to use instead of initdb")
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        run_engine(args)
        return
    sizes = [
        f"--copies={int(args.copies * args.scale)}",
        f"--readers={int(args.readers * args.scale)}",
        f"--loans={int(args.loans * args.scale)}",
    ]
    figures: list[str] = []
    for engine in args.engines.split(","):
        workdir = Path(tempfile.mkdtemp(prefix=f"polka-bench-{engine}-"))
        stop: list[str] = []
        if engine == "sqlite":
            url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        elif args.postgres_url:
            url = args.postgres_url
        else:
            url, stop = start_postgresql(workdir)
        try:
            run = subprocess.run(
                [sys.executable, __file__, *sizes, f"--engine={engine}", f"--database-url={url}"],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
        except subprocess.CalledProcessError as failed:
            print(failed.stdout, failed.stderr[-3000:])
            raise
        finally:
            if stop:
                subprocess.run(stop, check=False, stdout=subprocess.DEVNULL)
            shutil.rmtree(workdir, ignore_errors=True)
        lines = run.stdout.splitlines()
        print("\n".join(line for line in lines if not line.startswith(f"{engine}: ")))
        figures += [line for line in lines if line.startswith(f"{engine}: ")]
    print(f"sizes: {' '.join(sizes)}; engines in this order: {args.engines}")
    for line in figures:
        print(line.split(": ", 1)[1])


if __name__ == "__main__":
    main()
