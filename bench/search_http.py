"""Public search page throughput: gunicorn with 2 workers, 16 concurrent clients on loopback.

Builds the same catalogue as bench/search.py (the real files in ../shared/data/marc repeated
with new control numbers up to --records; reused from --database when that file already holds
it), serves it with gunicorn (production settings, DEBUG off, static files collected), and sends
--requests GETs of /search/?q=… from --clients concurrent clients (an asyncio load generator in
this process), the queries drawn from the records' own title, author and subject words as
bench/search.py draws them, cycling through the 500 (so after the first round answers come from
the query result cache, polka/search/cache.py, as repeated searches do in a library; --no-cache
measures the engine on every request). Any answer but 200 with the results list is an error.
The last line is the key figure.

    .venv/bin/python bench/search_http.py [--records 1000000] [--database FILE|URL] [--reindex]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import secrets
import signal
import socket
import subprocess
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


def _bench_search() -> ModuleType:
    """bench/search.py as a module: its catalogue builder and query drawer."""
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def database_url(database: Path | str) -> str:
    """--database as Django's DATABASE_URL: an SQLite file, or a URL as it is (postgres://…)."""
    text = str(database)
    return text if "://" in text else f"sqlite:///{Path(text).resolve()}"


def engine_name(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def build_catalogue(url: str, records: int, reindex: bool) -> list[str]:
    """Make sure the database at `url` holds `records` records with a search index; return
    the queries."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    from polka.catalog.models import Record
    from polka.search.indexing import reindex_all
    from polka.search.models import SearchDocument

    bench = _bench_search()
    call_command("migrate", verbosity=0)
    if Record.objects.count() < records:
        started = time.perf_counter()
        if not bench.import_real_files():
            bench.direct_load()
        bench.repeat_records(records)
        print(f"built {Record.objects.count()} records in {time.perf_counter() - started:.0f} s")
    if reindex or SearchDocument.objects.count() != Record.objects.count():
        started = time.perf_counter()
        reindex_all()
        print(f"indexed in {time.perf_counter() - started:.0f} s")
    queries: list[str] = bench.draw_queries(500)
    from django.db import connections

    connections.close_all()
    return queries


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    url: str,
    workdir: Path,
    port: int,
    workers: int,
    cache: bool,
    settings: str = "config.settings.production",
) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE=settings,
        DATABASE_URL=url,
        POLKA_VAR_DIR=str(workdir),
        POLKA_SECRET_KEY=secrets.token_urlsafe(40),
        POLKA_SSL_REDIRECT="0",
        PYTHONPATH=str(ROOT),
        POLKA_SEARCH_CACHE_SECONDS="300" if cache else "0",
    )
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "polka"), "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    # The server's settings keep their cache in the database (production's default); the
    # catalogue was built under other settings, which made no table for it.
    subprocess.run([str(bin_dir / "polka"), "createcachetable"], env=env, check=True)
    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start within 30 s")


async def fetch(port: int, path: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        "Accept-Encoding: identity\r\n\r\n".encode()
    )
    await writer.drain()
    data = await reader.read()
    writer.close()
    status_line = data.split(b"\r\n", 1)[0].split()
    status = int(status_line[1]) if len(status_line) > 1 else 0
    return status, data


async def load(
    port: int, paths: list[str], clients: int, total: int
) -> tuple[float, list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(total))

    async def client() -> None:
        for n in counter:
            path = paths[n % len(paths)]
            started = time.perf_counter()
            try:
                status, body = await fetch(port, path)
            except OSError as exc:
                errors.append(f"{path}: {exc}")
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200 or b'class="search-results' not in body:
                errors.append(f"{path}: HTTP {status}")

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - started, latencies, errors


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument(
        "--database", help="SQLite file, or a PostgreSQL URL (postgres://…), to build or reuse"
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--reindex", action="store_true", help="rebuild a reused database's index")
    parser.add_argument(
        "--no-cache", action="store_true", help="every request runs the engine (no answer cache)"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="polka-bench-http-"))
    url = database_url(args.database or workdir / "bench.sqlite3")
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    queries = build_catalogue(url, args.records, args.reindex)
    paths = ["/search/?" + urllib.parse.urlencode({"q": q}) for q in queries]
    print(f"queries: {len(queries)} drawn from the records' own words, e.g. {queries[:5]}")

    port = free_port()
    server = start_server(url, workdir, port, args.workers, not args.no_cache)
    try:
        # Warm both workers (first imports, template loading, SQLite page cache).
        asyncio.run(load(port, paths[:40], args.clients, 80))
        seconds, latencies, errors = asyncio.run(load(port, paths, args.clients, args.requests))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    rate = len(latencies) / seconds
    print(
        f"{len(latencies)} answers in {seconds:.1f} s; latency p50 {percentile(latencies, 0.5):.0f}"
        f" ms, p95 {percentile(latencies, 0.95):.0f} ms; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    for error in errors[:5]:
        print(f"error: {error}")
    print(
        f"search page on {args.records} records ({engine_name(url)}): {rate:.0f} requests/s, "
        f"{args.clients} clients, gunicorn {args.workers} workers, {len(errors)} errors, "
        f"answer cache {'off' if args.no_cache else 'on'}"
    )


if __name__ == "__main__":
    main()
