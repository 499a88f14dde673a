"""SRU response documents (pure codec)."""

from __future__ import annotations

from lxml import etree

from polka.interop.sru import (
    SRU12_NS,
    SRU20_NS,
    Diagnostic,
    ResponseRecord,
    search_retrieve_response,
    undo_double_utf8,
)


def test_text_encoded_to_utf8_twice_is_restored_and_other_text_left_alone():
    doubled = "dc.title = земной".encode().decode("latin-1")
    assert undo_double_utf8(doubled) == "dc.title = земной"
    for text in ("dc.title = земной", "café", "naïve ½", "plain"):
        assert undo_double_utf8(text) == text


def test_a_surrogate_diagnostic_sits_in_the_record_and_versions_use_their_namespaces():
    for version, namespace in (("1.2", SRU12_NS), ("2.0", SRU20_NS)):
        body = search_retrieve_response(
            version=version,
            total=2,
            records=[
                ResponseRecord("info:srw/schema/1/dc-v1.1", "<x/>", 1),
                ResponseRecord("info:srw/schema/1/dc-v1.1", "", 2, Diagnostic(67, "dc")),
            ],
        )
        root = etree.fromstring(body)
        assert root.tag == f"{{{namespace}}}searchRetrieveResponse"
        schemas = [s.text for s in root.iter(f"{{{namespace}}}recordSchema")]
        assert schemas == ["info:srw/schema/1/dc-v1.1", "info:srw/schema/1/diagnostics-v1.1"]
        assert root.findtext(".//{*}recordData/{*}diagnostic/{*}uri") == (
            "info:srw/diagnostic/1/67"
        )
