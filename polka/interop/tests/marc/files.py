"""Where the real MARC test files are (../shared/data/marc, used by path, never copied)."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from polka.interop.marc import read_any
from polka.interop.marc.record import ParsedRecord
from polka.shared_data import marc_data_dir

# Not MARC records: RDF, text dumps, hashes, IRBIS master files, a RUSMARC field dictionary,
# PICA (a different format), and the data's own notes.
NOT_MARC_SUFFIXES = (".ttl", ".nt", ".txt", ".toml", ".csv", ".tsv", ".mst", ".xrf", ".md", ".pica")
NOT_MARC_NAMES = {"RUSMARC20151123.xml"}
NOT_MARC_DIRS = {"pica", "picaxml"}
ISO2709_SUFFIXES = (".mrc", ".marc", ".dat", ".iso", ".mrc.gz")


def data_dir() -> Path:
    return marc_data_dir()


def marc_files() -> list[Path]:
    """Every MARC file in the test data, in a stable order."""
    root = data_dir()
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name in NOT_MARC_NAMES:
            continue
        if path.name.lower().endswith(NOT_MARC_SUFFIXES) or NOT_MARC_DIRS & set(path.parts):
            continue
        if path.parent == root:
            continue  # README.md, COUNTS.txt
        found.append(path)
    return found


def iso2709_files() -> list[Path]:
    return [
        path
        for path in marc_files()
        if path.name.lower().endswith(ISO2709_SUFFIXES) or path.name == "sample-marc.gz"
    ]


def file_id(path: Path) -> str:
    return str(path.relative_to(data_dir()))


def read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def data_file(relative: str) -> Path:
    return data_dir() / relative


@cache
def parsed_file(path: Path) -> tuple[ParsedRecord, ...]:
    """Every record of a real file through read_any, parsed once per test session (read-only)."""
    return tuple(read_any(path))
