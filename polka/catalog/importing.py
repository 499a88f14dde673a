"""`polka import`: MARC files into the catalogue in batches, never stopping at a bad record.

Records are stored `batch_size` at a time, each batch in its own transaction through
services.records_store; a batch that fails is redone record by record so only the bad record
is skipped. A run killed halfway has committed whole batches only; running it again finds
them by source fingerprint and carries on.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from polka.catalog.errors import ImportFileMissing, ImportOptionInvalid, UnknownBranch
from polka.catalog.marcio import marc_map, marc_read_file, marc_reads_cleanly, marc_serialise
from polka.catalog.models import ImportRun, ImportStatus
from polka.catalog.services import (
    IncomingRecord,
    Match,
    StoreResult,
    branch_lookup,
    match_keys,
    records_store,
)
from polka.core.bulk import collector_paused, writes_in_bulk, young_collected
from polka.files import atomic_open
from polka.interop.marc.record import ParsedRecord
from polka.org.models import Branch

# "irbis": an ИРБИС64/ИРБИС32 master file (.MST with its .XRF beside it).
FORMATS = ("iso2709", "marcxml", "json", "irbis")
FLAVOURS = ("marc21", "rusmarc")
ENCODINGS = ("utf-8", "marc-8", "cp1251")
MATCHES = ("none", "isbn", "control-number")
BATCH_SIZE = 1000


@dataclass(slots=True)
class ImportSummary:
    """What a run did. read = created + updated + unchanged + skipped; repaired overlaps them."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    repaired: int = 0
    reported: int = 0
    run_id: int | None = None

    def line(self) -> str:
        return (
            f"read {self.read}, created {self.created}, updated {self.updated}, "
            f"skipped {self.skipped}, repaired {self.repaired}"
        )


@dataclass(slots=True)
class _Pending:
    path: Path
    parsed: ParsedRecord
    incoming: IncomingRecord
    warnings: list[str] = field(default_factory=list)


ISO2709_MAX_RECORD = 99_999


def _keeps_raw(parsed: ParsedRecord) -> bool:
    """Can the bytes as received be stored and exported as they are?

    Yes for a sound ISO 2709 record. Not for one longer than ISO 2709 allows (its length
    digits cannot be true; strict readers lose their way in it): it is stored as MARC-in-JSON.
    A record whose only "repair" was finding out its encoding (leader/09 blank over UTF-8 or
    CP1251 data) is sound too: read again with that encoding it needs no repair, so it is kept
    byte for byte with the encoding noted.
    """
    raw = parsed.raw
    if raw[-1:] != b"\x1d" or not raw[:5].isdigit() or len(raw) > ISO2709_MAX_RECORD:
        return False
    if not parsed.repairs:
        return True
    return marc_reads_cleanly(raw, flavour=parsed.flavour, encoding=parsed.encoding)


def incoming_from_parsed(parsed: ParsedRecord) -> IncomingRecord:
    """The record to store: ISO 2709 bytes as received when they are sound, otherwise (XML,
    JSON, a record repaired in structure) the record re-serialised in UTF-8. The fingerprint
    is always taken over the bytes as received, so a second import of the same file finds it.
    """
    assert parsed.record is not None
    if _keeps_raw(parsed):
        source, encoding = parsed.raw, parsed.encoding
    else:
        source, encoding = marc_serialise(parsed.record, encoding="utf-8"), "utf-8"
    return IncomingRecord.build(
        marc=parsed.record,
        flavour=parsed.flavour,
        source=source,
        encoding=encoding,
        mapped=marc_map(parsed.record, parsed.flavour),
        received=parsed.raw,
    )


def _check_options(
    *,
    paths: Sequence[Path],
    format: str | None,
    flavour: str | None,
    encoding: str | None,
    match: str,
) -> None:
    for name, value, allowed in (
        ("--format", format, FORMATS),
        ("--flavour", flavour, FLAVOURS),
        ("--match", match, MATCHES),
    ):
        if value is not None and value not in allowed:
            raise ImportOptionInvalid(
                _("%(option)s: «%(value)s» не поддерживается (можно: %(allowed)s)")
                % {"option": name, "value": value, "allowed": ", ".join(allowed)}
            )
    if encoding is not None and encoding not in ENCODINGS:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ImportOptionInvalid(
                _("--encoding: неизвестная кодировка «%(value)s»") % {"value": encoding}
            ) from None
    for path in paths:
        if not path.is_file():
            raise ImportFileMissing(str(path))


def _default_branch(code: str | None, branches: dict[str, Branch]) -> Branch | None:
    if not code:
        return None
    branch = branches.get(code.casefold())
    if branch is None:
        raise UnknownBranch(code)
    return branch


class _Report:
    """The JSON Lines report: one line per skipped, repaired or otherwise noteworthy record."""

    def __init__(self, out: IO[str] | None) -> None:
        self.out = out
        self.lines = 0

    def write(self, path: Path, parsed: ParsedRecord, status: str, reasons: Iterable[str]) -> None:
        reasons = [r for r in reasons if r]
        if self.out is None or not reasons:
            self.lines += bool(reasons)
            return
        self.lines += 1
        line = {
            "file": str(path),
            "record": parsed.number,
            "offset": parsed.offset,
            "status": status,
            "repaired": bool(parsed.repairs),
            "reason": "; ".join(reasons),
        }
        self.out.write(json.dumps(line, ensure_ascii=False) + "\n")


@contextmanager
def _report_file(report_path: Path | None) -> Iterator[IO[str] | None]:
    if report_path is None:
        yield None
        return
    with atomic_open(report_path, "w", encoding="utf-8") as out:
        yield out


def catalog_import(
    *,
    paths: Sequence[Path | str],
    format: str | None = None,
    flavour: str | None = None,
    encoding: str | None = None,
    branch: str | None = None,
    match: Match = "none",
    dry_run: bool = False,
    report_path: Path | str | None = None,
    at: dt.datetime,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    clock: Callable[[], dt.datetime] | None = None,
) -> ImportSummary:
    """Import MARC files. Bad options and missing files raise before anything is written;
    after that, no record can stop the run.

    `at` stamps the records; `clock`, when the adapter gives one, stamps the run's end.
    """
    files = [Path(p) for p in paths]
    _check_options(paths=files, format=format, flavour=flavour, encoding=encoding, match=match)
    branches = branch_lookup()
    default_branch = _default_branch(branch, branches)
    summary = ImportSummary()
    run = None
    if not dry_run:
        run = ImportRun.objects.create(
            files=[str(p) for p in files],
            options={
                "format": format,
                "flavour": flavour,
                "encoding": encoding,
                "branch": branch,
                "match": match,
            },
            started_at=at,
        )
        summary.run_id = run.pk
    importer = _Importer(
        summary=summary,
        match=match,
        dry_run=dry_run,
        at=at,
        run=run,
        default_branch=default_branch,
        branches=branches,
        progress=progress,
        batch_size=batch_size,
    )
    try:
        with (
            collector_paused(),
            writes_in_bulk(),
            _report_file(Path(report_path) if report_path else None) as out,
        ):
            importer.report = _Report(out)
            for path in files:
                importer.read_file(path, format=format, flavour=flavour, encoding=encoding)
            # Batches run across files: many small files cost no more than one large one.
            importer.flush()
    except BaseException as exc:
        end = clock() if clock else at
        _finish(run, summary, at=end, status=ImportStatus.FAILED, error=repr(exc))
        raise
    summary.reported = importer.report.lines
    _finish(run, summary, at=clock() if clock else at, status=ImportStatus.FINISHED)
    return summary


def _finish(
    run: ImportRun | None, summary: ImportSummary, *, at: dt.datetime, status: str, error: str = ""
) -> None:
    if run is None:
        return
    for name in ("read", "created", "updated", "unchanged", "skipped", "repaired"):
        setattr(run, name, getattr(summary, name))
    run.status = status
    run.error = error
    run.finished_at = at
    run.save(
        update_fields=[
            "read",
            "created",
            "updated",
            "unchanged",
            "skipped",
            "repaired",
            "status",
            "error",
            "finished_at",
        ]
    )


@dataclass
class _Importer:
    summary: ImportSummary
    match: Match
    dry_run: bool
    at: dt.datetime
    run: ImportRun | None
    default_branch: Branch | None
    branches: dict[str, Branch]
    progress: Callable[[int], None] | None
    batch_size: int
    report: _Report = field(default_factory=lambda: _Report(None))
    pending: list[_Pending] = field(default_factory=list)
    pending_keys: set[str] = field(default_factory=set)

    def read_file(
        self, path: Path, *, format: str | None, flavour: str | None, encoding: str | None
    ) -> None:
        records = iter(marc_read_file(path, format=format, flavour=flavour, encoding=encoding))
        last = ParsedRecord(number=0, offset=0, raw=b"", flavour="marc21", encoding="")
        while True:
            try:
                parsed = next(records)
            except StopIteration:
                break
            except Exception as exc:
                # The reader gave up on the rest of the file (e.g. XML broken past repair):
                # keep what was read and say where it stopped.
                self.summary.read += 1
                where = ParsedRecord(
                    last.number + 1, last.offset + len(last.raw), b"", last.flavour, ""
                )
                self._skip(path, where, f"the rest of the file could not be read: {exc!r}")
                break
            last = parsed
            self._read(path, parsed)

    def _read(self, path: Path, parsed: ParsedRecord) -> None:
        self.summary.read += 1
        if self.progress is not None:
            self.progress(1)
        if parsed.repairs:
            self.summary.repaired += 1
        if parsed.record is None:
            self._skip(path, parsed, parsed.error or _("запись не читается"))
            return
        try:
            incoming = incoming_from_parsed(parsed)
        except Exception as exc:  # a mapping bug must cost one record, not the file
            self._skip(path, parsed, f"mapping failed: {exc!r}")
            return
        keys = match_keys(incoming, self.match)
        # Two records of one batch that --match would pair: store the first before the
        # second looks for it.
        if self.pending_keys.intersection(keys):
            self.flush()
        self.pending_keys.update(keys)
        self.pending.append(_Pending(path, parsed, incoming, list(incoming.mapped.warnings)))
        if len(self.pending) >= self.batch_size:
            self.flush()

    def _skip(self, path: Path, parsed: ParsedRecord, reason: str) -> None:
        self.summary.skipped += 1
        self.report.write(path, parsed, "skipped", [*parsed.repairs, reason])

    def _store(self, batch: list[_Pending]) -> list[StoreResult]:
        with transaction.atomic():
            results = records_store(
                batch=[p.incoming for p in batch],
                at=self.at,
                match=self.match,
                default_branch=self.default_branch,
                branches=self.branches,
                run=self.run,
            )
            if self.dry_run:
                transaction.set_rollback(True)
        return results

    def flush(self) -> None:
        batch, self.pending, self.pending_keys = self.pending, [], set()
        if not batch:
            return
        self._settle(batch)
        # The run pauses the collector; this frees the batch's cycles, if any, so memory stays
        # flat over a million records. The batch itself is let go first: walked while still
        # held, its 60,000-110,000 parsed fields and lists cost 28 ms a batch, 4% of the run.
        del batch
        young_collected()

    def _settle(self, batch: list[_Pending]) -> None:
        """Store a batch and report each of its records."""
        outcomes: list[StoreResult | str]
        try:
            outcomes = list(self._store(batch))
        except Exception:
            # Redo the batch one record at a time so that only the record at fault is lost.
            outcomes = []
            for pending in batch:
                try:
                    outcomes.extend(self._store([pending]))
                except Exception as exc:
                    outcomes.append(f"could not be stored: {exc!r}")
        for pending, outcome in zip(batch, outcomes, strict=True):
            self._count(pending, outcome)

    def _count(self, pending: _Pending, outcome: StoreResult | str) -> None:
        parsed = pending.parsed
        if isinstance(outcome, str):
            self.summary.skipped += 1
            self.report.write(pending.path, parsed, "skipped", [*parsed.repairs, outcome])
            return
        setattr(self.summary, outcome.outcome, getattr(self.summary, outcome.outcome) + 1)
        notes: list[str] = [*parsed.repairs]
        if outcome.outcome != "unchanged":
            notes += [*pending.warnings, *outcome.problems]
        self.report.write(pending.path, parsed, outcome.outcome, notes)
