"""Raw ISO 2709 parse rate: Polka's tolerant reader against pymarc's MARCReader on the same bytes.

Reads every ISO 2709 file in ../shared/data/marc (gzip included) into memory, parses it a few
times with each reader, and prints records/s for both; the last line is the ratio ours/pymarc.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import time
import warnings
from pathlib import Path

import pymarc

from polka.interop.marc.iso2709 import read_iso2709


def data_dir() -> Path:
    """../shared/data/marc beside the checkout, or POLKA_MARC_DATA."""
    from polka.shared_data import marc_data_dir

    return marc_data_dir()


DATA = data_dir()
SUFFIXES = (".mrc", ".marc", ".dat", ".iso", ".mrc.gz")


def load() -> list[bytes]:
    blobs = []
    for path in sorted(DATA.rglob("*")):
        name = path.name.lower()
        if name.endswith(SUFFIXES) or name == "sample-marc.gz":
            data = path.read_bytes()
            blobs.append(gzip.decompress(data) if name.endswith(".gz") else data)
    return blobs


def rate(parse: object, blobs: list[bytes], rounds: int) -> float:
    """Records per CPU second, best of `rounds` (CPU time: the box is shared, wall time is not
    ours)."""
    best = float("inf")
    count = 0
    for _ in range(rounds):
        count = 0
        start = time.process_time()
        for blob in blobs:
            count += parse(blob)  # type: ignore[operator]
        best = min(best, time.process_time() - start)
    return count / best


def ours(blob: bytes) -> int:
    return sum(1 for parsed in read_iso2709(blob) if parsed.record is not None)


def theirs(blob: bytes) -> int:
    reader = pymarc.MARCReader(io.BytesIO(blob), permissive=True, hide_utf8_warnings=True)
    return sum(1 for record in reader if record is not None)


def main() -> None:
    warnings.simplefilter("ignore")
    sys.stderr = io.StringIO()  # pymarc's MARC-8 converter chatters on stderr
    blobs = load()
    rounds = int(os.environ.get("ROUNDS", "5"))
    rate(ours, blobs, 1)  # warm up both
    rate(theirs, blobs, 1)
    polka_rate = rate(ours, blobs, rounds)
    pymarc_rate = rate(theirs, blobs, rounds)
    sys.stderr = sys.__stderr__
    print(f"files: {len(blobs)} ISO 2709 files from {DATA}, best of {rounds} rounds")
    print(f"polka read_iso2709: {polka_rate:,.0f} records per CPU second")
    print(f"pymarc MARCReader:  {pymarc_rate:,.0f} records per CPU second")
    print(f"ratio polka/pymarc: {polka_rate / pymarc_rate:.2f}")


if __name__ == "__main__":
    main()
