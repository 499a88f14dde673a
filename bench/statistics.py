# ruff: noqa: E402 - sys.path is mended before the imports (see below)
"""Statistics speed, on SQLite and on PostgreSQL: form 6-НК for a 10-branch network's year and a
branch's diary month, over --facts circulation facts (5,000,000 by default, bulk-inserted,
spread over the year, the branches, the kinds and the ages).

Goals: the network's form <= 2 s, a diary month <= 200 ms (medians of --runs runs). The last
lines are the figures, SQLite first, then PostgreSQL.

    .venv/bin/python bench/statistics.py [--facts 5000000] [--engines sqlite,postgresql]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, where this file would shadow the
# standard library's `statistics` module for everything imported after it.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import argparse
import datetime as dt
import os
import random
import secrets
import shutil
import subprocess
import tempfile
import time

from bench.circulation import start_postgresql

YEAR = 2025
BRANCHES = 10
BATCH = 20_000
KINDS = ("loan", "loan", "loan", "return", "return", "use", "visit", "visit", "renewal")


def build(facts: int) -> list[int]:
    """Ten branches and `facts` facts written in bulk; returns the branch ids."""
    from django.db import connection, transaction

    from polka.circulation.models import Fact
    from polka.org.models import Branch, Network

    network = Network.objects.create(name="Bench")
    branches = [
        Branch.objects.create(network=network, code=f"b{i}", name=f"Филиал {i}")
        for i in range(BRANCHES)
    ]
    ids = [b.pk for b in branches]
    rng = random.Random(18)
    table = connection.ops.quote_name(Fact._meta.db_table)
    columns = (
        'kind, at, "on", branch_id, age_band, age, reader_category, material_type, language, remote'
    )
    marks = ", ".join(["%s"] * 10)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    start = dt.datetime(YEAR, 1, 1, 9, tzinfo=dt.UTC)
    written = 0
    while written < facts:
        rows = []
        for _ in range(min(BATCH, facts - written)):
            at = start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
            age = rng.choice((None, *range(3, 90)))
            band = "" if age is None else "0-14" if age <= 14 else "15-30" if age <= 30 else "31+"
            kind = rng.choice(KINDS)
            rows.append((
                kind, at, at.date(), rng.choice(ids), band, age, "adult",
                rng.choice(("book", "book", "serial", "audio")), rng.choice(("rus", "rus", "eng")),
                kind == "visit" and rng.random() < 0.1,
            ))  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        written += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return ids


def timed(fn: object, runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of this process (on a shared, loaded machine
    the CPU time says what the code costs; for SQLite it includes the database's work)."""
    wall, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()  # type: ignore[operator]
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return sorted(wall)[len(wall) // 2], sorted(cpu)[len(cpu) // 2]


def run_engine(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="polka-bench-stat-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=args.database_url,
        POLKA_VAR_DIR=str(workdir),
        POLKA_SECRET_KEY=secrets.token_urlsafe(40),
        POLKA_SSL_REDIRECT="0",
        POLKA_ALLOWED_HOSTS="127.0.0.1",
    )
    import django

    django.setup()
    from django.core.management import call_command

    from polka.org.models import Branch
    from polka.statistics.rollup import SETTLE, facts_roll_up
    from polka.statistics.selectors import diary_month, form_6nk

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    ids = build(args.facts)
    print(f"{args.engine}: {args.facts} facts written in {time.perf_counter() - began:.0f} s")
    began = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    facts_roll_up(now=now)
    facts_roll_up(now=now + SETTLE)  # what the first report after the settling time does
    print(f"{args.engine}: facts summed ahead in {time.perf_counter() - began:.1f} s")
    branch = Branch.objects.get(pk=ids[0])
    form = form_6nk(year=YEAR, branch=None)
    loans = form.value("502.3")
    form_s = timed(lambda: form_6nk(year=YEAR, branch=None), args.runs)
    diary_s = timed(lambda: diary_month(branch=branch, month=dt.date(YEAR, 6, 1)), args.runs)
    print(
        f"{args.engine}: network 6-НК {form_s[0]:.2f} s, cpu {form_s[1]:.2f} s "
        f"(goal 2 s; {loans} loans and uses)"
    )
    print(
        f"{args.engine}: diary month {diary_s[0] * 1000:.0f} ms, cpu {diary_s[1] * 1000:.0f} ms "
        "(goal 200 ms)"
    )
    shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", help="an empty database to use instead of initdb")
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        run_engine(args)
        return
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
                [sys.executable, __file__, f"--facts={args.facts}", f"--runs={args.runs}",
                 f"--engine={engine}", f"--database-url={url}"],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
        except subprocess.CalledProcessError as failed:
            print(failed.stdout, failed.stderr[-3000:])
            raise
        finally:
            if stop:
                subprocess.run(stop, check=False, stdout=subprocess.DEVNULL)
            shutil.rmtree(workdir, ignore_errors=True)
        figures += [line for line in run.stdout.splitlines() if line.startswith(f"{engine}: ")]
    print(f"facts: {args.facts}; engines in this order: {args.engines}")
    for line in figures:
        print(line.split(": ", 1)[1])


if __name__ == "__main__":
    main()
