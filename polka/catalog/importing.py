"""`polka import`: MARC files into the catalogue in batches, never stopping at a bad record.

Records are stored `batch_size` at a time, each batch in its own transaction through
services.records_store; a batch that fails is redone record by record so only the bad record
is skipped. A run killed halfway has committed whole batches only; running it again finds
them by source fingerprint and carries on.

A large run reads ahead: a second process (forked, so it needs no set-up and never touches the
database) parses and maps the records and writes their MARC21 slim XML while this one stores
the batches before them; the two halves of the work take about as long, so on two cores the
import goes about half again as fast. It sends plain values only (a record's mapping, its
bytes and the XML): the parsed fields themselves would cost nearly as much to send as to parse.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import gc
import json
import multiprocessing
import os
import pickle
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from polka.catalog.errors import (
    ImportFileMissing,
    ImportOptionInvalid,
    ImportReaderFailed,
    UnknownBranch,
)
from polka.catalog.marcio import (
    marc21_slim,
    marc_map,
    marc_read_file,
    marc_reads_cleanly,
    marc_serialise,
)
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
# Runs whose files hold at least this many bytes together (about 1,500 records) read ahead in a
# second process, when the machine has a second core: below that, starting it is not worth it.
READ_AHEAD_FROM = 2**21
# Records a message from the reading process: few enough to keep the pipe's buffers small,
# enough that each message's own cost does not count.
READ_AHEAD_CHUNK = 100
# Chunks the reading process may hold ready (pickled, about 0.3 MB each): more than a batch, so
# that it never waits while the storing process stores one.
READ_AHEAD_QUEUE = 40


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


@dataclass(frozen=True, slots=True)
class _ReadOptions:
    format: str | None
    flavour: str | None
    encoding: str | None


@dataclass(slots=True)
class _Arrival:
    """A record as read and mapped, ready to batch; or, `incoming` None, why it is skipped."""

    path: Path
    parsed: ParsedRecord
    incoming: IncomingRecord | None
    failure: str = ""
    rest_lost: bool = False  # the reader gave up on the rest of the file here


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


def _arrivals(
    paths: Sequence[Path], options: _ReadOptions, *, ahead: bool = False
) -> Iterator[_Arrival]:
    """Every record of the files in order, read and mapped; `ahead`: made ready to send to
    the storing process (the parse kept as its MARC21 slim XML)."""
    for path in paths:
        records = iter(
            marc_read_file(
                path, format=options.format, flavour=options.flavour, encoding=options.encoding
            )
        )
        last = ParsedRecord(number=0, offset=0, raw=b"", flavour="marc21", encoding="")
        while True:
            try:
                parsed = next(records)
            except StopIteration:
                break
            except Exception as exc:
                # The reader gave up on the rest of the file (e.g. XML broken past repair):
                # keep what was read and say where it stopped.
                where = ParsedRecord(
                    last.number + 1, last.offset + len(last.raw), b"", last.flavour, ""
                )
                reason = f"the rest of the file could not be read: {exc!r}"
                yield _Arrival(path, where, None, reason, rest_lost=True)
                break
            last = parsed
            yield _arrival(path, parsed, ahead=ahead)


def _arrival(path: Path, parsed: ParsedRecord, *, ahead: bool) -> _Arrival:
    if parsed.record is None:
        return _Arrival(path, parsed, None, parsed.error or _("запись не читается"))
    try:
        incoming = incoming_from_parsed(parsed)
    except Exception as exc:  # a mapping bug must cost one record, not the file
        return _Arrival(path, parsed, None, f"mapping failed: {exc!r}")
    if ahead:
        # A cache: XML that cannot be written now is written when first asked for.
        with contextlib.suppress(Exception):
            incoming.slim = marc21_slim(parsed.record)
        incoming.marc = parsed.record = None
    return _Arrival(path, parsed, incoming)


def _reads_ahead(paths: Sequence[Path], read_ahead: bool | None) -> bool:
    if read_ahead is not None:
        return read_ahead
    return (
        (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and sum(path.stat().st_size for path in paths) >= READ_AHEAD_FROM
    )


@contextmanager
def _read_ahead(paths: Sequence[Path], options: _ReadOptions) -> Iterator[Iterator[_Arrival]]:
    """_arrivals() run in a forked process, received here in file order. The process starts
    on entry (before the database's bulk-write thread does) and is stopped on the way out,
    whatever happened; a process that dies mid-run raises ImportReaderFailed."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    reader = context.Process(
        target=_send_arrivals,
        args=(sender, receiver, paths, options),
        name="polka-import-reader",
    )
    reader.daemon = True
    reader.start()
    sender.close()

    def received() -> Iterator[_Arrival]:
        while True:
            try:
                message = pickle.loads(receiver.recv_bytes())  # noqa: S301 - our own child
            except (EOFError, OSError):  # it died, maybe halfway through a message
                reader.join(timeout=5)
                raise ImportReaderFailed(f"exit code {reader.exitcode}") from None
            if isinstance(message, str):
                raise ImportReaderFailed(message)
            if not message:
                return
            yield from message

    try:
        yield received()
    finally:
        receiver.close()
        if reader.is_alive():
            reader.terminate()
        reader.join()


def _send_arrivals(
    sender: Any, receiver: Any, paths: Sequence[Path], options: _ReadOptions
) -> None:
    """The reading process: pickled chunks of arrivals, then an empty chunk; or its failure,
    as text. A thread writes them to the pipe, so that reading goes on while the storing
    process is busy with a batch (the pipe itself holds only 64 KiB, a fifth of a chunk)."""
    # The fork copied the pipe's reading end too: closed, so that the writes fail (and this
    # process ends) once the storing process is gone, killed or not.
    receiver.close()
    chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=READ_AHEAD_QUEUE)

    def write() -> None:
        try:
            while (blob := chunks.get()) is not None:
                sender.send_bytes(blob)
        except OSError:
            # The storing process is gone or stopped listening (killed, or failed and
            # closing): nothing is left to read for.
            os._exit(1)

    writer = threading.Thread(target=write, name="polka-import-writer", daemon=True)
    writer.start()

    def put(message: object) -> None:
        chunks.put(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    # What the storing process held at the fork is never collected here: the collections
    # below walk only this process's own records, and nothing inherited (a database
    # connection among it) can be finalised in this process by accident.
    gc.freeze()
    try:
        with collector_paused():
            chunk: list[_Arrival] = []
            for count, arrival in enumerate(_arrivals(paths, options, ahead=True), 1):
                chunk.append(arrival)
                if len(chunk) == READ_AHEAD_CHUNK:
                    put(chunk)
                    chunk = []
                if count % BATCH_SIZE == 0:
                    young_collected()
            if chunk:
                put(chunk)
            put([])
    except BaseException as exc:  # said to the storing process, which stops the run with it
        put(repr(exc))
    finally:
        chunks.put(None)
        writer.join()
        sender.close()


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
    read_ahead: bool | None = None,
) -> ImportSummary:
    """Import MARC files. Bad options and missing files raise before anything is written;
    after that, no record can stop the run.

    `at` stamps the records; `clock`, when the adapter gives one, stamps the run's end.
    `read_ahead`: read and map in a second process (None: when the files are large and the
    machine has a second core).
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
    options = _ReadOptions(format=format, flavour=flavour, encoding=encoding)
    reading = (
        _read_ahead(files, options)
        if _reads_ahead(files, read_ahead)
        else contextlib.nullcontext(_arrivals(files, options))
    )
    try:
        with (
            reading as arrivals,
            collector_paused(),
            writes_in_bulk(),
            _report_file(Path(report_path) if report_path else None) as out,
        ):
            importer.report = _Report(out)
            for arrival in arrivals:
                importer.take(arrival)
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

    def take(self, arrival: _Arrival) -> None:
        parsed = arrival.parsed
        self.summary.read += 1
        if arrival.rest_lost:
            self._skip(arrival.path, parsed, arrival.failure)
            return
        if self.progress is not None:
            self.progress(1)
        if parsed.repairs:
            self.summary.repaired += 1
        incoming = arrival.incoming
        if incoming is None:
            self._skip(arrival.path, parsed, arrival.failure)
            return
        keys = match_keys(incoming, self.match)
        # Two records of one batch that --match would pair: store the first before the
        # second looks for it.
        if self.pending_keys.intersection(keys):
            self.flush()
        self.pending_keys.update(keys)
        self.pending.append(
            _Pending(arrival.path, parsed, incoming, list(incoming.mapped.warnings))
        )
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
