"""The SRU server (/sru) over a catalogue imported from real MARC21 and RUSMARC files."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from lxml import etree

from polka.catalog.models import Record
from polka.interop.sru import SRU12_NS, SRU20_NS
from polka.protocols.tests.conftest import xml
from polka.shared_data import schemas_dir

pytestmark = pytest.mark.django_db

MARC = "http://www.loc.gov/MARC21/slim"
DC = "http://purl.org/dc/elements/1.1/"


def sru(client: Client, **params: Any) -> etree._Element:
    params.setdefault("version", "1.2")
    params.setdefault("operation", "searchRetrieve")
    response = client.get("/sru", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    return xml(response.content)


def ns(root: etree._Element) -> dict[str, str]:
    return {"zs": SRU20_NS if root.findtext("{*}version") == "2.0" else SRU12_NS}


def total(root: etree._Element) -> int:
    return int(root.findtext("{*}numberOfRecords") or "0")


def diagnostic(root: etree._Element) -> str:
    return root.findtext(".//{*}diagnostic/{*}uri") or ""


def titles(root: etree._Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{{{DC}}}title")]


def hits(client: Client, query: str) -> int:
    return total(sru(client, query=query, maximumRecords="0"))


def test_russian_morphology_finds_a_title_by_another_form_of_its_word(client, catalogue):
    # The record's title is «Вдоль земного шара»; the reader types the nominative.
    root = sru(client, query="dc.title = земной", recordSchema="dc")
    assert total(root) == 1
    assert titles(root) == ["Вдоль земного шара : Книга дорог и путешествий"]


def test_yo_and_ye_are_one_letter(client, catalogue):
    # «Вершигора, Петр Петрович» is written without ё; a reader types «Пётр».
    plain = hits(client, "dc.creator = петр")
    assert plain > 0
    assert hits(client, "dc.creator = Пётр") == plain


def test_booleans_combine_clauses_as_sets(client, catalogue):
    poetry, moscow = hits(client, "dc.subject = поэзия"), hits(client, "cql.anywhere = москва")
    both = hits(client, "dc.subject = поэзия and cql.anywhere = москва")
    either = hits(client, "dc.subject = поэзия or cql.anywhere = москва")
    without = hits(client, "dc.subject = поэзия not cql.anywhere = москва")
    assert poetry and moscow
    assert either == poetry + moscow - both
    assert without == poetry - both
    nested = hits(client, "(dc.subject = поэзия or cql.anywhere = москва) and dc.date < 2000")
    assert 0 < nested <= either


def test_all_any_and_adj_relations(client, catalogue):
    assert hits(client, 'dc.title all "шара вдоль"') == 1
    assert hits(client, 'dc.title adj "шара вдоль"') == 0
    assert hits(client, 'dc.title adj "вдоль земного"') == 1
    assert hits(client, 'dc.title = "вдоль земного шара"') == 1
    assert hits(client, 'dc.title any "земного несуществующееслово"') == 1


def test_creator_isbn_and_record_id_indexes(client, catalogue):
    assert hits(client, "dc.creator = поволяев") == 1
    # The record carries 5-268-00066-7; its ISBN-13 form finds it too.
    assert hits(client, "bath.isbn = 5-268-00066-7") == 1
    assert hits(client, "bath.isbn = 9785268000665") == 1
    record = next(r for r in Record.objects.all() if "9785268000665" in r.isbns)
    root = sru(client, query=f"rec.id = {record.pk}", recordSchema="dc")
    assert titles(root) == ["Вдоль земного шара : Книга дорог и путешествий"]


def test_a_person_is_found_by_the_surname_in_any_case_as_on_the_search_page(client, catalogue):
    # «Дьяконов, Игорь Михайлович» is not named in his record's statement of responsibility:
    # only the heading's name analysis can find him (Snowball files «дьяконов» under «дьякон»).
    for query in (
        "dc.creator = дьяконов",
        "dc.creator = Дьяконова",
        "dc.creator = дьяконовым",
        'dc.creator = "дьяконов игорь"',
        "dc.creator all дьяконова",
        'dc.creator any "дьяконову кумекову"',
        "cql.anywhere = дьяконова",
    ):
        assert hits(client, query) >= 1, query
    # Two people of different records, each found by a declined surname.
    either = hits(client, 'dc.creator any "дьяконову кумекову"')
    assert either == hits(client, "dc.creator = дьяконов") + hits(client, "dc.creator = кумеков")
    assert hits(client, "dc.creator = дьяконо*") >= 1
    assert hits(client, "dc.title = дьяконов") == 0


def test_prefix_truncation(client, catalogue):
    assert hits(client, "dc.creator = повол*") >= hits(client, "dc.creator = поволяев") == 1
    assert hits(client, "dc.title = земн*") >= 1
    assert diagnostic(sru(client, query="dc.title = з*мной")) == "info:srw/diagnostic/1/28"
    assert hits(client, 'dc.title all "шара земн*"') == 1  # one engine match, truncated word last
    assert hits(client, 'dc.creator all "повол* валер*"') == 1  # two truncated: intersected


def test_sort_by_date_descending_then_title(client, catalogue):
    root = sru(
        client,
        query="cql.allRecords = 1 sortBy dc.date/sort.descending",
        recordSchema="dc",
        maximumRecords="100",
    )
    years = [int(d.text) for d in root.iter(f"{{{DC}}}date") if d.text]
    assert years == sorted(years, reverse=True)
    assert total(root) == Record.objects.count()
    ascending = sru(client, query="dc.subject = поэзия sortBy dc.title", recordSchema="dc")
    found = titles(ascending)
    assert found == sorted(found, key=str.casefold)


def test_paging_gives_next_record_position_until_the_end(client, catalogue):
    first = sru(client, query="cql.allRecords = 1", maximumRecords="50", recordSchema="dc")
    assert total(first) == 133
    assert first.findtext("{*}nextRecordPosition") == "51"
    last = sru(client, query="cql.allRecords = 1", startRecord="101", maximumRecords="50")
    positions = [int(p.text) for p in last.iter("{*}recordPosition") if p.text]
    assert positions == list(range(101, 134))
    assert last.find("{*}nextRecordPosition") is None


def test_marcxml_records_are_valid_marc21_slim(client, catalogue):
    root = sru(client, query="cql.allRecords = 1", maximumRecords="100", recordSchema="marcxml")
    schema = etree.XMLSchema(etree.parse(str(schemas_dir() / "MARC21slim.xsd")))
    records = list(root.iter(f"{{{MARC}}}record"))
    assert len(records) == 100
    for record in records:
        collection = etree.Element(f"{{{MARC}}}collection", nsmap={None: MARC})
        collection.append(record)
        assert schema.validate(collection), schema.error_log


def test_rusmarc_schema_gives_rusmarc_records_and_a_surrogate_diagnostic_for_marc21(
    client, catalogue
):
    rusmarc = Record.objects.filter(format="rusmarc").order_by("pk").first()
    marc21 = Record.objects.filter(format="marc21").order_by("pk").first()
    assert rusmarc and marc21
    root = sru(client, query=f"rec.id = {rusmarc.pk}", recordSchema="rusmarc")
    record = next(root.iter(f"{{{MARC}}}record"))
    assert record.find(f"{{{MARC}}}datafield[@tag='200']") is not None  # RUSMARC title field
    other = sru(client, query=f"rec.id = {marc21.pk}", recordSchema="rusmarc")
    assert other.findtext(".//{*}recordData/{*}diagnostic/{*}uri") == "info:srw/diagnostic/1/67"


def test_sru_2_0_answers_in_its_own_namespace_with_escaped_records_on_request(client, catalogue):
    root = sru(client, version="2.0", query="dc.title = земной", recordXMLEscaping="string")
    assert root.tag == f"{{{SRU20_NS}}}searchRetrieveResponse"
    data = root.findtext(".//{*}recordData") or ""
    assert data.startswith("<record") and "земного" in data


def test_explain_lists_the_indexes_and_schemas(client, catalogue):
    root = xml(client.get("/sru", {"version": "1.2", "operation": "explain"}).content)
    names = {n.text for n in root.iter("{http://explain.z3950.org/dtd/2.0/}name")}
    assert {"title", "creator", "subject", "isbn", "id", "anywhere"} <= names
    schemas = {s.get("name") for s in root.iter("{http://explain.z3950.org/dtd/2.0/}schema")}
    assert schemas == {"marcxml", "rusmarc", "dc"}
    assert xml(client.get("/sru").content).tag == f"{{{SRU20_NS}}}explainResponse"


def test_scan_lists_headings_and_words_in_order_with_counts(client, catalogue):
    root = xml(
        client.get(
            "/sru",
            {"version": "1.2", "operation": "scan", "scanClause": "dc.title = вдоль"},
        ).content
    )
    values = [t.text for t in root.iter("{*}value")]
    assert values[0] == "вдоль" and values == sorted(values)
    heads = xml(
        client.get(
            "/sru",
            {
                "version": "1.2",
                "operation": "scan",
                "scanClause": "dc.creator = П",
                "maximumTerms": "5",
            },
        ).content
    )
    assert len(list(heads.iter("{*}term"))) == 5
    assert all(int(n.text or 0) >= 1 for n in heads.iter("{*}numberOfRecords"))


@pytest.mark.parametrize(
    ("params", "uri"),
    [
        ({"query": "dc.title = "}, "info:srw/diagnostic/1/10"),
        ({"query": "dc.title = (война"}, "info:srw/diagnostic/1/10"),
        ({"query": '"unterminated'}, "info:srw/diagnostic/1/10"),
        ({"query": "война " * 20_000}, "info:srw/diagnostic/1/10"),
        ({"query": " or ".join(["война"] * 40)}, "info:srw/diagnostic/1/38"),
        ({"query": "a prox b"}, "info:srw/diagnostic/1/39"),
        ({"query": "dc.nosuchindex = война"}, "info:srw/diagnostic/1/16"),
        ({"query": "dc.title within война"}, "info:srw/diagnostic/1/19"),
        ({"query": "dc.title =/fuzzy война"}, "info:srw/diagnostic/1/20"),
        ({"query": "война", "recordSchema": "mods"}, "info:srw/diagnostic/1/66"),
        ({"query": "война", "recordPacking": "json"}, "info:srw/diagnostic/1/71"),
        ({"query": "война", "startRecord": "x"}, "info:srw/diagnostic/1/6"),
        ({"query": "война sortBy dc.publisher"}, "info:srw/diagnostic/1/80"),
        ({"operation": "update"}, "info:srw/diagnostic/1/4"),
        ({"version": "3.0", "query": "война"}, "info:srw/diagnostic/1/5"),
        ({"operation": "searchRetrieve"}, "info:srw/diagnostic/1/7"),
    ],
)
def test_bad_requests_get_standard_diagnostics_and_change_nothing(client, catalogue, params, uri):
    before = Record.objects.count()
    assert diagnostic(sru(client, **params)) == uri
    assert Record.objects.count() == before
    assert hits(client, "dc.title = земной") == 1  # and the server goes on serving


def test_first_record_past_the_end_is_diagnostic_61(client, catalogue):
    root = sru(client, query="dc.title = земной", startRecord="5")
    assert diagnostic(root) == "info:srw/diagnostic/1/61"
    assert total(root) == 1
