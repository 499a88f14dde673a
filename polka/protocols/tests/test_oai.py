"""The OAI-PMH data provider (/oai): every response is checked against the OAI-PMH 2.0 XSD
(tests/schemas, from the PyPI pyoai package, BSD licence beside it)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from lxml import etree

from polka.catalog.models import Record
from polka.catalog.services import record_delete
from polka.interop.oai import OAI_NS
from polka.protocols import oai
from polka.protocols.models import OaiTombstone
from polka.protocols.tests.conftest import AT, xml
from polka.shared_data import schemas_dir

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).parent / "schemas" / "OAI-PMH.xsd"
N = {"o": OAI_NS, "dc": "http://purl.org/dc/elements/1.1/", "m": "http://www.loc.gov/MARC21/slim"}


@cache
def oai_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def get(client: Client, **params: Any) -> etree._Element:
    response = client.get("/oai", params)
    assert response.status_code == 200
    root = xml(response.content)
    assert oai_schema().validate(root), oai_schema().error_log
    return root


def error(root: etree._Element) -> str:
    found = root.find("o:error", N)
    return found.get("code", "") if found is not None else ""


def harvest(client: Client, verb: str = "ListRecords", **params: Any) -> list[etree._Element]:
    """Every header of a list, following resumption tokens."""
    root = get(client, verb=verb, **params)
    headers = []
    while True:
        headers += root.findall(".//o:header", N)
        token = root.findtext(f"o:{verb}/o:resumptionToken", namespaces=N)
        if not token:
            return headers
        root = get(client, verb=verb, resumptionToken=token)


def test_identify_names_the_repository_and_its_granularity(client, catalogue):
    root = get(client, verb="Identify")
    assert root.findtext("o:Identify/o:protocolVersion", namespaces=N) == "2.0"
    assert root.findtext("o:Identify/o:deletedRecord", namespaces=N) == "persistent"
    assert root.findtext("o:Identify/o:baseURL", namespaces=N) == "http://testserver/oai"
    assert root.findtext("o:Identify/o:earliestDatestamp", namespaces=N) == "2026-11-20T10:00:00Z"


def test_metadata_formats_and_sets(client, catalogue):
    root = get(client, verb="ListMetadataFormats")
    prefixes = [p.text for p in root.iterfind(".//o:metadataPrefix", N)]
    assert prefixes == ["oai_dc", "marcxml"]
    sets = [s.text for s in get(client, verb="ListSets").iterfind(".//o:setSpec", N)]
    assert "branch:central" in sets and "material:book" in sets
    unknown = get(client, verb="ListMetadataFormats", identifier="oai:polka.library:999999")
    assert error(unknown) == "idDoesNotExist"


def test_list_records_pages_through_the_whole_catalogue_once(client, catalogue, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 25)
    headers = harvest(client, metadataPrefix="oai_dc")
    ids = [h.findtext("o:identifier", namespaces=N) for h in headers]
    assert len(ids) == len(set(ids)) == Record.objects.count() == 133


def test_records_carry_dublin_core_and_valid_marcxml(client, catalogue):
    record = catalogue[0]
    identifier = f"oai:polka.library:{record.pk}"
    dc = get(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert dc.findtext(".//dc:title", namespaces=N).startswith(record.title)
    assert dc.find(".//o:header/o:setSpec", N).text == "branch:central"
    marc = get(client, verb="GetRecord", identifier=identifier, metadataPrefix="marcxml")
    collection = etree.Element(f"{{{N['m']}}}collection", nsmap={None: N["m"]})
    collection.append(marc.find(".//m:record", N))
    marc_schema = etree.XMLSchema(etree.parse(str(schemas_dir() / "MARC21slim.xsd")))
    assert marc_schema.validate(collection), marc_schema.error_log
    # (oai_dc.xsd imports the DCMI schema over the network; the elements are checked here.)
    elements = dc.find(".//{http://www.openarchives.org/OAI/2.0/oai_dc/}dc")
    assert {etree.QName(e).namespace for e in elements} == {N["dc"]}


def test_a_deleted_record_stays_listed_as_deleted(client, catalogue, cataloguer):
    record = catalogue[5]
    in_set = Record.objects.filter(items__branch__code="central").distinct().count()
    identifier = f"oai:polka.library:{record.pk}"
    record_delete(record=record, by=cataloguer, at=AT)
    assert OaiTombstone.objects.filter(record_id=record.pk).exists()
    root = get(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    header = root.find(".//o:header", N)
    assert header.get("status") == "deleted"
    assert root.find(".//o:metadata", N) is None
    headers = harvest(client, "ListIdentifiers", metadataPrefix="marcxml", set="branch:central")
    deleted = [h for h in headers if h.get("status") == "deleted"]
    assert [h.findtext("o:identifier", namespaces=N) for h in deleted] == [identifier]
    assert len(headers) == in_set  # the set's records, the deleted one among them


def test_from_and_until_select_by_datestamp(client, catalogue, cataloguer):
    later = AT + dt.timedelta(days=3)
    record_delete(record=catalogue[0], by=cataloguer, at=later)
    Record.objects.filter(pk=catalogue[1].pk).update(updated_at=later)
    recent = harvest(client, metadataPrefix="oai_dc", **{"from": "2026-11-21"})
    assert len(recent) == 2  # the changed record and the deletion (dated when it happened)
    old = harvest(client, metadataPrefix="oai_dc", until="2026-11-20T10:00:00Z")
    assert len(old) == 131
    none = get(client, verb="ListRecords", metadataPrefix="oai_dc", until="2000-01-01")
    assert error(none) == "noRecordsMatch"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2026-01-01",
                "until": "2026-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        ({"verb": "Identify", "set": "x"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "branch:nowhere"},
            "noRecordsMatch",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:1"},
            "idDoesNotExist",
        ),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListRecords", "resumptionToken": "x" * 5000}, "badResumptionToken"),
    ],
)
def test_bad_requests_get_the_protocol_error_and_change_nothing(client, catalogue, params, code):
    assert error(get(client, **params)) == code
    assert Record.objects.count() == 133


def test_a_token_from_elsewhere_or_tampered_or_expired_is_refused(client, catalogue, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 10)
    first = get(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = first.findtext(".//o:resumptionToken", namespaces=N)
    assert token
    payload, _, signature = token.partition(".")
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    assert error(get(client, verb="ListRecords", resumptionToken=tampered)) == "badResumptionToken"
    assert error(get(client, verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"
    from django.utils import timezone

    tomorrow = timezone.now() + dt.timedelta(hours=25)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert error(get(client, verb="ListRecords", resumptionToken=token)) == "badResumptionToken"


def test_post_requests_are_answered_like_get(client, catalogue):
    response = client.post("/oai", {"verb": "Identify"})
    assert xml(response.content).find("o:Identify", N) is not None
