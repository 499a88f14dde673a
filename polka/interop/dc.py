"""Simple (unqualified) Dublin Core from plain data: the `oai_dc` format of OAI-PMH and the
`dc` record schema of SRU. Pure; no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
SRW_DC_NS = "info:srw/schema/1/dc-schema"
# The fifteen elements in the order oai_dc lists them.
ELEMENTS = (
    "title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
    "format", "identifier", "source", "language", "relation", "coverage", "rights",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DublinCore:
    """Element name → values, in the order to write them."""

    elements: Sequence[tuple[str, str]]


def _elements(record: DublinCore) -> str:
    return "".join(
        f"<dc:{name}>{escape(value)}</dc:{name}>"
        for name, value in record.elements
        if name in ELEMENTS and value
    )


def oai_dc_xml(record: DublinCore) -> str:
    return (
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{OAI_DC_NS} {OAI_DC_SCHEMA}">{_elements(record)}</oai_dc:dc>'
    )


def srw_dc_xml(record: DublinCore) -> str:
    return (
        f'<srw_dc:dc xmlns:srw_dc="{SRW_DC_NS}" xmlns:dc="{DC_NS}">{_elements(record)}</srw_dc:dc>'
    )
