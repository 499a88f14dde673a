"""Where apps above readers plug in: what blocks an erasure (a loan, a debt), what they remove
when a reader is erased, and what they hold about a reader for the export. Apps register in their
AppConfig.ready() (elibrary does; circulation will)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from polka.readers.models import Reader

# Returns why the reader cannot be erased now (e.g. "2 books on loan"), or None.
ErasureBlocker = Callable[["Reader"], str | None]
# Removes what one app holds about the reader before the reader is erased; returns
# {"app.Model": rows removed}.
ErasureCleaner = Callable[["Reader"], dict[str, int]]
# Returns the rows one app holds about the reader, as JSON-ready dicts.
ExportSection = Callable[["Reader"], list[dict[str, Any]]]


@dataclass(frozen=True)
class Exporter:
    name: str
    # Model labels ("app.Model") whose reader data this section covers.
    covers: tuple[str, ...]
    rows: ExportSection


_blockers: list[ErasureBlocker] = []
_cleaners: list[ErasureCleaner] = []
_exporters: dict[str, Exporter] = {}


def erasure_blocker_register(blocker: ErasureBlocker) -> None:
    if blocker not in _blockers:
        _blockers.append(blocker)


def erasure_blocker_unregister(blocker: ErasureBlocker) -> None:
    if blocker in _blockers:
        _blockers.remove(blocker)


def erasure_blockers(reader: Reader) -> list[str]:
    return [reason for blocker in _blockers if (reason := blocker(reader))]


def erasure_cleaner_register(cleaner: ErasureCleaner) -> None:
    if cleaner not in _cleaners:
        _cleaners.append(cleaner)


def erasure_cleaners() -> list[ErasureCleaner]:
    return list(_cleaners)


def export_section_register(*, name: str, covers: tuple[str, ...], rows: ExportSection) -> None:
    _exporters[name] = Exporter(name=name, covers=covers, rows=rows)


def export_sections() -> list[Exporter]:
    return list(_exporters.values())


# Opens a reader's loans carried over from a legacy system (ИРБИС field 40, as subfield code →
# value); returns (loans opened, problems, each naming its entry). Circulation registers it.
LoansImporter = Callable[
    ["Reader", Sequence[Mapping[str, str]], dt.datetime], tuple[int, list[str]]
]
_loans_importer: list[LoansImporter] = []


def loans_importer_register(importer: LoansImporter) -> None:
    _loans_importer[:] = [importer]


def loans_importer() -> LoansImporter | None:
    return _loans_importer[0] if _loans_importer else None
