"""Reading a MARC file whatever its container: ISO 2709, MARCXML or MARC-in-JSON, gzipped or not."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from polka.interop.marc.iso2709 import read_iso2709
from polka.interop.marc.marcjson import read_marcjson
from polka.interop.marc.marcxml import read_marcxml
from polka.interop.marc.record import MarcFlavour, ParsedRecord
from polka.interop.marc.streams import Prefixed

Format = Literal["iso2709", "marcxml", "marcjson"]

_FORMAT_NAMES: dict[str, Format] = {
    "iso2709": "iso2709",
    "iso": "iso2709",
    "marc": "iso2709",
    "mrc": "iso2709",
    "marc21": "iso2709",
    "rusmarc": "iso2709",
    "marcxml": "marcxml",
    "xml": "marcxml",
    "marcjson": "marcjson",
    "json": "marcjson",
    "marc-in-json": "marcjson",
}
_EXTENSIONS: dict[str, Format] = {".xml": "marcxml", ".json": "marcjson", ".jsonl": "marcjson"}
_GZIP_MAGIC = b"\x1f\x8b"


def normalise_format(name: str) -> Format:
    try:
        return _FORMAT_NAMES[name.strip().lower()]
    except KeyError:
        known = ", ".join(sorted(set(_FORMAT_NAMES.values())))
        raise ValueError(f"unknown MARC format {name!r}; known: {known}") from None


def sniff_format(head: bytes, name: str = "") -> Format:
    """The container of a (decompressed) file from its first bytes, then its name."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"<":
        return "marcxml"
    if start in (b"{", b"["):
        return "marcjson"
    if start.isdigit():
        return "iso2709"
    suffix = Path(name.removesuffix(".gz")).suffix.lower()
    return _EXTENSIONS.get(suffix, "iso2709")


def read_any(
    source: str | Path | BinaryIO,
    *,
    format: str | None = None,
    flavour: MarcFlavour | None = None,
    encoding: str | None = None,
) -> Iterator[ParsedRecord]:
    """Every record of a file or stream in any supported container.

    gzip is recognised by its magic bytes; the container by `format`, else the first bytes,
    else the file name. `encoding` applies to ISO 2709 (XML and JSON say their own).
    """
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            yield from _read_stream(handle, str(source), format, flavour, encoding)
    else:
        yield from _read_stream(
            source, getattr(source, "name", "") or "", format, flavour, encoding
        )


def _read_stream(
    stream: BinaryIO,
    name: str,
    format: str | None,
    flavour: MarcFlavour | None,
    encoding: str | None,
) -> Iterator[ParsedRecord]:
    head = stream.read(4096)
    source: BinaryIO = io.BufferedReader(Prefixed(head, stream))
    if head[:2] == _GZIP_MAGIC:
        unzipped = gzip.GzipFile(fileobj=source, mode="rb")
        head = unzipped.read(4096)
        source = io.BufferedReader(Prefixed(head, unzipped))  # type: ignore[arg-type]
    kind = normalise_format(format) if format else sniff_format(head, name)
    if kind == "marcxml":
        yield from read_marcxml(source, flavour=flavour)
    elif kind == "marcjson":
        yield from read_marcjson(source, flavour=flavour)
    else:
        yield from read_iso2709(source, flavour=flavour, encoding=encoding)
