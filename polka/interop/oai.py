"""OAI-PMH 2.0: the request's arguments checked against the protocol, resumption tokens, and
the response documents written from plain data. Pure; no Django.

A resumption token carries the harvest's arguments and the last identifier sent (lists are
ordered by record id, so records added or changed during a harvest never shift the pages),
signed with the server's key and dated, so a forged or stale token is refused.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
TOKEN_LIFETIME = dt.timedelta(hours=24)

VERBS: dict[str, tuple[set[str], set[str]]] = {
    # verb: (required arguments, optional arguments); resumptionToken is handled apart
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}
_RESUMABLE = {"ListSets", "ListIdentifiers", "ListRecords"}


class OaiError(Exception):
    """An OAI-PMH error condition: `code` is one of the protocol's error codes."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class OaiRequest:
    verb: str
    arguments: Mapping[str, str]
    metadata_prefix: str = ""
    identifier: str = ""
    set_spec: str = ""
    since: dt.datetime | None = None  # inclusive
    before: dt.datetime | None = None  # exclusive: `until` plus its granularity
    after_id: int = 0  # resume after this record id
    cursor: int = 0


@dataclass(frozen=True, slots=True)
class Header:
    identifier: str
    datestamp: dt.datetime
    set_specs: Sequence[str] = ()
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Item:
    header: Header
    metadata: str = ""  # an XML fragment; empty for a deleted record


@dataclass(frozen=True, slots=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str


@dataclass(frozen=True, slots=True)
class RepositoryInfo:
    name: str
    base_url: str
    admin_emails: Sequence[str]
    earliest: dt.datetime
    identifier_prefix: str  # "oai:polka.library:"
    formats: Sequence[MetadataFormat] = field(default_factory=tuple)


def format_datestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_date(value: str, *, until: bool) -> tuple[dt.datetime, str]:
    """(the instant, its granularity); `until` dates point past their last second or day."""
    try:
        if len(value) == 10:
            day = dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.UTC)
            return (day + dt.timedelta(days=1) if until else day), "day"
        moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        return (moment + dt.timedelta(seconds=1) if until else moment), "second"
    except ValueError:
        raise OaiError("badArgument", f"not a UTC date: {value[:40]}") from None


def _sign(key: bytes, payload: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()[:24]


def encode_token(
    *, key: bytes, request: OaiRequest, after_id: int, cursor: int, now: dt.datetime
) -> str:
    data = {
        "v": request.verb,
        "p": request.metadata_prefix,
        "s": request.set_spec,
        "f": request.arguments.get("from", ""),
        "u": request.arguments.get("until", ""),
        "a": after_id,
        "c": cursor,
        "t": int(now.timestamp()),
    }
    payload = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
    return payload.decode().rstrip("=") + "." + _sign(key, payload.rstrip(b"="))


def token_expiry(now: dt.datetime) -> dt.datetime:
    return now + TOKEN_LIFETIME


def _decode_token(token: str, *, verb: str, key: bytes, now: dt.datetime) -> OaiRequest:
    bad = OaiError("badResumptionToken", "the resumption token is invalid or has expired")
    payload, _, signature = token.partition(".")
    if len(token) > 1000 or not hmac.compare_digest(_sign(key, payload.encode()), signature):
        raise bad
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        issued = dt.datetime.fromtimestamp(int(data["t"]), dt.UTC)
        arguments = {
            name: str(data[short])
            for name, short in (
                ("metadataPrefix", "p"),
                ("set", "s"),
                ("from", "f"),
                ("until", "u"),
            )
            if data[short]
        }
        after_id, cursor = int(data["a"]), int(data["c"])
    except (ValueError, KeyError, TypeError):
        raise bad from None
    if data.get("v") != verb or not issued <= now < issued + TOKEN_LIFETIME:
        raise bad
    checked = _checked(verb, arguments)
    return OaiRequest(
        verb=verb,
        arguments={"resumptionToken": token},
        metadata_prefix=checked.metadata_prefix,
        set_spec=checked.set_spec,
        since=checked.since,
        before=checked.before,
        after_id=after_id,
        cursor=cursor,
    )


def _checked(verb: str, arguments: Mapping[str, str]) -> OaiRequest:
    required, optional = VERBS[verb]
    unknown = set(arguments) - required - optional
    if unknown:
        raise OaiError("badArgument", f"illegal argument: {sorted(unknown)[0][:40]}")
    missing = required - set(arguments)
    if missing:
        raise OaiError("badArgument", f"missing argument: {sorted(missing)[0]}")
    since = before = None
    granularities = set()
    if "from" in arguments:
        since, granularity = _parse_date(arguments["from"], until=False)
        granularities.add(granularity)
    if "until" in arguments:
        before, granularity = _parse_date(arguments["until"], until=True)
        granularities.add(granularity)
    if len(granularities) > 1:
        raise OaiError("badArgument", "from and until have different granularities")
    if since and before and since >= before:
        raise OaiError("badArgument", "from is later than until")
    return OaiRequest(
        verb=verb,
        arguments=dict(arguments),
        metadata_prefix=arguments.get("metadataPrefix", ""),
        identifier=arguments.get("identifier", ""),
        set_spec=arguments.get("set", ""),
        since=since,
        before=before,
    )


def parse_request(
    query: Mapping[str, Sequence[str]], *, key: bytes, now: dt.datetime
) -> OaiRequest:
    """Check the request's arguments (name → every value given); raises OaiError."""
    verbs = query.get("verb") or []
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError("badVerb", "illegal or missing verb")
    verb = verbs[0]
    if any(len(values) != 1 for values in query.values()):
        raise OaiError("badArgument", "an argument is repeated")
    arguments = {name: values[0] for name, values in query.items() if name != "verb"}
    if "resumptionToken" in arguments:
        if verb not in _RESUMABLE:
            raise OaiError("badArgument", "illegal argument: resumptionToken")
        if len(arguments) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument")
        return _decode_token(arguments["resumptionToken"], verb=verb, key=key, now=now)
    return _checked(verb, arguments)


# --- writing --------------------------------------------------------------------------------


def _open(now: dt.datetime, base_url: str, request: OaiRequest | None) -> str:
    attributes = ""
    if request is not None:
        attributes = f" verb={quoteattr(request.verb)}" + "".join(
            f" {name}={quoteattr(value)}" for name, value in sorted(request.arguments.items())
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OAI-PMH xmlns="{OAI_NS}" xmlns:xsi="{XSI_NS}" '
        f'xsi:schemaLocation="{OAI_NS} {OAI_SCHEMA}">'
        f"<responseDate>{format_datestamp(now)}</responseDate>"
        f"<request{attributes}>{escape(base_url)}</request>"
    )


def error_response(
    error: OaiError, *, now: dt.datetime, base_url: str, request: OaiRequest | None = None
) -> bytes:
    """badVerb and badArgument echo no arguments (the protocol says so)."""
    echoed = None if error.code in ("badVerb", "badArgument") else request
    return (
        _open(now, base_url, echoed)
        + f"<error code={quoteattr(error.code)}>{escape(error.message)}</error></OAI-PMH>\n"
    ).encode("utf-8")


def header_xml(header: Header) -> str:
    status = ' status="deleted"' if header.deleted else ""
    sets = "".join(f"<setSpec>{escape(s)}</setSpec>" for s in header.set_specs)
    return (
        f"<header{status}><identifier>{escape(header.identifier)}</identifier>"
        f"<datestamp>{format_datestamp(header.datestamp)}</datestamp>{sets}</header>"
    )


def item_xml(item: Item, *, headers_only: bool) -> str:
    if headers_only:
        return header_xml(item.header)
    metadata = "" if item.header.deleted else f"<metadata>{item.metadata}</metadata>"
    return f"<record>{header_xml(item.header)}{metadata}</record>"


def token_xml(token: str | None, *, cursor: int, expires: dt.datetime | None) -> str:
    if token is None:
        return f'<resumptionToken cursor="{cursor}"/>'
    expiry = f' expirationDate="{format_datestamp(expires)}"' if expires else ""
    return f'<resumptionToken{expiry} cursor="{cursor}">{escape(token)}</resumptionToken>'


def list_response(
    request: OaiRequest,
    *,
    items: Sequence[Item],
    token: str | None,
    expires: dt.datetime | None,
    now: dt.datetime,
    base_url: str,
) -> bytes:
    """ListRecords or ListIdentifiers; the caller raises noRecordsMatch for an empty first page.
    The last page of a resumed list carries an empty resumptionToken, as the protocol asks."""
    headers_only = request.verb == "ListIdentifiers"
    body = "".join(item_xml(item, headers_only=headers_only) for item in items)
    resumed = "resumptionToken" in request.arguments
    tail = token_xml(token, cursor=request.cursor, expires=expires) if token or resumed else ""
    return (
        _open(now, base_url, request) + f"<{request.verb}>{body}{tail}</{request.verb}></OAI-PMH>\n"
    ).encode("utf-8")


def get_record_response(
    request: OaiRequest, *, item: Item, now: dt.datetime, base_url: str
) -> bytes:
    return (
        _open(now, base_url, request)
        + f"<GetRecord>{item_xml(item, headers_only=False)}</GetRecord></OAI-PMH>\n"
    ).encode("utf-8")


def identify_response(request: OaiRequest, *, info: RepositoryInfo, now: dt.datetime) -> bytes:
    emails = "".join(f"<adminEmail>{escape(e)}</adminEmail>" for e in info.admin_emails)
    sample = f"{info.identifier_prefix}1"
    repository = info.identifier_prefix.split(":")[1] if ":" in info.identifier_prefix else ""
    description = (
        '<description><oai-identifier xmlns="http://www.openarchives.org/OAI/2.0/oai-identifier" '
        'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai-identifier '
        'http://www.openarchives.org/OAI/2.0/oai-identifier.xsd">'
        f"<scheme>oai</scheme><repositoryIdentifier>{escape(repository)}</repositoryIdentifier>"
        f"<delimiter>:</delimiter><sampleIdentifier>{escape(sample)}</sampleIdentifier>"
        "</oai-identifier></description>"
        if repository
        else ""
    )
    return (
        _open(now, info.base_url, request)
        + f"<Identify><repositoryName>{escape(info.name)}</repositoryName>"
        f"<baseURL>{escape(info.base_url)}</baseURL><protocolVersion>2.0</protocolVersion>"
        f"{emails}<earliestDatestamp>{format_datestamp(info.earliest)}</earliestDatestamp>"
        "<deletedRecord>persistent</deletedRecord><granularity>YYYY-MM-DDThh:mm:ssZ</granularity>"
        f"{description}</Identify></OAI-PMH>\n"
    ).encode("utf-8")


def metadata_formats_response(
    request: OaiRequest, *, formats: Sequence[MetadataFormat], now: dt.datetime, base_url: str
) -> bytes:
    body = "".join(
        f"<metadataFormat><metadataPrefix>{escape(f.prefix)}</metadataPrefix>"
        f"<schema>{escape(f.schema)}</schema><metadataNamespace>{escape(f.namespace)}"
        "</metadataNamespace></metadataFormat>"
        for f in formats
    )
    return (
        _open(now, base_url, request)
        + f"<ListMetadataFormats>{body}</ListMetadataFormats></OAI-PMH>\n"
    ).encode("utf-8")


def sets_response(
    request: OaiRequest, *, sets: Sequence[tuple[str, str]], now: dt.datetime, base_url: str
) -> bytes:
    body = "".join(
        f"<set><setSpec>{escape(spec)}</setSpec><setName>{escape(name)}</setName></set>"
        for spec, name in sets
    )
    return (_open(now, base_url, request) + f"<ListSets>{body}</ListSets></OAI-PMH>\n").encode(
        "utf-8"
    )
