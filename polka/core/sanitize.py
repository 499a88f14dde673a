"""Every text people write passes through here before it is stored.

- clean_text: plain text (names, questions, comments): tags and control characters removed,
  whitespace tidied; templates escape it again when shown.
- clean_html: rich text written in editors (news, answers, annotations): a small safe subset
  of HTML, links made rel="nofollow noopener ugc", only http(s) and mailto URLs.
"""

from __future__ import annotations

import html
import re

import nh3

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)

RICH_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "ul", "ol", "li", "a",
    "h2", "h3", "h4", "blockquote", "cite", "q", "figure", "figcaption", "img", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "span",
}  # fmt: skip
RICH_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "span": {"lang"},
}


def clean_text(value: str, *, max_length: int | None = None, multiline: bool = True) -> str:
    text = html.unescape(nh3.clean(value or "", tags=set()))
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if multiline:
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    else:
        text = " ".join(text.split())
    return text[:max_length] if max_length else text


def clean_html(value: str) -> str:
    return nh3.clean(
        _CONTROL.sub("", value or ""),
        tags=RICH_TAGS,
        attributes=RICH_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener ugc",
    ).strip()


def count_links(value: str) -> int:
    """How many web links a text carries (spam rules limit them)."""
    return len(_LINK.findall(value or ""))
