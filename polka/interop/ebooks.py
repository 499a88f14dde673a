"""E-book platform records: ONIX 3.0 and OPDS 1.2 acquisition feeds in, plain entries out;
an OPDS 1.2 catalogue out. Pure codecs (lxml, no Django). A bad entry becomes a Problem with
its position and reason; the rest of the file still reads."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
ACQUISITION = "http://opds-spec.org/acquisition"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass
class EbookEntry:
    identifier: str
    title: str
    authors: list[str] = field(default_factory=list)
    isbn: str = ""
    year: int | None = None
    publisher: str = ""
    language: str = ""
    description: str = ""
    subjects: list[str] = field(default_factory=list)
    read_url: str = ""
    cover_url: str = ""


@dataclass(frozen=True)
class Problem:
    position: int  # 1-based number of the entry (product) in the file
    reason: str


@dataclass
class Parsed:
    entries: list[EbookEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _year(text: str) -> int | None:
    match = re.search(r"(1[5-9]\d\d|20\d\d)", text or "")
    return int(match.group(1)) if match else None


def _root(data: bytes) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"not well-formed XML: {error}") from error


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _find(element: etree._Element, *path: str) -> list[etree._Element]:
    """Children by local names, whatever the namespace (ONIX comes with and without one)."""
    found = [element]
    for name in path:
        found = [c for e in found for c in e if isinstance(c.tag, str) and _local(c) == name]
    return found


def _text(element: etree._Element, *path: str) -> str:
    hits = _find(element, *path)
    return " ".join((hits[0].text or "").split()) if hits else ""


def parse_onix(data: bytes) -> Parsed:
    """ONIX for Books 3.0 (reference names): one entry per Product."""
    parsed = Parsed()
    for position, product in enumerate(_find(_root(data), "Product"), start=1):
        identifier = _text(product, "RecordReference")
        isbn = ""
        for pid in _find(product, "ProductIdentifier"):
            if _text(pid, "ProductIDType") in ("15", "03"):
                isbn = _text(pid, "IDValue")
        detail = _find(product, "DescriptiveDetail")
        title = ""
        if detail:
            title = _text(detail[0], "TitleDetail", "TitleElement", "TitleText")
            subtitle = _text(detail[0], "TitleDetail", "TitleElement", "Subtitle")
            title = f"{title} : {subtitle}" if title and subtitle else title
        if not identifier or not title:
            parsed.problems.append(Problem(position, "no RecordReference or no title"))
            continue
        entry = EbookEntry(identifier=identifier, title=title, isbn=isbn)
        if detail:
            for contributor in _find(detail[0], "Contributor"):
                name = _text(contributor, "PersonNameInverted") or _text(contributor, "PersonName")
                if name:
                    entry.authors.append(name)
            entry.language = _text(detail[0], "Language", "LanguageCode")
            entry.subjects = [
                _text(s, "SubjectHeadingText") for s in _find(detail[0], "Subject")
                if _text(s, "SubjectHeadingText")
            ]  # fmt: skip
        entry.description = _text(product, "CollateralDetail", "TextContent", "Text")
        for resource in _find(product, "CollateralDetail", "SupportingResource"):
            link = _text(resource, "ResourceVersion", "ResourceLink")
            if _text(resource, "ResourceContentType") == "01" and link:  # front cover
                entry.cover_url = link
        publishing = _find(product, "PublishingDetail")
        if publishing:
            entry.publisher = _text(publishing[0], "Publisher", "PublisherName")
            entry.year = _year(_text(publishing[0], "PublishingDate", "Date"))
        for website in _find(product, "PublishingDetail", "Publisher", "Website"):
            entry.read_url = entry.read_url or _text(website, "WebsiteLink")
        if not entry.read_url:
            parsed.problems.append(Problem(position, f"{identifier}: no link to read the book"))
            continue
        parsed.entries.append(entry)
    return parsed


def parse_opds(data: bytes) -> Parsed:
    """An OPDS 1.2 acquisition feed: one entry per atom:entry with an acquisition link."""
    parsed = Parsed()
    root = _root(data)
    if _local(root) != "feed":
        raise ValueError("not an Atom/OPDS feed")
    for position, item in enumerate(root.findall(f"{{{ATOM}}}entry"), start=1):
        identifier = (item.findtext(f"{{{ATOM}}}id") or "").strip()
        title = " ".join((item.findtext(f"{{{ATOM}}}title") or "").split())
        if not identifier or not title:
            parsed.problems.append(Problem(position, "no id or no title"))
            continue
        entry = EbookEntry(identifier=identifier, title=title)
        entry.authors = [
            " ".join((a.findtext(f"{{{ATOM}}}name") or "").split())
            for a in item.findall(f"{{{ATOM}}}author")
        ]
        entry.authors = [a for a in entry.authors if a]
        for ident in item.findall(f"{{{DC}}}identifier") + item.findall(
            "{http://purl.org/dc/elements/1.1/}identifier"
        ):
            text = (ident.text or "").strip()
            if text.lower().startswith("urn:isbn:"):
                entry.isbn = text[9:]
        entry.language = (item.findtext(f"{{{DC}}}language") or "").strip()
        entry.year = _year(item.findtext(f"{{{DC}}}issued") or "")
        entry.publisher = (item.findtext(f"{{{DC}}}publisher") or "").strip()
        entry.description = " ".join((item.findtext(f"{{{ATOM}}}summary") or "").split())
        entry.subjects = [
            c.get("label") or c.get("term") or "" for c in item.findall(f"{{{ATOM}}}category")
        ]
        entry.subjects = [s for s in entry.subjects if s]
        for link in item.findall(f"{{{ATOM}}}link"):
            rel, href = link.get("rel", ""), link.get("href", "")
            if rel.startswith(ACQUISITION) and not entry.read_url:
                entry.read_url = href
            elif rel in ("http://opds-spec.org/image", "http://opds-spec.org/cover"):
                entry.cover_url = href
        if not entry.read_url:
            parsed.problems.append(Problem(position, f"{identifier}: no acquisition link"))
            continue
        parsed.entries.append(entry)
    return parsed


# --- writing an OPDS 1.2 catalogue -------------------------------------------------------


@dataclass(frozen=True)
class FeedLink:
    rel: str
    href: str
    type: str
    title: str = ""


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    updated: dt.datetime
    links: Sequence[FeedLink]
    authors: Sequence[str] = ()
    summary: str = ""
    issued: str = ""
    subjects: Sequence[str] = ()


NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION_FEED = "application/atom+xml;profile=opds-catalog;kind=acquisition"


def opds_feed(
    *,
    id: str,
    title: str,
    updated: dt.datetime,
    links: Iterable[FeedLink],
    entries: Iterable[FeedEntry],
) -> bytes:
    """An OPDS 1.2 catalogue document (navigation or acquisition, as its links say)."""
    nsmap = {None: ATOM, "dc": DC, "opds": OPDS}
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap=nsmap)  # type: ignore[arg-type]  # a default namespace is None

    def add(parent: etree._Element, tag: str, text: str, ns: str = ATOM) -> etree._Element:
        element = etree.SubElement(parent, f"{{{ns}}}{tag}")
        element.text = text
        return element

    def add_link(parent: etree._Element, link: FeedLink) -> None:
        element = etree.SubElement(
            parent, f"{{{ATOM}}}link", rel=link.rel, href=link.href, type=link.type
        )
        if link.title:
            element.set("title", link.title)

    add(feed, "id", id)
    add(feed, "title", title)
    add(feed, "updated", updated.isoformat())
    for link in links:
        add_link(feed, link)
    for item in entries:
        entry = etree.SubElement(feed, f"{{{ATOM}}}entry")
        add(entry, "id", item.id)
        add(entry, "title", item.title)
        add(entry, "updated", item.updated.isoformat())
        for name in item.authors:
            author = etree.SubElement(entry, f"{{{ATOM}}}author")
            add(author, "name", name)
        if item.issued:
            add(entry, "issued", item.issued, DC)
        for subject in item.subjects:
            etree.SubElement(entry, f"{{{ATOM}}}category", term=subject, label=subject)
        if item.summary:
            add(entry, "summary", item.summary)
        for link in item.links:
            add_link(entry, link)
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="utf-8"))
