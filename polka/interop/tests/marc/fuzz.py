"""A fixed corpus of damaged MARC files made from the real ones in ../shared/data/marc.

Seeded, so every run (and every engine) sees the same files: truncations, flipped bytes and
zeroed directories of ISO 2709 files, flipped bytes and truncations of MARC-in-JSON and
MARCXML. Used by the codec tests and by the catalogue's import/export test.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from polka.interop.tests.marc.files import data_dir

SEED = 15
ISO_SOURCES = (
    "pymarc/marc.dat",
    "pymarc/1251.dat",
    "pymarc/test.dat",
    "pymarc/bad_indicator.dat",
    "pymarc/alphatag.dat",
    "pymarc/testunimarc.dat",
    "managedirbis/TestData/TEST1.ISO",
    "evergreen/FSL.marc",
)
TEXT_SOURCES = ("pymarc/batch.json", "pymarc/test.json", "pymarc/batch.xml", "pymarc/utf8.xml")


@dataclass(frozen=True)
class Damaged:
    name: str  # e.g. "pymarc/marc.dat~flip-2.dat": source, damage, original extension
    data: bytes


def _leaders(data: bytes) -> list[int]:
    """Offsets of the records in an ISO 2709 file (after each record terminator)."""
    starts = [0] + [i + 1 for i, b in enumerate(data) if b == 0x1D]
    return [s for s in starts if s + 24 < len(data) and data[s : s + 5].isdigit()]


def _zero_directory(data: bytes, rng: random.Random, fill: bytes) -> bytes:
    start = rng.choice(_leaders(data))
    base = int(data[start + 12 : start + 17])
    out = bytearray(data)
    out[start + 24 : start + base - 1] = fill * (base - 25)
    return bytes(out)


def _flip(data: bytes, rng: random.Random, count: int) -> bytes:
    out = bytearray(data)
    for _ in range(count):
        at = rng.randrange(len(out))
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) // 4, len(data) - 1)]


@cache
def damaged_corpus() -> tuple[Damaged, ...]:
    rng = random.Random(SEED)
    corpus: list[Damaged] = []
    root = data_dir()

    def add(source: str, damage: str, data: bytes) -> None:
        suffix = source.rpartition(".")[2]
        corpus.append(Damaged(f"{source}~{damage}.{suffix}", data))

    for source in ISO_SOURCES:
        data = (root / source).read_bytes()
        add(source, "truncated", _truncate(data, rng))
        for n in range(3):
            add(source, f"flip-{n}", _flip(data, rng, rng.randint(1, 4)))
        add(source, "zeroed-directory", _zero_directory(data, rng, b"\x00"))
        add(source, "zeroed-directory-digits", _zero_directory(data, rng, b"0"))
    for source in TEXT_SOURCES:
        data = (root / source).read_bytes()
        add(source, "truncated", _truncate(data, rng))
        for n in range(3):
            add(source, f"flip-{n}", _flip(data, rng, 1))
    return tuple(corpus)
