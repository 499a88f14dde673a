"""Import speed against pymarc: a full `polka import` of the ISO 2709 files in ../shared/data/marc
(parse + map + store + index) into a fresh, migrated SQLite database in a temporary folder, and
pymarc's raw parse rate on the same files (at most PYMARC_LIMIT records of them; the best of two
passes before the import and one after). Last line: the ratio of their wall-clock rates (a large
import reads ahead in a second process, as `polka import` does; --read-ahead off for one
process). The line before: the same ratio per CPU-second of every process each used.

    .venv/bin/python bench/import.py                    # the real files, once
    .venv/bin/python bench/import.py --records 1000000  # the real files repeated, see below

With --records N the real records are repeated with new control numbers (001) until there
are N of them, written to a temporary ISO 2709 file, and imported in one run; the peak
resident memory of the process is reported. Goals (issue 20): ratio >= 0.8 on the real files and
>= 0.6 at 1,000,000 records, peak RSS < 1 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
import warnings
from contextlib import redirect_stderr
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ comes first on sys.path, where bench/statistics.py would shadow the
# standard library's `statistics` (which Django's SQLite backend imports).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
from polka.shared_data import marc_data_dir  # noqa: E402

if TYPE_CHECKING:
    from polka.interop.marc.record import ParsedRecord

DATA = marc_data_dir()


def iso2709_files() -> list[Path]:
    """The uncompressed ISO 2709 files listed in COUNTS.txt (the bulk of the real records)."""
    files = []
    for line in (DATA / "COUNTS.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[2] == "ISO2709" and not parts[-1].endswith(".gz"):
            files.append(DATA / parts[-1].removeprefix("./"))
    return files


def cpu_seconds() -> float:
    """This process's CPU time and that of its children that have ended (an import's reading
    process is joined before the import returns)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class Clock:
    """Wall-clock and CPU time (of every process the work used). The rate is the wall-clock
    one: a large import reads ahead in a second process, so its CPU time is spread over two
    cores. The CPU rate is printed too: on a shared machine it is the steadier figure (other
    processes' load does not count against it)."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = cpu_seconds()

    def rates(self, count: int) -> tuple[float, float]:
        wall = time.perf_counter() - self.wall
        cpu = cpu_seconds() - self.cpu
        return count / cpu, count / wall


# pymarc's rate is measured on at most this many records of the file (a stable figure; the
# whole of a 1,000,000-record file would add ten minutes a pass).
PYMARC_LIMIT = 100_000


def pymarc_rate(files: list[Path]) -> tuple[int, float, float]:
    import pymarc

    count = 0
    clock = Clock()
    # pymarc reports on stderr every MARC-8 character it cannot map; only the rate matters here.
    with warnings.catch_warnings(), open(os.devnull, "w") as devnull, redirect_stderr(devnull):
        warnings.simplefilter("ignore")
        for path in files:
            with open(path, "rb") as fh:
                reader = pymarc.MARCReader(
                    fh, to_unicode=True, permissive=True, utf8_handling="replace"
                )
                for record in reader:
                    count += record is not None
                    if count == PYMARC_LIMIT:
                        return count, *clock.rates(count)
    return count, *clock.rates(count)


def setup_django(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["POLKA_DEBUG"] = "0"  # DEBUG would keep every query in memory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


PLACEHOLDER = b"bench000000000"


def repeated_file(files: list[Path], target: Path, records: int) -> int:
    """Write `records` records: the real ones over and over, each with a new 001.

    Each real record keeps its own bytes and encoding (MARC-8, CP1251, UTF-8: the mix of the
    real files, which both pymarc and Polka must decode); only its 001 becomes a fixed-width
    placeholder, with the directory and leader lengths written again. A record whose structure
    had to be repaired is written anew in UTF-8 instead. The copies differ only in the
    placeholder's digits, so writing a million takes seconds, not an hour.
    """
    from polka.interop.marc.iso2709 import read_iso2709

    templates: list[tuple[bytes, bytes]] = []
    for path in files:
        with open(path, "rb") as fh:
            for parsed in read_iso2709(fh):
                if parsed.record is None:
                    continue
                data = _placeholder_in_own_bytes(parsed.raw) if not parsed.repairs else None
                data = data or _placeholder_in_utf8(parsed)
                if data is None:
                    continue
                head, _, tail = data.partition(PLACEHOLDER)
                templates.append((head + PLACEHOLDER[:5], tail))
    written = 0
    with open(target, "wb") as out:
        while written < records:
            for head, tail in templates:
                if written == records:
                    break
                written += 1
                out.write(b"%s%09d%s" % (head, written, tail))
    return written


def _placeholder_in_own_bytes(raw: bytes) -> bytes | None:
    """The record's bytes with its 001 (added first if missing) set to PLACEHOLDER."""
    base = int(raw[12:17])
    directory, body = raw[24 : base - 1], raw[base:]
    fields = [
        (
            directory[i : i + 3],
            body[int(directory[i + 7 : i + 12]) :][: int(directory[i + 3 : i + 7])],
        )
        for i in range(0, len(directory), 12)
    ]
    fields = [(b"001", PLACEHOLDER + b"\x1e")] + [(t, f) for t, f in fields if t != b"001"]
    if any(len(f) > 9999 for _, f in fields):
        return None
    entries, offset = [], 0
    for tag, field in fields:
        entries.append(b"%s%04d%05d" % (tag, len(field), offset))
        offset += len(field)
    new_base = 24 + 12 * len(fields) + 1
    length = new_base + offset + 1
    if length > 99_999:
        return None
    leader = b"%05d%s%05d%s" % (length, raw[5:12], new_base, raw[17:24])
    return leader + b"".join(entries) + b"\x1e" + b"".join(f for _, f in fields) + b"\x1d"


def _placeholder_in_utf8(parsed: ParsedRecord) -> bytes | None:
    from polka.interop.marc.iso2709 import write_iso2709
    from polka.interop.marc.record import Field

    marc = parsed.record
    assert marc is not None
    marc.fields = [f for f in marc.fields if f.tag != "001"]
    marc.fields.insert(0, Field(tag="001", data=PLACEHOLDER.decode()))
    try:
        return write_iso2709(marc, encoding="utf-8", flavour=parsed.flavour)
    except ValueError:
        return None


def full_import(paths: list[Path], read_ahead: bool | None) -> tuple[int, float, float, str]:
    from polka.catalog.importing import catalog_import
    from polka.org.services import branch_create, network_create

    at = dt.datetime.now(dt.UTC)
    network = network_create(name="Bench", at=at)
    branch_create(network=network, code="bench", name="Bench", at=at)
    clock = Clock()
    summary = catalog_import(paths=paths, at=at, branch="bench", read_ahead=read_ahead)
    return summary.read, *clock.rates(summary.read), summary.line()


def peak_rss_mb() -> float:
    """The largest resident size of this process or of any child it waited for."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return max(u.ru_maxrss for u in usage) / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, help="repeat the real records to this many")
    parser.add_argument(
        "--read-ahead",
        choices=("auto", "on", "off"),
        default="auto",
        help="read and map in a second process (auto: as polka import decides)",
    )
    args = parser.parse_args()
    read_ahead = {"auto": None, "on": True, "off": False}[args.read_ahead]
    files = iso2709_files()
    with tempfile.TemporaryDirectory(prefix="polka-bench-") as tmp:
        folder = Path(tmp)
        setup_django(folder)
        paths = files
        if args.records:
            big = folder / "repeated.mrc"
            written = repeated_file(files, big, args.records)
            print(
                f"--records {args.records}: the real records repeated with new control "
                f"numbers (001) into one file of {written} records "
                f"({big.stat().st_size / 2**20:.0f} MiB)"
            )
            paths = [big]
        # pymarc on the same file, the better of two passes (the first pays for cold caches,
        # which would flatter us), and once more after the import: the machine's other load
        # moves during a long run, and the best of the three is the fairest baseline.
        passes = [pymarc_rate(paths), pymarc_rate(paths)]
        read, import_cpu, import_wall, line = full_import(paths, read_ahead)
        passes.append(pymarc_rate(paths))
        parsed = passes[0][0]
        pymarc_cpu, pymarc_wall = max(p[1] for p in passes), max(p[2] for p in passes)
        print(
            f"pymarc parse: {parsed} records of the same {len(paths)} ISO 2709 file(s), "
            f"{pymarc_cpu:.0f}/s CPU ({pymarc_wall:.0f}/s wall-clock)"
        )
        print(
            f"full import: {read} records, {import_wall:.0f}/s wall-clock "
            f"({import_cpu:.0f} per CPU-second of its processes; {line})"
        )
        db = folder / "bench.sqlite3"
        print(f"database: {db.stat().st_size / 2**20:.0f} MiB; peak RSS {peak_rss_mb():.0f} MiB")
    print(f"per CPU-second (steadier on a shared machine): {import_cpu / pymarc_cpu:.2f}")
    print(f"full import / pymarc parse = {import_wall / pymarc_wall:.2f}")


if __name__ == "__main__":
    main()
