"""SRU (Search/Retrieve via URL) responses, versions 1.2 and 2.0: explain, searchRetrieve and
scan documents written from plain data. Pure; no Django. Record payloads arrive as XML
fragments and are embedded as they are (recordPacking xml) or escaped (string).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

SRU12_NS = "http://www.loc.gov/zing/srw/"
SRU12_DIAG_NS = "http://www.loc.gov/zing/srw/diagnostic/"
SRU20_NS = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
SRU20_SCAN_NS = "http://docs.oasis-open.org/ns/search-ws/scan"
SRU20_DIAG_NS = "http://docs.oasis-open.org/ns/search-ws/diagnostic"
EXPLAIN_NS = "http://explain.z3950.org/dtd/2.0/"
DIAGNOSTIC_SCHEMA = "info:srw/schema/1/diagnostics-v1.1"
VERSIONS = ("1.1", "1.2", "2.0")

# Diagnostic numbers (info:srw/diagnostic/1/N) and their standard messages.
MESSAGES = {
    1: "General system error",
    4: "Unsupported operation",
    5: "Unsupported version",
    6: "Unsupported parameter value",
    7: "Mandatory parameter not supplied",
    8: "Unsupported parameter",
    10: "Query syntax error",
    16: "Unsupported index",
    19: "Unsupported relation",
    20: "Unsupported relation modifier",
    27: "Empty term unsupported",
    28: "Masking character not supported",
    36: "Term in invalid format for index or relation",
    38: "Too many boolean operators in query",
    39: "Proximity not supported",
    48: "Query feature unsupported",
    61: "First record position out of range",
    66: "Unknown schema for retrieval",
    67: "Record not available in this schema",
    71: "Unsupported record packing",
    80: "Sort not supported",
    120: "Response position out of range",
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: int
    details: str = ""

    @property
    def uri(self) -> str:
        return f"info:srw/diagnostic/1/{self.code}"

    @property
    def message(self) -> str:
        return MESSAGES.get(self.code, "")


@dataclass(frozen=True, slots=True)
class RecordSchema:
    name: str  # short name used in recordSchema=
    identifier: str  # the URI
    title: str


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    schema: str  # identifier URI of the payload's schema
    data: str  # an XML fragment (a surrogate diagnostic when `diagnostic` is set)
    position: int
    diagnostic: Diagnostic | None = None


@dataclass(frozen=True, slots=True)
class ScanTerm:
    value: str
    count: int
    display: str = ""


@dataclass(frozen=True, slots=True)
class ExplainInfo:
    host: str
    port: int
    database: str
    title: str
    description: str
    indexes: Sequence[tuple[str, str, str]]  # (set, name, title)
    index_sets: Sequence[tuple[str, str]]  # (short name, identifier)
    schemas: Sequence[RecordSchema]
    default_records: int
    max_records: int
    sort_keys: Sequence[str] = field(default_factory=tuple)


def undo_double_utf8(text: str) -> str:
    """The text as meant when a client encoded its UTF-8 bytes to UTF-8 once more (the Z39.50
    gateway simple2zoom does this to non-ASCII terms). Text that is not such a double encoding
    comes back unchanged: real Latin-1 text almost never forms valid UTF-8 sequences."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _text(value: object) -> str:
    return escape(str(value))


class _Writer:
    """Element names and namespaces of one SRU version."""

    def __init__(self, version: str) -> None:
        self.version = "2.0" if version == "2.0" else "1.2"
        self.v2 = self.version == "2.0"

    def open(self, name: str, ns: str | None = None) -> str:
        if self.v2:
            ns = ns or SRU20_NS
            return f'<?xml version="1.0" encoding="UTF-8"?>\n<zs:{name} xmlns:zs="{ns}">'
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<zs:{name} xmlns:zs="{SRU12_NS}">'

    def diagnostics(self, diagnostics: Iterable[Diagnostic]) -> str:
        items = [self.diagnostic(d) for d in diagnostics]
        return f"<zs:diagnostics>{''.join(items)}</zs:diagnostics>" if items else ""

    def diagnostic(self, diagnostic: Diagnostic) -> str:
        ns = SRU20_DIAG_NS if self.v2 else SRU12_DIAG_NS
        details = f"<diag:details>{_text(diagnostic.details)}</diag:details>"
        return (
            f'<diag:diagnostic xmlns:diag="{ns}"><diag:uri>{diagnostic.uri}</diag:uri>'
            f"{details if diagnostic.details else ''}"
            f"<diag:message>{_text(diagnostic.message)}</diag:message></diag:diagnostic>"
        )

    def record(self, schema: str, data: str, packing: str, position: int | None) -> str:
        payload = data if packing == "xml" else _text(data)
        packing_name = "recordXMLEscaping" if self.v2 else "recordPacking"
        value = ("xml" if packing == "xml" else "string") if self.v2 else packing
        position_xml = f"<zs:recordPosition>{position}</zs:recordPosition>" if position else ""
        return (
            f"<zs:record><zs:recordSchema>{_text(schema)}</zs:recordSchema>"
            f"<zs:{packing_name}>{value}</zs:{packing_name}>"
            f"<zs:recordData>{payload}</zs:recordData>{position_xml}</zs:record>"
        )


def search_retrieve_response(
    *,
    version: str,
    total: int | None,
    records: Sequence[ResponseRecord] = (),
    packing: str = "xml",
    next_position: int | None = None,
    diagnostics: Sequence[Diagnostic] = (),
) -> bytes:
    """A searchRetrieveResponse; `total` None (a fatal diagnostic) writes numberOfRecords 0."""
    w = _Writer(version)
    parts = [
        w.open("searchRetrieveResponse"),
        f"<zs:version>{w.version}</zs:version>",
        f"<zs:numberOfRecords>{total or 0}</zs:numberOfRecords>",
    ]
    if records:
        parts.append("<zs:records>")
        for record in records:
            if record.diagnostic is not None:
                parts.append(
                    w.record(
                        DIAGNOSTIC_SCHEMA, w.diagnostic(record.diagnostic), "xml", record.position
                    )
                )
            else:
                parts.append(w.record(record.schema, record.data, packing, record.position))
        parts.append("</zs:records>")
    if next_position:
        parts.append(f"<zs:nextRecordPosition>{next_position}</zs:nextRecordPosition>")
    parts.append(w.diagnostics(diagnostics))
    parts.append("</zs:searchRetrieveResponse>\n")
    return "".join(parts).encode("utf-8")


def scan_response(
    *, version: str, terms: Sequence[ScanTerm], diagnostics: Sequence[Diagnostic] = ()
) -> bytes:
    w = _Writer(version)
    parts = [w.open("scanResponse", SRU20_SCAN_NS), f"<zs:version>{w.version}</zs:version>"]
    if terms:
        parts.append("<zs:terms>")
        for term in terms:
            display = (
                f"<zs:displayTerm>{_text(term.display)}</zs:displayTerm>" if term.display else ""
            )
            parts.append(
                f"<zs:term><zs:value>{_text(term.value)}</zs:value>"
                f"<zs:numberOfRecords>{term.count}</zs:numberOfRecords>{display}</zs:term>"
            )
        parts.append("</zs:terms>")
    parts.append(w.diagnostics(diagnostics))
    parts.append("</zs:scanResponse>\n")
    return "".join(parts).encode("utf-8")


def explain_record(info: ExplainInfo) -> str:
    """The ZeeRex explain record: where the server is, its indexes, schemas and limits."""
    sets = "".join(
        f"<set name={quoteattr(name)} identifier={quoteattr(uri)}/>"
        for name, uri in info.index_sets
    )
    indexes = "".join(
        f"<index><title>{_text(title)}</title><map><name set={quoteattr(set_name)}>"
        f"{_text(name)}</name></map></index>"
        for set_name, name, title in info.indexes
    )
    schemas = "".join(
        f"<schema identifier={quoteattr(s.identifier)} name={quoteattr(s.name)}>"
        f"<title>{_text(s.title)}</title></schema>"
        for s in info.schemas
    )
    sort_keys = "".join(f'<supports type="sort">{_text(key)}</supports>' for key in info.sort_keys)
    return (
        f'<explain xmlns="{EXPLAIN_NS}">'
        f'<serverInfo protocol="SRU" version="1.2 2.0"><host>{_text(info.host)}</host>'
        f"<port>{info.port}</port><database>{_text(info.database)}</database></serverInfo>"
        f'<databaseInfo><title lang="ru" primary="true">{_text(info.title)}</title>'
        f'<description lang="ru">{_text(info.description)}</description></databaseInfo>'
        f"<indexInfo>{sets}{indexes}</indexInfo>"
        f"<schemaInfo>{schemas}</schemaInfo>"
        f'<configInfo><default type="numberOfRecords">{info.default_records}</default>'
        f'<setting type="maximumRecords">{info.max_records}</setting>{sort_keys}</configInfo>'
        "</explain>"
    )


def explain_response(
    *, version: str, info: ExplainInfo, diagnostics: Sequence[Diagnostic] = ()
) -> bytes:
    w = _Writer(version)
    return "".join(
        [
            w.open("explainResponse"),
            f"<zs:version>{w.version}</zs:version>",
            w.record(EXPLAIN_NS, explain_record(info), "xml", None),
            w.diagnostics(diagnostics),
            "</zs:explainResponse>\n",
        ]
    ).encode("utf-8")


def diagnostic_response(*, version: str, operation: str, diagnostic: Diagnostic) -> bytes:
    """A fatal diagnostic in the response document of `operation`."""
    if operation == "scan":
        return scan_response(version=version, terms=(), diagnostics=(diagnostic,))
    return search_retrieve_response(version=version, total=None, diagnostics=(diagnostic,))
