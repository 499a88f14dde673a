"""Book covers: the record's own cover link (856) when it has one, otherwise a typographic
cover drawn from the record itself (title and author on a colour derived from the record), so
no result is ever a blank. A cover from the optional cover service is used only once it is
cached (cover_service.py); nothing here calls an outside service."""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass

from polka.catalog.cover_service import cover_cached_url
from polka.catalog.models import Record
from polka.catalog.record_fields import record_cover

# Dark shades on which white text keeps at least 4.5:1 (checked by the covers test).
PALETTE = (
    "#0b5394", "#1d6b35", "#8b1e3f", "#5b3a8c", "#7a4a00", "#0f5f63",
    "#a0331b", "#2f4858", "#6b2f6b", "#44562b", "#1f3f7a", "#7d2e2e",
)  # fmt: skip
TITLE_WIDTH = 13
TITLE_LINES = 5
AUTHOR_WIDTH = 18
AUTHOR_LINES = 2


@dataclass(frozen=True)
class Cover:
    url: str | None
    colour: str
    title_lines: tuple[str, ...]
    author_lines: tuple[str, ...]

    @property
    def generated(self) -> bool:
        return self.url is None


def cover_colour(*, key: str) -> str:
    digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def _lines(text: str, *, width: int, count: int) -> tuple[str, ...]:
    lines = textwrap.wrap(" ".join(text.split()), width=width, break_long_words=True)
    if len(lines) > count:
        lines = [
            *lines[: count - 1],
            textwrap.shorten(" ".join(lines[count - 1 :]), width, placeholder="…"),
        ]
    return tuple(lines)


def _first_author(record: Record) -> str:
    responsibility = record.responsibility.split(";", 1)[0]
    return responsibility.split(",", 1)[0].strip()


def record_cover_image(record: Record) -> Cover:
    """The cover to show for a record (no query beyond the record itself)."""
    return Cover(
        url=record_cover(record) or cover_cached_url(record),
        colour=cover_colour(key=f"{record.pk}:{record.title}"),
        title_lines=_lines(record.title, width=TITLE_WIDTH, count=TITLE_LINES),
        author_lines=_lines(_first_author(record), width=AUTHOR_WIDTH, count=AUTHOR_LINES),
    )
