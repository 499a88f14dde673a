"""`{% book_cover record %}`: the record's cover (catalog/_cover.html), image or typographic."""

from __future__ import annotations

from typing import Any

from django import template

from polka.catalog.covers import record_cover_image
from polka.catalog.models import Record

register = template.Library()


@register.inclusion_tag("catalog/_cover.html")
def book_cover(record: Record, size: str = "", alt: str = "") -> dict[str, Any]:
    """`alt` empty: the cover is decoration next to a title that is already on the page."""
    return {"cover": record_cover_image(record), "size": size, "alt": alt}
