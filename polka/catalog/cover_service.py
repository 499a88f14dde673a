"""The optional cover service: a cover image by ISBN from an outside address, kept in a local
cache. Off unless POLKA_COVER_SERVICE_URL is set. Pages only read the cache (one file check
per record, no network); `polka covers` fills it, asking the service once per ISBN."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from polka.catalog.models import Record
from polka.files import atomic_open

MAX_BYTES = 2 * 1024 * 1024
TIMEOUT_SECONDS = 10
# Raster images only (an SVG could carry script); the type is read from the bytes themselves.
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_ISBN = re.compile(r"^(\d{9}[\dX]|\d{13})$")


def cover_service_on() -> bool:
    return bool(settings.POLKA_COVER_SERVICE_URL)


def isbn_key(raw: str) -> str | None:
    """The ISBN as cache key (digits and a final X), or None when it is not one."""
    key = re.sub(r"[^0-9Xx]", "", raw).upper()
    return key if _ISBN.match(key) else None


def record_isbn(record: Record) -> str | None:
    for raw in record.isbns or ():
        key = isbn_key(str(raw))
        if key:
            return key
    return None


def _cache_path(isbn: str) -> Path:
    return Path(settings.POLKA_COVER_CACHE_DIR) / f"{isbn}.cover"


def image_type(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), None)


def cached_cover(*, isbn: str) -> bytes | None:
    """The cached image for the ISBN, or None (service off, not fetched, or no cover there)."""
    if not cover_service_on():
        return None
    path = _cache_path(isbn)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data or None


def cover_cached_url(record: Record) -> str | None:
    """The address of the record's cached cover, or None; never calls the service."""
    if not cover_service_on():
        return None
    isbn = record_isbn(record)
    if isbn is None:
        return None
    path = _cache_path(isbn)
    if not path.is_file() or path.stat().st_size == 0:
        return None
    return reverse("catalog:cover", args=[isbn])


def http_get(url: str) -> bytes:
    """The one place that calls the cover service (tests replace it)."""
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"the cover service address must be http(s): {url!r}")
    headers = {"User-Agent": "Polka library catalogue"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked above)
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        data: bytes = response.read(MAX_BYTES + 1)
    return data


def cover_fetch(*, isbn: str) -> bool:
    """Ask the service for the ISBN's cover once and cache the answer: the image, or an empty
    file when there is none (not asked again). A network failure caches nothing, so a later
    run asks again. True when a cover is cached."""
    if not cover_service_on():
        return False
    path = _cache_path(isbn)
    if path.exists():
        return path.stat().st_size > 0
    url = settings.POLKA_COVER_SERVICE_URL.format(isbn=isbn)
    try:
        data = http_get(url)
    except (OSError, ValueError):
        return False
    if len(data) > MAX_BYTES or image_type(data) is None:
        data = b""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path, "wb") as out:
        out.write(data)
    return bool(data)


def covers_fetch(*, records: Iterable[Record]) -> tuple[int, int]:
    """Fetch the covers of records with an ISBN; (ISBNs looked at, covers cached)."""
    seen, found = 0, 0
    for record in records:
        isbn = record_isbn(record)
        if isbn is None:
            continue
        seen += 1
        found += cover_fetch(isbn=isbn)
    return seen, found
