"""Public page throughput against a ceiling: gunicorn with 2 workers, 16 loopback clients.

Builds (or reuses, --database) the catalogue bench/search_http.py builds: the real files in
../shared/data/marc repeated with new control numbers up to --records. Serves it with gunicorn
(production settings, DEBUG off) plus one extra URL, a minimal Django view with a tiny template
and no database (bench/ceiling_urls.py), and loads, one after another in the same run and the
same server: the ceiling, the home page, record pages (random records) and the search page
(queries drawn from the records' own words; the answer cache off, so every search runs the
engine). The database is read into memory first (SQLite: the file; PostgreSQL: pg_prewarm where
the server has it; the header line says which, with PostgreSQL's shared_buffers), as a server
that has been answering for a while holds it. Any answer but 200 with the page's own marker is
an error. One line per page, last:

    <page> <R> req/s p50 <X> ms p95 <Y> ms ratio <Z>

the ratio being the page's requests/s over the ceiling's.

    .venv/bin/python bench/pages_http.py [--records 1000000] [--database FILE|URL] [--requests 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import platform
import random
import signal
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ comes first on sys.path, where bench/statistics.py would shadow the
# standard library's `statistics` (which Django's SQLite backend imports).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

# What each page's answer must contain to count as served.
MARKERS = {
    "ceiling": b"<p>ceiling</p>",
    "home": b'id="arrivals-title"',
    "record": b'id="record-title"',
    "search": b'class="search-results',
}


def _sibling(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def record_paths(count: int, seed: int = 7) -> list[str]:
    from django.db import connections

    from polka.catalog.models import Record

    low_high = Record.objects.order_by("pk").values_list("pk", flat=True)
    first, last = low_high.first(), low_high.last()
    assert first is not None and last is not None
    rng = random.Random(seed)
    ids = [rng.randint(first, last) for _ in range(count * 2)]
    existing = set(Record.objects.filter(pk__in=ids).values_list("pk", flat=True))
    connections.close_all()
    return [f"/catalog/records/{i}/" for i in ids if i in existing][:count]


def _forget_kept_pages() -> None:
    """A reused database still holds the pages kept by the last run (within their minute):
    they would be served again and flatter this one."""
    from django.db import connection

    from config.settings.env import CACHE_TABLE

    if CACHE_TABLE in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {CACHE_TABLE}")  # noqa: S608 - the project's own table name
    connection.close()


def _warm_database() -> str:
    """Read the catalogue into memory once, as a server that has been answering for a while
    holds it: a freshly booted machine otherwise measures its disk on the first random
    record pages (record 0.30 instead of 0.41 on the same SQLite file, cold against warm).
    Returns what was done, for the report line."""
    from django.db import connection

    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        read = 0
        for path in (name, name.with_name(name.name + "-wal")):
            if path.exists():
                with path.open("rb") as handle:
                    while chunk := handle.read(1 << 20):
                        read += len(chunk)
        connection.close()
        return f"database file read ({read >> 20} MB)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            cursor.execute(
                "SELECT COALESCE(SUM(pg_prewarm(c.oid)), 0) * current_setting('block_size')::int "
                "FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 't', 'm')"
            )
            done = f"pg_prewarm {int(cursor.fetchone()[0]) >> 20} MB"
        except Exception as exc:  # no contrib package or no right to create extensions
            done = f"not prewarmed ({type(exc).__name__})"
    connection.close()
    return f"shared_buffers {buffers}, {done}"


async def load(
    http: ModuleType, port: int, paths: list[str], marker: bytes, clients: int, total: int
) -> tuple[float, list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(total))

    async def client() -> None:
        for n in counter:
            path = paths[n % len(paths)]
            started = time.perf_counter()
            try:
                status, body = await http.fetch(port, path)
            except OSError as exc:
                errors.append(f"{path}: {exc}")
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200 or marker not in body:
                errors.append(f"{path}: HTTP {status}")

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - started, latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument(
        "--database", help="SQLite file, or a PostgreSQL URL (postgres://…), to build or reuse"
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=2000, help="per page")
    args = parser.parse_args()

    http = _sibling("search_http")
    workdir = Path(tempfile.mkdtemp(prefix="polka-bench-pages-"))
    url = http.database_url(args.database or workdir / "bench.sqlite3")
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    queries = http.build_catalogue(url, args.records, False)
    pages = {
        "ceiling": ["/__ceiling__/"],
        "home": ["/"],
        "record": record_paths(500),
        "search": ["/search/?" + urllib.parse.urlencode({"q": q}) for q in queries],
    }
    port = http.free_port()
    _forget_kept_pages()
    warmed = _warm_database()
    server = http.start_server(
        url, workdir, port, args.workers, False, settings="bench.ceiling_settings"
    )
    results = {}
    try:
        for name, paths in pages.items():
            marker = MARKERS[name]
            asyncio.run(load(http, port, paths[:40], marker, args.clients, 80))  # warm up
            results[name] = asyncio.run(
                load(http, port, paths, marker, args.clients, args.requests)
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(
        f"{args.records} records ({http.engine_name(url)}), {args.clients} clients, "
        f"gunicorn {args.workers} "
        f"workers, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {warmed}; "
        f"Python {platform.python_version()} from {sys.base_prefix}"
    )
    ceiling = len(results["ceiling"][1]) / results["ceiling"][0]
    for name, (_seconds, _latencies, errors) in results.items():
        for error in errors[:3]:
            print(f"{name} error: {error} ({len(errors)} errors)")
    for name, (seconds, latencies, _errors) in results.items():
        rate = len(latencies) / seconds
        print(
            f"{name} {rate:.0f} req/s p50 {http.percentile(latencies, 0.5):.0f} ms "
            f"p95 {http.percentile(latencies, 0.95):.0f} ms ratio {rate / ceiling:.2f}"
        )


if __name__ == "__main__":
    main()
