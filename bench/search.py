"""Search figures: keyword search latency with facet counts, and the reindex rate.

Builds a catalogue in a fresh database from the real files in ../shared/data/marc (imported
through `polka import`'s catalogue import), repeats those records with new control numbers up
to --records N (copies of the rows, the source bytes included), rebuilds the search index with
`reindex_all` (timed), then runs --queries queries drawn from the records' own title, author
and subject words (a mix of one-, two- and three-word queries) with facet counts and prints
p50/p95 latency, and how close the facets counted on a sample of a long hit list are to exact
counts. The last line is the key figure.

    .venv/bin/python bench/search.py [--records 100000] [--queries 500]
    DATABASE_URL=postgres://… .venv/bin/python bench/search.py   # the PostgreSQL figures
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ comes first on sys.path, where bench/statistics.py would shadow the
# standard library's `statistics` (which Django's SQLite backend imports).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
import statistics  # noqa: E402 - the standard library's, once bench/ is off the path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def data_dir() -> Path:
    """../shared/data/marc beside the checkout, or POLKA_MARC_DATA."""
    from polka.shared_data import marc_data_dir

    return marc_data_dir()


MARC_NAMES = (".mrc", ".marc", ".dat", ".iso", ".xml", ".mrc.gz", ".xml.gz", "sample-marc.gz")


def import_real_files() -> int:
    from django.utils import timezone

    from polka.catalog.importing import catalog_import
    from polka.catalog.models import Record

    for path in _files():
        try:
            catalog_import(paths=[path], at=timezone.now())
        except Exception as exc:  # a file the importer refuses outright is not search's concern
            print(f"  skipped {path.name}: {exc}", file=sys.stderr)
    return Record.objects.count()


def _files() -> list[Path]:
    return [
        path
        for path in sorted(data_dir().rglob("*"))
        if path.is_file() and path.name.lower().endswith(MARC_NAMES)
    ]


def _read_marc(path: Path) -> list[object]:
    """pymarc records of one file, with the README's reading tips for each encoding."""
    import gzip
    import logging
    import warnings

    import pymarc

    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    warnings.simplefilter("ignore")
    logging.getLogger("pymarc").setLevel(logging.CRITICAL)
    if b"<record" in data[:4000] or b"<collection" in data[:4000] or b"<marc:" in data[:4000]:
        try:
            return list(pymarc.parse_xml_to_array(io.BytesIO(data)))  # type: ignore[no-untyped-call]
        except Exception:
            return []
    options: dict[str, object] = {"to_unicode": True, "permissive": True}
    if "1251" in path.name or path.name == "TEST1.ISO":
        options["file_encoding"] = "cp1251"
    else:
        try:
            data.decode("utf-8")
            options["force_utf8"] = True
        except UnicodeDecodeError:
            pass
    return [r for r in pymarc.MARCReader(io.BytesIO(data), **options) if r is not None]  # type: ignore[arg-type]


def _values(record: object, tags: str, codes: str) -> list[str]:
    values = []
    for f in record.get_fields(*tags.split()):  # type: ignore[attr-defined]
        if f.is_control_field():
            continue
        parts = [v for c, v in ((s.code, s.value) for s in f.subfields) if c in codes and v]
        if parts:
            values.append(" ".join(parts).strip(" /:;,."))
    return values


def _first(values: list[str]) -> str:
    return values[0] if values else ""


MARC21_TAGS = {
    "title": ("245", "a"), "remainder": ("245", "b"), "authors": ("100 110 700 710", "a"),
    "subjects": ("600 610 650 651", "axyz"), "years": ("260 264", "c"),
    "isbns": ("020", "a"), "languages": ("041", "a"), "publisher": ("260 264", "b"),
    "annotation": ("520", "a"),
}  # fmt: skip
UNIMARC_TAGS = {
    "title": ("200", "a"), "remainder": ("200", "e"), "authors": ("700 701 702", "ab"),
    "subjects": ("600 606 607", "axyz"), "years": ("210", "d"),
    "isbns": ("010", "a"), "languages": ("101", "a"), "publisher": ("210", "c"),
    "annotation": ("330", "a"),
}  # fmt: skip
YEAR = re.compile(r"1[5-9]\d\d|20[0-2]\d")


def direct_load() -> int:
    """A minimal MARC21/UNIMARC extraction straight into Record rows, for as long as the
    catalogue import cannot run here (its reader or mappings not yet delivered)."""
    from django.db import transaction
    from django.utils import timezone

    from polka.catalog.models import Person, Record, RecordAuthor, person_key

    now = timezone.now()
    people: dict[str, Person] = {}
    for path in _files():
        batch: list[tuple[Record, list[str]]] = []
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            marcs = _read_marc(path)  # pymarc complains aloud about every odd field
        for marc in marcs:
            unimarc = bool(marc.get_fields("200")) and not marc.get_fields("245")  # type: ignore[attr-defined]
            tags = UNIMARC_TAGS if unimarc else MARC21_TAGS
            got = {name: _values(marc, *where) for name, where in tags.items()}
            title, rest = _first(got["title"]), _first(got["remainder"])
            authors, subjects, years = got["authors"], got["subjects"], got["years"]
            isbns, langs = got["isbns"], got["languages"]
            publisher, note = _first(got["publisher"]), _first(got["annotation"])
            if not title:
                continue
            year = next((int(m) for y in years for m in YEAR.findall(y)), None)
            record = Record(
                format="rusmarc" if unimarc else "marc21",
                source=marc.as_marc(),  # type: ignore[attr-defined]
                control_number=_first([f.value() for f in marc.get_fields("001")]),  # type: ignore[attr-defined]
                title=title[:1000], remainder_of_title=rest, year=year, publisher=publisher[:300],
                isbns=[i.split()[0] for i in isbns if i.split()], languages=langs[:3],
                subjects=subjects[:20], annotation=note, created_at=now, updated_at=now,
            )  # fmt: skip
            batch.append((record, authors[:10]))
        with transaction.atomic():
            Record.objects.bulk_create([record for record, _ in batch])
            links = []
            for record, names in batch:
                for position, name in enumerate(names):
                    key = person_key(name)
                    if key not in people:
                        people[key] = Person.objects.create(name=name[:300], key=key)
                    links.append(
                        RecordAuthor(
                            record=record, person=people[key], position=position, year=record.year
                        )
                    )
            RecordAuthor.objects.bulk_create(links)
    return Record.objects.count()


def repeat_records(target: int) -> int:
    """Copy the imported records (with their authors and copies) until there are `target`."""
    from django.db import connection, transaction

    from polka.catalog.models import Item, Record, RecordAuthor

    base_max = Record.objects.order_by("-id").values_list("id", flat=True).first() or 0
    base_count = Record.objects.count()
    if not base_count:
        raise SystemExit("search bench: no records imported")

    def columns(model: type) -> list[str]:
        return [f.column for f in model._meta.concrete_fields if f.column != "id"]  # type: ignore[attr-defined]

    record_cols = columns(Record)
    author_cols = columns(RecordAuthor)
    item_cols = columns(Item)
    copies = 0
    with transaction.atomic(), connection.cursor() as cursor:
        count = base_count  # kept here: counting a growing table each round cost minutes
        while count < target:
            copies += 1
            offset = copies * (base_max + 1)
            room = target - count
            selected = [
                f"control_number || '-r{copies}'" if c == "control_number" else c
                for c in record_cols
            ]
            cursor.execute(
                f"INSERT INTO {Record._meta.db_table} (id, {', '.join(record_cols)}) "  # noqa: S608
                f"SELECT id + {offset}, {', '.join(selected)} FROM {Record._meta.db_table} "
                f"WHERE id <= {base_max} ORDER BY id LIMIT {room}"
            )
            count += cursor.rowcount
            # A row per copied record, found by its key: PostgreSQL ran an `IN (SELECT id …)`
            # here as a scan of the new records for every author row (two minutes a round).
            copied = (
                f"EXISTS (SELECT 1 FROM {Record._meta.db_table} r "  # noqa: S608
                f"WHERE r.id = record_id + {offset})"
            )
            authors = [f"record_id + {offset}" if c == "record_id" else c for c in author_cols]
            cursor.execute(
                f"INSERT INTO {RecordAuthor._meta.db_table} ({', '.join(author_cols)}) "  # noqa: S608
                f"SELECT {', '.join(authors)} FROM {RecordAuthor._meta.db_table} "
                f"WHERE record_id <= {base_max} AND {copied}"
            )
            items = [
                f"record_id + {offset}"
                if c == "record_id"
                else (f"barcode || '-r{copies}'" if c == "barcode" else c)
                for c in item_cols
            ]
            cursor.execute(
                f"INSERT INTO {Item._meta.db_table} ({', '.join(item_cols)}) "  # noqa: S608
                f"SELECT {', '.join(items)} FROM {Item._meta.db_table} "
                f"WHERE record_id <= {base_max} AND {copied}"
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = Record._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT MAX(id) FROM {table}))"
            )
            cursor.execute("ANALYZE")
    return copies


def draw_queries(count: int, seed: int = 5) -> list[str]:
    """Queries made of the records' own words: title words, an author's surname plus a title
    word, subject words; one, two and three words in equal shares."""
    from polka.catalog.models import Record, RecordAuthor
    from polka.search.analysis import STOPWORDS, tokenize

    rng = random.Random(seed)
    rows = list(Record.objects.order_by("id").values_list("id", "title", "subjects")[:20000])
    surnames: dict[int, list[str]] = {}
    for record_id, name in RecordAuthor.objects.filter(
        record_id__in=[r[0] for r in rows]
    ).values_list("record_id", "person__name"):
        words = tokenize(name.split(",")[0])
        if words:
            surnames.setdefault(record_id, []).append(words[0])
    queries: list[str] = []
    while len(queries) < count:
        record_id, title, subjects = rng.choice(rows)
        title_words = [w for w in tokenize(title) if w not in STOPWORDS and len(w) > 2]
        subject_words = [
            w for s in subjects or [] for w in tokenize(s) if len(w) > 2 and w not in STOPWORDS
        ]
        size = len(queries) % 3 + 1
        kind = rng.choice(("title", "author", "subject"))
        if kind == "author" and surnames.get(record_id) and title_words:
            extra = rng.sample(title_words, min(size - 1, len(title_words)))
            words = [surnames[record_id][0], *extra]
        elif kind == "subject" and len(subject_words) >= size:
            start = rng.randrange(len(subject_words) - size + 1)
            words = subject_words[start : start + size]
        elif len(title_words) >= size:
            start = rng.randrange(len(title_words) - size + 1)
            words = title_words[start : start + size]
        else:
            continue
        queries.append(" ".join(words[:size]))
    return queries


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def raw_fts5(queries: list[str]) -> tuple[list[float], list[int]]:
    """The floor under our search on SQLite: the same stems straight into FTS5, nothing else —
    the top 20 by bm25, the count and one facet (author) over every hit. Latencies in ms and
    the totals (to show both sides found the same). The facet is one search_facet keeps rows
    of (documents.TABLE_FACETS): counted on a field it holds no rows of, the look-up would find
    nothing and cost nothing, and the floor would be lower than plain FTS5's."""
    from django.db import connection

    from polka.search.analysis import analyze
    from polka.search.documents import TABLE_FACETS

    assert "author" in TABLE_FACETS, "the floor's facet must be one search_facet holds"
    latencies, totals = [], []
    for round_ in (0, 1):  # the first round warms the caches, as ours were warmed
        for query in queries if round_ else queries[:20]:
            match = " AND ".join('"' + s.replace('"', '""') + '"' for s in analyze(query))
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                    "ORDER BY bm25(search_fts) LIMIT 20",
                    [match],
                )
                cursor.fetchall()
                cursor.execute("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH %s", [match])
                total = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT f.value, COUNT(*) AS n FROM search_facet f "
                    "WHERE f.field = 'author' AND f.record_id IN "
                    "(SELECT rowid FROM search_fts WHERE search_fts MATCH %s) "
                    "GROUP BY f.value ORDER BY n DESC LIMIT 10",
                    [match],
                )
                cursor.fetchall()
            if round_:
                latencies.append((time.perf_counter() - started) * 1000)
                totals.append(int(total))
    return latencies, totals


def facet_accuracy(queries: list[str], shown: int = 5) -> str:
    """How far facets counted on a sample (FACET_SAMPLE, the engine's setting) are from exact
    counts, over the queries with more hits than the sample: how often the `shown` values of
    a facet are the same, and the relative error of their counts."""
    from polka.search.backends import base, get_backend

    backend, sample = get_backend(), base.FACET_SAMPLE

    def facets(query: str) -> tuple[int, dict[str, dict[str, int]]]:
        results = backend.query(base.SearchRequest(text=query, facet_limit=shown))
        counts = {
            name: {f.value: f.count for f in values} for name, values in results.facets.items()
        }
        return results.total, counts

    same, errors, measured = [], [], 0
    for query in queries:
        total, sampled = facets(query)
        if total <= sample:
            continue
        measured += 1
        base.FACET_SAMPLE = total  # every hit counted
        try:
            _total, exact = facets(query)
        finally:
            base.FACET_SAMPLE = sample
        for name, values in exact.items():
            mine = sampled.get(name, {})
            same.append(len(values.keys() & mine.keys()) / len(values))
            errors += [abs(mine[v] - n) / n for v, n in values.items() if v in mine]
    if not errors:
        return f"facets: no query had more than {sample} hits with a value counted both ways"
    return (
        f"facets counted on the first {sample} hits, against exact counts ({measured} queries "
        f"with more hits): the {shown} values shown the same {100 * statistics.mean(same):.1f}% "
        f"of the time; counts off by {100 * statistics.median(errors):.1f}% at the median, "
        f"{100 * percentile(errors, 0.9):.1f}% at p90"
    )


def facet_clicks(queries: list[str]) -> str:
    """A reader narrowing each query by a facet: the query again with its first subject (or
    language, decade, material) value as a filter, as the facet link asks for it."""
    from polka.search.backends import base, get_backend

    backend, latencies = get_backend(), []
    for query in queries:
        facets = backend.query(base.SearchRequest(text=query)).facets
        name = next((n for n in ("subject", "language", "decade", "material") if facets.get(n)), "")
        if not name:
            continue
        request = base.SearchRequest(text=query, filters={name: [facets[name][0].value]})
        started = time.perf_counter()
        backend.query(request)
        latencies.append((time.perf_counter() - started) * 1000)
    if not latencies:
        return "facet clicks: no query had facets"
    return (
        f"facet clicks (the query narrowed by its first facet value, {len(latencies)} queries): "
        f"p50 {percentile(latencies, 0.5):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms"
    )


def years_and_order(queries: list[str]) -> str:
    """A reader narrowing each query to a range of years, or asking for the newest first (on
    the first page and the third): each engine bounds what it ranks or sorts by year there."""
    from polka.search.backends import base, get_backend

    backend = get_backend()
    asked: dict[str, dict[str, Any]] = {
        "the 1990s": {"year_from": 1990, "year_to": 1999},
        "to 1985": {"year_to": 1985},
        "newest first": {"sort": "newest"},
        "newest first, page 3": {"sort": "newest", "page": 3},
    }
    parts = []
    for label, options in asked.items():
        latencies = []
        for query in queries:
            started = time.perf_counter()
            backend.query(base.SearchRequest(text=query, exact_total=False, **options))
            latencies.append((time.perf_counter() - started) * 1000)
        parts.append(
            f"{label} p50 {percentile(latencies, 0.5):.1f} / p95 "
            f"{percentile(latencies, 0.95):.1f} ms"
        )
    return f"years and order ({len(queries)} queries each): " + "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite database file")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="polka-bench-search-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from polka.search.backends import get_backend
    from polka.search.backends.base import SearchRequest
    from polka.search.indexing import reindex_all

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    real, how = import_real_files(), "the catalogue import"
    if not real:
        real, how = direct_load(), "a minimal direct load (the catalogue import failed here)"
    print(
        f"loaded {real} records from {data_dir()} through {how} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    copies = repeat_records(args.records)
    from polka.catalog.models import Item, Record

    total = Record.objects.count()
    print(
        f"catalogue: {total} records = the real ones repeated {copies} more time(s) with new "
        f"control numbers; {Item.objects.count()} copies; engine {get_backend().name}"
    )

    started, cpu = time.perf_counter(), time.process_time()
    indexed = reindex_all()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    reindex_rate = indexed / seconds
    print(
        f"reindex: {indexed} records in {seconds:.1f} s = {reindex_rate:.0f} records/s "
        f"({indexed / cpu:.0f} records per CPU-second; the two differ when the machine is busy)"
    )

    queries = draw_queries(args.queries)
    mix = {n: sum(1 for q in queries if len(q.split()) == n) for n in (1, 2, 3)}
    print(
        f"queries: {len(queries)} ({mix[1]} one-word, {mix[2]} two-word, {mix[3]} three-word)"
        f", e.g. {queries[:6]}"
    )
    backend = get_backend()
    for query in queries[:20]:  # warm the caches once
        backend.query(SearchRequest(text=query))
    latencies, cpu_times, hits = [], [], []
    for query in queries:
        started, cpu = time.perf_counter(), time.process_time()
        results = backend.query(SearchRequest(text=query))
        latencies.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu) * 1000)
        hits.append(results.total)
    p50, p95 = percentile(latencies, 0.50), percentile(latencies, 0.95)
    print(
        f"CPU time per query (SQLite runs in-process; PostgreSQL's share is not counted): "
        f"p50 {percentile(cpu_times, 0.5):.1f} ms, p95 {percentile(cpu_times, 0.95):.1f} ms"
    )
    print(
        f"hits per query: median {statistics.median(hits):.0f}, max {max(hits)}, "
        f"zero-hit queries {sum(1 for h in hits if not h)}"
    )
    print(f"keyword search with facet counts: p50 {p50:.1f} ms, p95 {p95:.1f} ms (wall clock)")
    print(
        f"machine load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(facet_accuracy(queries[:200]))
    print(facet_clicks(queries[:200]))
    print(years_and_order(queries[:200]))
    versus = ""
    if connection.vendor == "sqlite":
        raw, raw_hits = raw_fts5(queries)
        raw_p95 = percentile(raw, 0.95)
        same = sum(1 for ours, theirs in zip(hits, raw_hits, strict=True) if ours >= theirs)
        print(
            f"raw FTS5 (same stems; top 20 + count + the author facet): p50 "
            f"{percentile(raw, 0.5):.1f} ms, p95 {raw_p95:.1f} ms; ours found at least as many "
            f"hits for {same} of {len(queries)} queries"
        )
        versus = f"; {p95 / raw_p95:.2f} x raw FTS5 at p95 (goal <= 3)"
    if not args.keep and connection.vendor == "sqlite":
        connection.close()
        for path in Path(workdir).glob("bench.sqlite3*"):
            path.unlink()
    print(
        f"search on {total} records ({connection.vendor}): p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        f"over {len(queries)} queries with facets{versus}; reindex {reindex_rate:.0f} records/s"
    )


if __name__ == "__main__":
    main()
