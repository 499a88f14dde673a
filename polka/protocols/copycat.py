"""Copy cataloguing: search the configured remote catalogues (SRU, Z39.50) at once, show their
records in ГОСТ form, and import the one a cataloguer chooses through the catalogue's own import
path. Each target answers on its own: one that times out or sends garbage gives its own message
while the others' records show.

SRU is spoken over HTTP (searchRetrieve 1.2, MARCXML); Z39.50 through Debian's `yaz-client`
(no BER of our own), which writes the records it retrieves as MARC21 (ISO 2709).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import shutil
import subprocess
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections
from django.utils.translation import gettext as _
from lxml import etree

from polka.catalog.gost import describe
from polka.catalog.importing import ImportSummary, catalog_import
from polka.catalog.marcio import marc_map, marc_serialise
from polka.catalog.models import Person, Record, RecordAuthor
from polka.catalog.services import record_update, record_values
from polka.interop.marc.formats import read_any
from polka.interop.marc.record import MarcRecord, ParsedRecord
from polka.org.policies import staff_require
from polka.protocols.models import CopyProtocol, CopyTarget

AnyUser = Any
log = logging.getLogger("polka.copycat")
SRU_NS = {"srw": "http://www.loc.gov/zing/srw/", "diag": "http://www.loc.gov/zing/srw/diagnostic/"}
MARC_NS = "http://www.loc.gov/MARC21/slim"
HITS = re.compile(r"Number of hits: (\d+)")
LIMIT = 10


class CopyError(Exception):
    """A target could not be searched; `message` says why, for the cataloguer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CopyQuery:
    """What the cataloguer typed: words of the title, an ISBN (either or both)."""

    title: str = ""
    isbn: str = ""

    def cql(self) -> str:
        parts = []
        if self.title.strip():
            parts.append(f'dc.title all "{_quote(self.title)}"')
        if self.isbn.strip():
            parts.append(f'bath.isbn = "{_quote(self.isbn)}"')
        return " and ".join(parts)

    def pqf(self) -> str:
        parts = []
        if self.title.strip():
            parts.append(f'@attr 1=4 @attr 4=6 "{_quote(self.title)}"')
        if self.isbn.strip():
            parts.append(f'@attr 1=7 "{_quote(self.isbn)}"')
        return parts[0] if len(parts) == 1 else f"@and {parts[0]} {parts[1]}"


def copy_query_for(record: Record) -> CopyQuery:
    """The query the record editor opens with: the record's first ISBN (the surest match),
    else the words of its title."""
    isbns = [str(isbn) for isbn in record.isbns or [] if str(isbn).strip()]
    if isbns:
        return CopyQuery(isbn=isbns[0][:30])
    return CopyQuery(title=record.title[:300])


def _quote(value: str) -> str:
    return " ".join(value.replace('"', " ").replace("\\", " ").split())


@dataclass(frozen=True)
class RemoteRecord:
    target: str
    number: int
    marc: MarcRecord
    flavour: str
    source: bytes  # ISO 2709, UTF-8
    preview: str  # the ГОСТ description


@dataclass
class TargetAnswer:
    target: CopyTarget
    hits: int = 0
    records: list[RemoteRecord] = field(default_factory=list)
    error: str = ""


def copy_targets() -> list[CopyTarget]:
    return list(CopyTarget.objects.filter(is_active=True).order_by("name"))


def copy_search(
    *, targets: Sequence[CopyTarget], query: CopyQuery, limit: int = LIMIT
) -> list[TargetAnswer]:
    """Every target searched at once; the answers in the targets' order."""
    if not query.cql():
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(8, len(targets)))) as pool:
        return list(pool.map(lambda target: _answer(target, query, limit), targets))


def _answer(target: CopyTarget, query: CopyQuery, limit: int) -> TargetAnswer:
    answer = TargetAnswer(target)
    try:
        if target.protocol == CopyProtocol.SRU:
            answer.hits, found = _sru(target, query, limit)
        else:
            answer.hits, found = _z3950(target, query, limit)
        answer.records = [
            _remote(target, number, marc) for number, marc in enumerate(found, start=1)
        ]
    except CopyError as error:
        answer.error = error.message
    except Exception:  # a target's garbage must not hide the others' records
        log.exception("copy cataloguing: %s answered what we cannot read", target.name)
        answer.error = _("%(target)s: ответ не удалось разобрать.") % {"target": target.name}
    finally:
        connections.close_all()  # this thread's connection, if the preview opened one
    return answer


def _remote(target: CopyTarget, number: int, parsed: ParsedRecord) -> RemoteRecord:
    assert parsed.record is not None
    flavour = str(parsed.flavour)
    mapped = marc_map(parsed.record, flavour)
    # An unsaved record for the ГОСТ preview: pk 0 and its authors in the prefetch cache, so
    # that describe() reads them from memory (nothing of a remote record touches the database).
    record = Record(pk=0, format=flavour, **record_values(mapped))
    record._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "authorships": [
            RecordAuthor(person=Person(name=author.name), role=author.role, position=n)
            for n, author in enumerate(mapped.authors)
        ]
    }
    return RemoteRecord(
        target=target.name,
        number=number,
        marc=parsed.record,
        flavour=flavour,
        source=marc_serialise(parsed.record, encoding="utf-8"),
        preview=describe(record, marc=parsed.record),
    )


def _records(data: bytes, format: str) -> list[ParsedRecord]:
    return [
        parsed for parsed in read_any(io.BytesIO(data), format=format) if parsed.record is not None
    ]


def _sru(target: CopyTarget, query: CopyQuery, limit: int) -> tuple[int, list[ParsedRecord]]:
    params = urllib.parse.urlencode(
        {
            "operation": "searchRetrieve",
            "version": "1.2",
            "query": query.cql(),
            "maximumRecords": limit,
            "recordSchema": "marcxml",
        }
    )
    url = f"{target.address}{'&' if '?' in target.address else '?'}{params}"
    try:
        with urllib.request.urlopen(url, timeout=target.timeout) as response:  # noqa: S310
            body = response.read(20_000_000)
    except TimeoutError:
        raise CopyError(_timeout(target)) from None
    except OSError:
        raise CopyError(_unreachable(target)) from None
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        raise CopyError(_("%(target)s: ответ не SRU.") % {"target": target.name}) from None
    diagnostic = root.find(".//diag:diagnostic/diag:message", SRU_NS)
    if diagnostic is not None:
        raise CopyError(
            _("%(target)s отказал: %(why)s") % {"target": target.name, "why": diagnostic.text}
        )
    hits = root.findtext("srw:numberOfRecords", namespaces=SRU_NS)
    if hits is None:
        raise CopyError(_("%(target)s: ответ не SRU.") % {"target": target.name})
    marcs = root.findall(f".//srw:recordData/{{{MARC_NS}}}record", SRU_NS)
    xml = b"".join(etree.tostring(marc, encoding="utf-8", xml_declaration=False) for marc in marcs)
    collection = f'<collection xmlns="{MARC_NS}">'.encode() + xml + b"</collection>"
    return int(hits), _records(collection, "marcxml")


def _z3950(target: CopyTarget, query: CopyQuery, limit: int) -> tuple[int, list[ParsedRecord]]:
    program = shutil.which("yaz-client")
    if program is None:
        raise CopyError(_("Z39.50 недоступен: не установлен yaz-client (пакет yaz)."))
    with tempfile.TemporaryDirectory(prefix="polka-z3950-") as folder:
        dump = Path(folder) / "records.mrc"
        commands = (
            f"open tcp:{target.address}\nformat usmarc\nset_marcdump {dump}\n"
            f"find {query.pqf()}\nshow 1\n" + "show\n" * (limit - 1) + "quit\n"
        )
        try:
            done = subprocess.run(
                [program],
                input=commands,
                capture_output=True,
                text=True,
                timeout=target.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise CopyError(_timeout(target)) from None
        out = done.stdout + done.stderr
        found = HITS.search(out)
        if found is None:
            if "Connection" in out or "connect" in out.lower():
                raise CopyError(_unreachable(target))
            raise CopyError(_("%(target)s: ответ не Z39.50.") % {"target": target.name})
        data = dump.read_bytes() if dump.exists() else b""
    return int(found.group(1)), _records(data, "iso2709") if data else []


def _timeout(target: CopyTarget) -> str:
    return _("%(target)s не ответил за %(seconds)s с.") % {
        "target": target.name,
        "seconds": target.timeout,
    }


def _unreachable(target: CopyTarget) -> str:
    return _("%(target)s недоступен.") % {"target": target.name}


def copy_import(
    *, record: RemoteRecord, by: AnyUser, at: dt.datetime, replace: Record | None = None
) -> ImportSummary | Record:
    """Import the chosen record as a new one through the file import (its repairs and report),
    or put it in place of a local record (the version before is kept, as in the editor)."""
    if replace is not None:
        why = _("заимствована из «%(target)s»") % {"target": record.target}
        return record_update(record=replace, marc=record.marc, by=by, at=at, summary=why)
    staff_require(user=by, action="catalog.import")
    with tempfile.TemporaryDirectory(prefix="polka-copy-") as folder:
        path = Path(folder) / "copied.mrc"
        path.write_bytes(record.source)
        return catalog_import(paths=[path], format="iso2709", flavour=record.flavour, at=at)


def copy_take(
    *,
    target: CopyTarget,
    query: CopyQuery,
    number: int,
    by: AnyUser,
    at: dt.datetime,
    replace: Record | None = None,
) -> Record:
    """Search `target` again and import its `number`-th record (the page keeps nothing between
    the search and the choice); the record created or replaced. Raises CopyError."""
    answer = copy_search(targets=[target], query=query)[0]
    chosen = next((r for r in answer.records if r.number == number), None)
    if chosen is None:
        raise CopyError(answer.error or _("Запись больше не находится: повторите поиск."))
    done = copy_import(record=chosen, by=by, at=at, replace=replace)
    if isinstance(done, Record):
        return done
    record = (
        Record.objects.filter(import_run_id=done.run_id).order_by("pk").first()
        if done.run_id is not None
        else None
    )
    if record is None:
        raise CopyError(_("Запись не импортирована: такая уже есть в каталоге или она испорчена."))
    return record
