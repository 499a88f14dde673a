"""The record's extracted fields as label/value rows for its public page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from polka.catalog.gost import AUTHOR_ROLES, ROLE_WORDS
from polka.catalog.models import Record

_TEXT = (
    "remainder_of_title",
    "parts",
    "responsibility",
    "edition",
    "place",
    "publisher",
    "year",
    "extent",
    "series",
)
_LISTS = ("isbns", "issns", "languages")
_CLASSES = ("udc", "bbk", "author_mark")
_SAFE_SCHEMES = ("http://", "https://")


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    value: str
    person_id: int | None = None  # people rows link to the author page


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    label: str


def _label(name: str) -> str:
    # capfirst, not str.capitalize: «УДК» must not become «Удк».
    return capfirst(str(getattr(Record._meta.get_field(name), "verbose_name", name)))


def record_rows(record: Record) -> list[Row]:
    """Every non-empty extracted field, in the order of the bibliographic description."""
    rows = [Row(_label(n), str(getattr(record, n))) for n in _TEXT if getattr(record, n)]
    rows += [Row(_label(n), ", ".join(getattr(record, n))) for n in _LISTS if getattr(record, n)]
    rows += [Row(_label(n), getattr(record, n)) for n in _CLASSES if getattr(record, n)]
    if record.subjects:
        rows.append(Row(_label("subjects"), "; ".join(str(s) for s in record.subjects)))
    if record.age_mark:
        rows.append(Row(_label("age_mark"), record.age_mark))
    rows.append(Row(_label("material_type"), str(record.get_material_type_display())))
    return rows


def record_people(record: Record) -> list[Row]:
    """Name and role of everyone named in the record (role words as the description uses)."""
    author = str(_("автор"))
    rows = []
    for authorship in record.authorships.all():
        role = authorship.role.strip().lower()
        word = author if role in AUTHOR_ROLES else ROLE_WORDS.get(role, authorship.role)
        rows.append(Row(authorship.person.name, word, authorship.person_id))
    return rows


def record_links(record: Record) -> list[Link]:
    """Electronic links, web addresses only (a javascript: or data: link is never shown)."""
    links = []
    for link in record.links:
        url = str(link.get("url", "")) if isinstance(link, dict) else ""
        if url.lower().startswith(_SAFE_SCHEMES):
            links.append(Link(url, str(link.get("label") or "") or str(_("Электронная версия"))))
    return links


_COVER_WORDS = ("cover", "обложк", "titelbild", "umschlag", "couverture", "thumbnail")
_IMAGE_ENDINGS = (".jpg", ".jpeg", ".png", ".gif", ".webp")


def record_cover(record: Record) -> str | None:
    """The address of the cover image the record links (856 labelled as a cover, or a link
    to an image file), or None: no cover is ever guessed from elsewhere."""
    for link in record_links(record):
        label = link.label.lower()
        path = link.url.lower().split("?", 1)[0]
        if any(word in label for word in _COVER_WORDS) or path.endswith(_IMAGE_ENDINGS):
            return link.url
    return None
