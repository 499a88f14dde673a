"""Character sets of MARC records: which one a record is in, and decoding one field of it.

Readers decode each field once; a field that does not decode cleanly is decoded with
replacement characters and the reader is told why, so the field is never dropped.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata

from pymarc import marc8_mapping
from pymarc.marc8 import MARC8ToUnicode

from polka.interop.marc.record import MarcFlavour

UTF8 = "utf-8"
MARC8 = "marc-8"
CP1251 = "cp1251"

# Names accepted for `encoding=` overrides, mapped to the names readers report.
_ALIASES = {
    "utf8": UTF8,
    "utf-8": UTF8,
    "marc8": MARC8,
    "marc-8": MARC8,
    "ansel": MARC8,
    "cp1251": CP1251,
    "windows-1251": CP1251,
    "win1251": CP1251,
    "1251": CP1251,
}

# UNIMARC/RUSMARC field 100 $a positions 26-29: two character-set codes (G0, G1).
_UNIMARC_CHARSETS = {
    "50": UTF8,  # ISO 10646 level 3 (UTF-8 in practice)
    "89": CP1251,  # RUSMARC: Windows-1251
    "79": "cp866",  # RUSMARC: code page 866
    "99": "koi8-r",  # RUSMARC: KOI-8
}

# A valid MARC-8 escape: ESC then an intermediate ( , $ ) - (with $, / $- for multibyte) and a
# final character, or one of the single-byte "technique 1" escapes g b p s.
_MARC8_ESCAPE = re.compile(rb"\x1b(?:\$[,\-]?[\x20-\x7e]|[(,)\-][\x20-\x7e]|[gbps])")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


def normalise_encoding(name: str) -> str:
    """The reader's name for an encoding given by a person (`--encoding`)."""
    key = name.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    import codecs

    return codecs.lookup(key).name


def _utf8_state(data: bytes) -> str:
    """ "valid"; "damaged" (UTF-8 with a few bad bytes: decode it, report the fields); or
    "invalid" (a third or more of the high bytes do not decode: another charset)."""
    try:
        data.decode(UTF8)
    except UnicodeDecodeError:
        bad = data.decode(UTF8, "replace").count("\ufffd")
        high = sum(map(len, _HIGH_RUN.findall(data)))
        return "invalid" if bad * 3 >= high else "damaged"
    return "valid"


def looks_like_cp1251(data: bytes) -> bool:
    """Cyrillic in CP1251 comes in runs of high bytes (whole words); MARC-8 (ANSEL) puts single
    combining marks before ASCII letters. Most high bytes in runs of 3+ means words, not marks."""
    runs = _HIGH_RUN.findall(data)
    if not runs:
        return False
    total = sum(map(len, runs))
    in_words = sum(len(r) for r in runs if len(r) >= 3)
    return in_words * 2 >= total and b"\x1b" not in data


def detect_encoding(
    *, leader: str, body: bytes, flavour: MarcFlavour, unimarc_100a: str | None
) -> tuple[str, str | None]:
    """(encoding, repair note or None) for one ISO 2709 record.

    `body` is the record's bytes; the note explains where the declared charset was not believed.
    """
    if body.isascii():
        if flavour == "marc21":
            return (UTF8 if leader[9:10] == "a" else MARC8), None
        return UTF8, None
    utf8 = _utf8_state(body)
    cp1251 = utf8 == "invalid" and looks_like_cp1251(body)
    if flavour == "marc21":
        if leader[9:10] == "a":
            if cp1251:
                return CP1251, "charset: leader/09 says UTF-8 but the data looks like CP1251"
            return UTF8, None
        if utf8 != "invalid" and b"\x1b" not in body:
            return UTF8, "charset: leader/09 blank but the data is UTF-8"
        if cp1251:
            return CP1251, "charset: leader/09 blank but the data looks like CP1251"
        return MARC8, None
    declared = None
    if unimarc_100a is not None and len(unimarc_100a) >= 28:
        declared = _UNIMARC_CHARSETS.get(unimarc_100a[26:28].strip()) or _UNIMARC_CHARSETS.get(
            unimarc_100a[28:30].strip()
        )
    if utf8 == "valid":
        if declared not in (None, UTF8):
            return UTF8, f"charset: field 100 says {declared} but the data is valid UTF-8"
        return UTF8, None
    if declared is not None and declared != UTF8:
        return declared, None
    if utf8 == "damaged":
        return UTF8, None
    if cp1251:
        why = "not UTF-8" if declared == UTF8 else "not declared"
        return CP1251, f"charset: field 100 charset {why}, the data looks like CP1251"
    return "latin-1", "charset: unknown and not UTF-8, decoded as Latin-1"


class FieldDecoder:
    """Decodes field bytes in one encoding; collects what it had to repair."""

    __slots__ = ("_marc8", "encoding")

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._marc8 = encoding == MARC8

    def decode_all(self, fields: list[bytes]) -> list[str] | None:
        """Every field of a record decoded in one call, or None when some field needs
        `decode` (MARC-8 beyond ASCII, undecodable bytes: it reports which field)."""
        joined = b"\x1e".join(fields)  # the field terminator never occurs inside a field
        if self._marc8 and not (joined.isascii() and b"\x1b" not in joined):
            return None
        try:
            texts = joined.decode("ascii" if self._marc8 else self.encoding).split("\x1e")
        except UnicodeDecodeError:
            return None
        return texts if len(texts) == len(fields) else None

    def decode(self, data: bytes, tag: str, repairs: list[str]) -> str:
        if data.isascii() and (not self._marc8 or b"\x1b" not in data):
            return data.decode("ascii")
        if self._marc8:
            return _decode_marc8(data, tag, repairs)
        try:
            return data.decode(self.encoding)
        except UnicodeDecodeError as exc:
            bad = data[exc.start : exc.end]
            repairs.append(
                f"invalid {self.encoding}: field {tag} byte(s) {bad.hex()} at {exc.start}"
                " replaced with U+FFFD"
            )
            return data.decode(self.encoding, "replace")


def _ansel_tables() -> tuple[dict[int, None], dict[int, str], str, str]:
    """str.translate tables for MARC-8 in its default state (G0 ASCII, G1 ANSEL), from pymarc's
    mapping: bytes to drop, byte → character, and the combining and unmapped bytes."""
    g0, g1 = marc8_mapping.CODESETS[0x42], marc8_mapping.CODESETS[0x45]
    drop: dict[int, None] = {}
    mapping: dict[int, str] = {}
    combining = unmapped = ""
    for byte in range(256):
        if byte == 0x1F:
            continue  # the subfield delimiter stays
        if byte < 0x20 or 0x80 < byte < 0xA0:
            drop[byte] = None  # pymarc skips these
            continue
        table = g1 if byte > 0x80 else g0
        if byte in table:
            code_point, is_combining = table[byte]
            mapping[byte] = chr(code_point)
            combining += chr(byte) if is_combining else ""
        else:
            mapping[byte] = " "
            unmapped += chr(byte) if byte != 0x20 else ""
    return drop, mapping, combining, unmapped


_ANSEL_DROP, _ANSEL_MAP, _COMBINING, _UNMAPPED = _ansel_tables()
_COMBINING_CLASS = "[" + re.escape(_COMBINING) + "]"
# MARC-8 puts combining marks before their base character, Unicode after; marks with no base
# character before the end of a subfield are dropped (as pymarc does).
_DANGLING_MARKS = re.compile(_COMBINING_CLASS + "+(?=\x1f|$)")
_MARKS_THEN_BASE = re.compile("(" + _COMBINING_CLASS + "+)([^\x1f" + re.escape(_COMBINING) + "])")
_UNMAPPED_BYTE = re.compile("[" + re.escape(_UNMAPPED) + "]")


def _decode_ansel(data: bytes, tag: str, repairs: list[str]) -> str:
    """MARC-8 without escape sequences (nearly all of it) with C-speed string operations, giving
    what pymarc's character-by-character converter gives."""
    text = data.decode("latin-1").translate(_ANSEL_DROP)
    if _UNMAPPED_BYTE.search(text):
        repairs.append(
            f"invalid MARC-8: field {tag}: byte(s) with no MARC-8 mapping read as blanks"
        )
    text = _MARKS_THEN_BASE.sub(r"\2\1", _DANGLING_MARKS.sub("", text))
    return unicodedata.normalize("NFC", text.translate(_ANSEL_MAP))


def _decode_marc8(data: bytes, tag: str, repairs: list[str]) -> str:
    """MARC-8 → Unicode, subfield by subfield (pymarc's converter drops control bytes, so the
    subfield delimiter is kept outside it); broken escapes are removed and reported."""
    if b"\x1b" not in data:
        return _decode_ansel(data, tag, repairs)
    pieces = data.split(b"\x1f")
    out = []
    for piece in pieces:
        if piece.isascii() and b"\x1b" not in piece:
            out.append(piece.decode("ascii"))
            continue
        if b"\x1b" in piece:
            cleaned = _strip_broken_escapes(piece)
            if cleaned != piece:
                repairs.append(f"broken MARC-8 escape: field {tag}, escape sequence removed")
                piece = cleaned
        # pymarc's converter reports unmappable bytes on stderr and carries on: catch that.
        complaints = io.StringIO()
        try:
            with contextlib.redirect_stderr(complaints):
                text = MARC8ToUnicode().translate(piece)  # type: ignore[no-untyped-call]
        except (IndexError, KeyError, TypeError, ValueError):
            repairs.append(f"invalid MARC-8: field {tag} decoded as Latin-1")
            text = unicodedata.normalize("NFC", piece.decode("latin-1"))
        else:
            # Space is space in every MARC-8 graphic set; pymarc's tables just lack it for some.
            real = [
                line for line in complaints.getvalue().splitlines() if "character 0x20 " not in line
            ]
            if real:
                repairs.append(f"invalid MARC-8: field {tag}: {real[0]}")
        out.append(text)
    return "\x1f".join(out)


def _strip_broken_escapes(piece: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while True:
        esc = piece.find(b"\x1b", pos)
        if esc < 0:
            out += piece[pos:]
            return bytes(out)
        out += piece[pos:esc]
        match = _MARC8_ESCAPE.match(piece, esc)
        if match:
            out += match.group()
            pos = match.end()
        else:
            pos = esc + 1
