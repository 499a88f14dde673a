"""Real MARC files for the mapping tests, read with the project's own readers (read_any)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from polka.interop.marc.formats import read_any
from polka.interop.marc.record import MarcFlavour, MarcRecord
from polka.shared_data import marc_data_dir

DATA = marc_data_dir()


def data_files() -> list[str]:
    """Every MARC file of the shared data set, as listed in its COUNTS.txt."""
    listed = []
    for line in (DATA / "COUNTS.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[2] in ("ISO2709", "MARCXML", "XML?"):
            listed.append(parts[-1].removeprefix("./"))
    return listed


def read_records(path: str) -> Iterator[tuple[MarcRecord, MarcFlavour]]:
    """The readable records of a file with the flavour the reader detected."""
    for parsed in read_any(DATA / path):
        if parsed.record is not None:
            yield parsed.record, parsed.flavour


def record_numbered(path: str, control_number: str) -> MarcRecord:
    """The record of `path` whose 001 is `control_number`."""
    return first_where(
        path, lambda r: any(f.tag == "001" and f.data == control_number for f in r.fields)
    )


def first_where(path: str, predicate: Callable[[MarcRecord], bool]) -> MarcRecord:
    for record, _ in read_records(path):
        if predicate(record):
            return record
    raise LookupError(path)
