"""Randomly damaged real files never stop a reader: every record is read or skipped with a
reason, and whatever was read can be written out again."""

from __future__ import annotations

import contextlib
import io
import random

import pytest

from polka.interop.marc import (
    Iso2709WriteError,
    read_any,
    read_iso2709,
    read_marcjson,
    read_marcxml,
    records_to_marcjson,
    records_to_marcxml,
    write_iso2709,
)
from polka.interop.tests.marc.files import iso2709_files, marc_files, read_bytes

ISO_DAMAGE = [b"\x1d", b"\x1e", b"\x1f", b"\x1b", b"\n", b"\xff", b"\xc3", b"0", b" ", b"\x00"]
TEXT_DAMAGE = [b"<", b">", b"&", b'"', b"\x00", b"\xff", b"{", b"}", b"[", b"]", b",", b":"]


def damage(data: bytes, rng: random.Random, pieces: list[bytes]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(out)) if out else 0
        roll = rng.random()
        if roll < 0.4:
            out[at : at + 1] = rng.choice(pieces)
        elif roll < 0.6:
            del out[at : at + rng.randint(1, 30)]
        elif roll < 0.8:
            out[at:at] = rng.choice(pieces) * rng.randint(1, 3)
        else:
            out[at : at + 1] = bytes([rng.randrange(256)])
    return bytes(out)


@pytest.mark.parametrize("seed", range(4))
def test_randomly_damaged_iso2709_never_stops_the_reader(seed: int) -> None:
    rng = random.Random(seed)
    sources = [read_bytes(path)[:8000] for path in iso2709_files()]
    for _ in range(60):
        data = damage(rng.choice(sources), rng, ISO_DAMAGE)
        parsed = list(read_iso2709(data))
        for p in parsed:
            assert (p.record is None) == bool(p.error)
            assert data[p.offset : p.offset + len(p.raw)] == p.raw
        records = [p.record for p in parsed if p.record is not None]
        for record in records:
            # A field grown past 9999 bytes cannot be ISO 2709; the named error says so.
            with contextlib.suppress(Iso2709WriteError):
                assert write_iso2709(record)[-1:] == b"\x1d"
        for flavour in ("marc21", "rusmarc"):
            document = records_to_marcxml(records, flavour)  # type: ignore[arg-type]
            assert len(list(read_marcxml(document))) == len(records)
        assert len(list(read_marcjson(records_to_marcjson(records)))) == len(records)


@pytest.mark.parametrize("seed", range(4))
def test_randomly_damaged_xml_and_json_never_stop_the_reader(seed: int) -> None:
    rng = random.Random(seed)
    sources = [
        read_bytes(path)[:20000]
        for path in marc_files()
        if path.name.endswith((".xml", ".xml.gz", ".json"))
    ]
    for _ in range(60):
        parsed = list(read_any(io.BytesIO(damage(rng.choice(sources), rng, TEXT_DAMAGE))))
        assert all((p.record is None) == bool(p.error) for p in parsed)
