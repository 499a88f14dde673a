"""One request of each protocol, from its parameters to the response document: what the /sru
and /oai views call. Every error a client can cause ends as the protocol's own diagnostic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence

from django.conf import settings

from polka.interop.cql import CqlError, SearchClause, parse_cql
from polka.interop.oai import (
    OaiError,
    RepositoryInfo,
    encode_token,
    error_response,
    get_record_response,
    identify_response,
    list_response,
    metadata_formats_response,
    parse_request,
    sets_response,
    token_expiry,
)
from polka.interop.sru import (
    Diagnostic,
    ExplainInfo,
    ResponseRecord,
    diagnostic_response,
    explain_response,
    scan_response,
    search_retrieve_response,
    undo_double_utf8,
)
from polka.protocols import oai, sru


def _int(value: str | None, default: int, *, name: str) -> int:
    if value is None or value == "":
        return default
    if not value.isdigit() or len(value) > 9:
        raise CqlError(6, name)
    return int(value)


def explain_info(*, host: str, port: int) -> ExplainInfo:
    return ExplainInfo(
        host=host,
        port=port,
        database="sru",
        title=getattr(settings, "POLKA_SRU_TITLE", "Электронный каталог"),
        description="SRU 1.2 / 2.0: CQL, MARCXML, RUSMARC, Dublin Core",
        indexes=sru.EXPLAIN_INDEXES,
        index_sets=sru.INDEX_SETS,
        schemas=sru.SCHEMAS,
        default_records=sru.DEFAULT_RECORDS,
        max_records=sru.MAX_RECORDS,
        sort_keys=tuple(sru.SORT_KEYS),
    )


def sru_handle(params: Mapping[str, str], *, host: str, port: int) -> bytes:
    """Explain, searchRetrieve or scan; version 1.1/1.2 answered as 1.2, otherwise 2.0."""
    params = {
        name: undo_double_utf8(value) if name in ("query", "scanClause") else value
        for name, value in params.items()
    }
    asked = params.get("version", "")
    version = "1.2" if asked.startswith("1.") else "2.0"
    operation = params.get("operation") or (
        "searchRetrieve" if "query" in params else "scan" if "scanClause" in params else "explain"
    )
    if asked and asked not in ("1.1", "1.2", "2.0"):
        return diagnostic_response(
            version=version, operation=operation, diagnostic=Diagnostic(5, "1.2 2.0")
        )
    try:
        if operation == "explain":
            return explain_response(version=version, info=explain_info(host=host, port=port))
        if operation == "searchRetrieve":
            return _search_retrieve(params, version)
        if operation == "scan":
            return _scan(params, version)
        raise CqlError(4, operation[:40])
    except CqlError as error:
        return diagnostic_response(
            version=version, operation=operation, diagnostic=Diagnostic(error.code, error.detail)
        )


def _search_retrieve(params: Mapping[str, str], version: str) -> bytes:
    text = params.get("query")
    if text is None:
        raise CqlError(7, "query")
    start = _int(params.get("startRecord"), 1, name="startRecord")
    if start < 1:
        raise CqlError(6, "startRecord")
    count = min(
        _int(params.get("maximumRecords"), sru.DEFAULT_RECORDS, name="maximumRecords"),
        sru.MAX_RECORDS,
    )
    packing = params.get("recordXMLEscaping") or params.get("recordPacking") or "xml"
    if packing not in ("xml", "string"):
        raise CqlError(71, packing[:40])
    schema = sru.schema_named(params.get("recordSchema", ""))
    if schema is None:
        raise CqlError(66, params.get("recordSchema", "")[:100])
    hits = sru.sru_search(query=parse_cql(text), start=start, count=count)
    if hits.total and count and start > hits.total:
        return search_retrieve_response(
            version=version, total=hits.total, diagnostics=(Diagnostic(61, str(start)),)
        )
    payloads = sru.sru_payloads(record_ids=hits.record_ids, schema=schema)
    records = [
        ResponseRecord(schema.identifier, payload, start + offset)
        if payload is not None
        else ResponseRecord(schema.identifier, "", start + offset, Diagnostic(67, schema.name))
        for offset, payload in enumerate(payloads)
    ]
    after = start + len(records)
    return search_retrieve_response(
        version=version,
        total=hits.total,
        records=records,
        packing=packing,
        next_position=after if records and after <= hits.total else None,
    )


def _scan(params: Mapping[str, str], version: str) -> bytes:
    text = params.get("scanClause")
    if text is None:
        raise CqlError(7, "scanClause")
    clause = parse_cql(text).root
    if not isinstance(clause, SearchClause):
        raise CqlError(10, "scanClause")
    position = _int(params.get("responsePosition"), 1, name="responsePosition")
    maximum = min(_int(params.get("maximumTerms"), 20, name="maximumTerms"), sru.MAX_SCAN_TERMS)
    if position > maximum + 1:
        raise CqlError(120, str(position))
    terms = sru.sru_scan(index=clause.index, term=clause.term, position=position, maximum=maximum)
    return scan_response(version=version, terms=terms)


# --- OAI-PMH -------------------------------------------------------------------------------


def _token_key() -> bytes:
    return hashlib.sha256(("oai-token:" + settings.SECRET_KEY).encode()).digest()


def oai_handle(query: Mapping[str, Sequence[str]], *, base_url: str, now: dt.datetime) -> bytes:
    """One OAI-PMH request (argument name → every value given) answered at `now`."""
    request = None
    try:
        request = parse_request(query, key=_token_key(), now=now)
        verb = request.verb
        if verb == "Identify":
            info = RepositoryInfo(
                name=getattr(settings, "POLKA_OAI_REPOSITORY_NAME", "Polka"),
                base_url=base_url,
                admin_emails=[getattr(settings, "POLKA_OAI_ADMIN_EMAIL", "admin@example.org")],
                earliest=oai.earliest_datestamp(),
                identifier_prefix=oai.identifier_prefix(),
            )
            return identify_response(request, info=info, now=now)
        if verb == "ListMetadataFormats":
            formats = oai.oai_formats(identifier=request.identifier)
            return metadata_formats_response(request, formats=formats, now=now, base_url=base_url)
        if verb == "ListSets":
            sets = oai.oai_sets()
            if not sets:
                raise OaiError("noSetHierarchy", "the repository has no sets yet")
            return sets_response(request, sets=sets, now=now, base_url=base_url)
        if verb == "GetRecord":
            item = oai.oai_record(identifier=request.identifier, prefix=request.metadata_prefix)
            return get_record_response(request, item=item, now=now, base_url=base_url)
        page = oai.oai_list(request=request)
        token = None
        if page.last_id is not None:
            token = encode_token(
                key=_token_key(),
                request=request,
                after_id=page.last_id,
                cursor=request.cursor + len(page.items),
                now=now,
            )
        return list_response(
            request,
            items=page.items,
            token=token,
            expires=token_expiry(now) if token else None,
            now=now,
            base_url=base_url,
        )
    except OaiError as error:
        return error_response(error, now=now, base_url=base_url, request=request)
