"""Protocol figures: SRU searchRetrieve latency (10 MARCXML records a response) and the
OAI-PMH ListRecords harvest rate (marcxml, the whole catalogue, following resumption tokens).

Builds the catalogue as bench/search.py does (the real files of ../shared/data/marc, repeated
up to --records N, reindexed), then answers the requests in-process through the same handlers
the /sru and /oai views call (no HTTP in the figure). The last line is the key figure.

    .venv/bin/python bench/protocols.py [--records 100000] [--queries 300]

When Debian's Zebra is installed (idzebra-2.0 with libidzebra-2.0-mod-dom), the same records
are also indexed by Zebra (its MARCXML example configuration: ICU word indexes, the LoC index
stylesheet) and the same title queries are timed against zebrasrv's SRU over loopback HTTP;
ours are timed through Django's test client (the whole view, no socket).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ comes first on sys.path, where bench/statistics.py would shadow the
# standard library's module (Django's SQLite backend imports it): reach bench/ as a package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# Answered as a production server answers (Zebra runs as one): DEBUG records every query.
os.environ.setdefault("POLKA_DEBUG", "0")

from bench.search import (  # noqa: E402 - after sys.path is mended
    data_dir,
    direct_load,
    draw_queries,
    import_real_files,
    percentile,
    repeat_records,
)

TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")


def title_queries(count: int, seed: int = 7) -> list[str]:
    """`dc.title all "…"` with one or two words of real titles (an index both servers have)."""
    from polka.catalog.models import Record
    from polka.search.analysis import STOPWORDS, tokenize

    rng = random.Random(seed)
    titles = list(Record.objects.order_by("id").values_list("title", flat=True)[:20000])
    queries: list[str] = []
    while len(queries) < count:
        words = [w for w in tokenize(rng.choice(titles)) if len(w) > 2 and w not in STOPWORDS]
        if words:
            size = min(len(words), len(queries) % 2 + 1)
            start = rng.randrange(len(words) - size + 1)
            queries.append(f'dc.title all "{" ".join(words[start : start + size])}"')
    return queries


def zebra_with_catalogue(folder: Path) -> tuple[subprocess.Popen[bytes], int] | None:
    """Zebra with every record (as our MARCXML) indexed, serving SRU; None when not installed."""
    from polka.protocols.models import MarcxmlCache
    from polka.protocols.zebra import MISSING, zebra_installed, zebra_start

    if not zebra_installed():
        print(f"Zebra: {MISSING}")
        return None
    folder.mkdir(parents=True)
    ns = ' xmlns="http://www.loc.gov/MARC21/slim"'
    with (folder / "records.xml").open("w", encoding="utf-8") as out:
        out.write(f"<collection{ns}>\n")
        # Ours as /sru sends them (written by warm_marcxml beforehand).
        for xml in MarcxmlCache.objects.order_by("pk").values_list("xml", flat=True).iterator(2000):
            out.write(xml.replace(ns, "", 1) + "\n")
        out.write("</collection>\n")
    started = time.perf_counter()
    server = zebra_start(folder / "db", folder / "records.xml")
    print(f"Zebra: indexed in {time.perf_counter() - started:.1f} s")
    return server


def zebra_latencies(port: int, queries: list[str]) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies = []
    for round_ in (0, 1):  # the first round warms Zebra's caches, as ours were warmed
        for query in queries if round_ else queries[:20]:
            params = urllib.parse.urlencode(
                {"version": "1.2", "operation": "searchRetrieve", "query": query,
                 "maximumRecords": "10", "recordSchema": "marcxml"}
            )  # fmt: skip
            started = time.perf_counter()
            connection.request("GET", f"/Default?{params}")
            connection.getresponse().read()
            if round_:
                latencies.append((time.perf_counter() - started) * 1000)
    connection.close()
    return latencies


def client_latencies(queries: list[str]) -> list[float]:
    from django.test import Client

    client = Client()
    latencies = []
    cpu = 0.0
    for round_ in (0, 1):
        for query in queries if round_ else queries[:20]:
            params = {"version": "1.2", "operation": "searchRetrieve", "query": query,
                      "maximumRecords": "10", "recordSchema": "marcxml"}  # fmt: skip
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get("/sru", params, HTTP_HOST="localhost")
            assert response.status_code == 200, response.status_code
            if round_:
                latencies.append((time.perf_counter() - started) * 1000)
                cpu += time.process_time() - cpu_started
    print(f"Polka /sru title queries: {cpu * 1000 / len(queries):.1f} ms CPU a query on average")
    return latencies


def warm_marcxml() -> None:
    """Write every record's MARCXML as an import does (the catalogue's indexer hook): the
    bench's catalogue is copied in bulk, past that hook."""
    from polka.catalog.models import Record
    from polka.protocols.records import marcxml_refresh

    wall, cpu = time.perf_counter(), time.process_time()
    ids = list(Record.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        marcxml_refresh(ids[start : start + 5000])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"MARCXML written for {len(ids)} records (as at import): {wall:.1f} s wall, "
        f"{cpu:.1f} s CPU ({len(ids) / wall:.0f} records/s)"
    )


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="polka-bench-protocols-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from polka.catalog.models import Record
    from polka.protocols.handlers import oai_handle, sru_handle
    from polka.search.indexing import reindex_all

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    real = import_real_files() or direct_load()
    repeat_records(args.records)
    reindex_all()
    total = Record.objects.count()
    print(f"catalogue: {total} records ({real} real ones from {data_dir()}, repeated)")
    warm_marcxml()

    queries = [f'cql.anywhere all "{q}"' for q in draw_queries(args.queries)]
    params = {"version": "1.2", "operation": "searchRetrieve", "maximumRecords": "10"}
    for query in queries[:20]:  # warm the caches once
        sru_handle({**params, "query": query}, host="bench", port=80)
    latencies, cpus = [], []
    records = 0
    for query in queries:
        started, cpu = time.perf_counter(), time.process_time()
        body = sru_handle({**params, "query": query}, host="bench", port=80)
        latencies.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        records += body.count(b"<zs:recordPosition>")
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    print(
        f"SRU searchRetrieve, up to 10 MARCXML records: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        f"wall (CPU p50 {percentile(cpus, 0.5):.1f}, p95 {percentile(cpus, 0.95):.1f} ms) "
        f"over {len(queries)} queries ({records / len(queries):.1f} records a response); {load()}"
    )

    zebra_p95 = ours_p95 = None
    zebra = zebra_with_catalogue(Path(workdir) / "zebra")
    if zebra is not None:
        server, port = zebra
        try:
            titles = title_queries(args.queries)
            ours = client_latencies(titles)
            theirs = zebra_latencies(port, titles)
        finally:
            server.terminate()
            server.wait()
        zebra_p95, ours_p95 = percentile(theirs, 0.95), percentile(ours, 0.95)
        print(
            f"title queries, 10 MARCXML records: Polka /sru p50 {percentile(ours, 0.5):.1f} ms, "
            f"p95 {percentile(ours, 0.95):.1f} ms; Zebra p50 {percentile(theirs, 0.5):.1f} ms, "
            f"p95 {zebra_p95:.1f} ms (wall, both); {load()}"
        )
        shutil.rmtree(Path(workdir) / "zebra", ignore_errors=True)

    started, cpu_started = time.perf_counter(), time.process_time()
    harvested, pages = 0, 0
    request: dict[str, list[str]] = {"verb": ["ListRecords"], "metadataPrefix": ["marcxml"]}
    while True:
        body = oai_handle(request, base_url="http://bench/oai", now=timezone.now())
        pages += 1
        harvested += body.count(b"<record><header")
        found = TOKEN.search(body)
        if not found:
            break
        request = {"verb": ["ListRecords"], "resumptionToken": [found.group(1).decode()]}
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rate = harvested / seconds
    print(
        f"OAI-PMH ListRecords marcxml: {harvested} records in {pages} pages, {seconds:.1f} s "
        f"wall ({rate:.0f} records/s), {cpu:.1f} s CPU ({harvested / cpu:.0f} records/s); {load()}"
    )
    print(f"machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if connection.vendor == "sqlite":
        connection.close()
        for path in Path(workdir).glob("bench.sqlite3*"):
            path.unlink()
    zebra_figure = (
        f"; title queries p95 {ours_p95:.1f} ms vs Zebra-over-SRU {zebra_p95:.1f} ms"
        if zebra_p95 is not None and ours_p95 is not None
        else ""
    )
    print(
        f"protocols on {total} records ({connection.vendor}): SRU p95 {p95:.1f} ms "
        f"(10 MARCXML records){zebra_figure}; OAI-PMH harvest {rate:.0f} records/s"
    )


if __name__ == "__main__":
    main()
