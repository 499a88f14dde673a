"""Protocol figures: SRU searchRetrieve latency (10 MARCXML records a response) and the
OAI-PMH ListRecords harvest rate (marcxml, the whole catalogue, following resumption tokens).

Builds the catalogue as bench/search.py does (the real files of ../shared/data/marc, repeated
up to --records N, reindexed), then answers the requests in-process through the same handlers
the /sru and /oai views call (no HTTP in the figure). The last line is the key figure.

    .venv/bin/python bench/protocols.py [--records 100000] [--queries 300]

Not measured yet: the issue's comparison with Zebra serving the same records over SRU.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

# bench/search.py, beside this script (its folder is first on sys.path).
from search import (
    data_dir,
    direct_load,
    draw_queries,
    import_real_files,
    percentile,
    repeat_records,
)

TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")


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

    queries = [f'cql.anywhere all "{q}"' for q in draw_queries(args.queries)]
    params = {"version": "1.2", "operation": "searchRetrieve", "maximumRecords": "10"}
    for query in queries[:20]:  # warm the caches once
        sru_handle({**params, "query": query}, host="bench", port=80)
    latencies = []
    records = 0
    for query in queries:
        started = time.perf_counter()
        body = sru_handle({**params, "query": query}, host="bench", port=80)
        latencies.append((time.perf_counter() - started) * 1000)
        records += body.count(b"<zs:recordPosition>")
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    print(
        f"SRU searchRetrieve, up to 10 MARCXML records: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        f"over {len(queries)} queries ({records / len(queries):.1f} records a response)"
    )

    started = time.perf_counter()
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
    seconds = time.perf_counter() - started
    rate = harvested / seconds
    print(f"OAI-PMH ListRecords marcxml: {harvested} records in {pages} pages, {seconds:.1f} s")
    print(f"machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if connection.vendor == "sqlite":
        connection.close()
        for path in Path(workdir).glob("bench.sqlite3*"):
            path.unlink()
    print(
        f"protocols on {total} records ({connection.vendor}): SRU p95 {p95:.1f} ms "
        f"(10 MARCXML records), OAI-PMH harvest {rate:.0f} records/s"
    )


if __name__ == "__main__":
    main()
