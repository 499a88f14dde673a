"""ИРБИС64 and ИРБИС32 master files (`.MST` + `.XRF` of a database folder), read from the bytes.

ИРБИС64 (big-endian): the cross-reference file holds 12 bytes per MFN — offset (low and high
words) and status flags; the master file starts with a 36-byte control record, and each record
with a 32-byte leader (MFN, length, previous version, base, number of fields, version, status)
and a directory of 12-byte entries (tag, position, length).

ИРБИС32 (little-endian, CDS/ISIS layout): the cross-reference file is 512-byte blocks of a
block number and 127 packed pointers (block << 11 | offset, negative when deleted); the master
file starts with a 64-byte control record, and each record with an 18-byte leader and 6-byte
directory entries.

Deleted and locked records are returned marked, never dropped silently.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from polka.interop.irbis import IrbisField, IrbisRecord, decode, to_marc
from polka.interop.marc.record import ParsedRecord

# ИРБИС64 record status flags (XRF and record leader).
LOGICALLY_DELETED = 1
PHYSICALLY_DELETED = 2
ABSENT = 4
LOCKED = 64

_XRF32_BLOCK = 512
_XRF32_ENTRIES = 127


@dataclass(slots=True)
class MasterRecord:
    mfn: int
    record: IrbisRecord | None
    raw: bytes = b""
    deleted: bool = False
    locked: bool = False
    error: str | None = None


def xrf_path(mst: Path) -> Path:
    """The cross-reference file beside a master file (same name, .xrf in the same case)."""
    for suffix in (".xrf", ".XRF", ".Xrf"):
        candidate = mst.with_suffix(suffix)
        if candidate.exists():
            return candidate
    return mst.with_suffix(".xrf" if mst.suffix.islower() else ".XRF")


def is_irbis32(xrf: bytes) -> bool:
    return len(xrf) >= 4 and len(xrf) % _XRF32_BLOCK == 0 and struct.unpack_from("<i", xrf)[0] == 1


def read_master(mst_path: Path) -> Iterator[MasterRecord]:
    """Every MFN the cross-reference file knows, in MFN order."""
    mst = mst_path.read_bytes()
    xrf = xrf_path(mst_path).read_bytes()
    if is_irbis32(xrf):
        yield from _read32(mst, xrf)
    else:
        yield from _read64(mst, xrf)


def _fields(
    mst: bytes, start: int, base: int, directory: list[tuple[int, int, int]]
) -> IrbisRecord:
    record = IrbisRecord(number=0, line=0)
    for tag, pos, length in directory:
        begin = start + base + pos
        if pos < 0 or length < 0 or begin + length > len(mst):
            record.errors.append(f"field {tag} lies outside the master file")
            continue
        record.fields.append(IrbisField(tag, decode(mst[begin : begin + length])))
    return record


def _read64(mst: bytes, xrf: bytes) -> Iterator[MasterRecord]:
    for index in range(len(xrf) // 12):
        mfn = index + 1
        low, high, status = struct.unpack_from(">III", xrf, index * 12)
        offset = low | (high << 32)
        if offset == 0 or status & ABSENT:
            continue
        if status & (LOGICALLY_DELETED | PHYSICALLY_DELETED):
            yield MasterRecord(mfn=mfn, record=None, deleted=True)
            continue
        if offset + 32 > len(mst):
            yield MasterRecord(mfn=mfn, record=None, error="offset beyond the master file")
            continue
        got_mfn, length, _prev_low, _prev_high, base, nvf, _version, rec_status = (
            struct.unpack_from(">IIIIIIII", mst, offset)
        )
        if got_mfn != mfn or base != 32 + 12 * nvf or offset + length > len(mst):
            yield MasterRecord(mfn=mfn, record=None, error="record leader does not match its MFN")
            continue
        directory = [struct.unpack_from(">III", mst, offset + 32 + 12 * n) for n in range(nvf)]
        record = _fields(mst, offset, base, directory)
        record.number = mfn
        yield MasterRecord(
            mfn=mfn,
            record=record,
            raw=mst[offset : offset + length],
            deleted=bool(rec_status & LOGICALLY_DELETED),
            locked=bool((status | rec_status) & LOCKED),
        )


def _read32(mst: bytes, xrf: bytes) -> Iterator[MasterRecord]:
    blocks = len(xrf) // _XRF32_BLOCK
    for block in range(blocks):
        for entry in range(_XRF32_ENTRIES):
            mfn = block * _XRF32_ENTRIES + entry + 1
            (pointer,) = struct.unpack_from("<i", xrf, block * _XRF32_BLOCK + 4 + 4 * entry)
            if pointer == 0:
                continue
            deleted = pointer < 0
            pointer = abs(pointer)
            offset = ((pointer >> 11) - 1) * _XRF32_BLOCK + (pointer & 0x7FF)
            if deleted:
                yield MasterRecord(mfn=mfn, record=None, deleted=True)
                continue
            if offset < 0 or offset + 18 > len(mst):
                yield MasterRecord(mfn=mfn, record=None, error="offset beyond the master file")
                continue
            got_mfn, length, _bwb, _bwp, base, nvf, status = struct.unpack_from(
                "<ihihhhh", mst, offset
            )
            if got_mfn != mfn or base != 18 + 6 * nvf:
                yield MasterRecord(
                    mfn=mfn, record=None, error="record leader does not match its MFN"
                )
                continue
            directory = [struct.unpack_from("<hhh", mst, offset + 18 + 6 * n) for n in range(nvf)]
            record = _fields(mst, offset, base, [(t & 0xFFFF, p, n) for t, p, n in directory])
            record.number = mfn
            yield MasterRecord(
                mfn=mfn,
                record=record,
                raw=mst[offset : offset + abs(length)],
                deleted=status == 1,
                locked=length < 0,
            )


def read_master_parsed(mst_path: Path) -> Iterator[ParsedRecord]:
    """The master file's records as the MARC readers give theirs: RUSMARC-shaped, numbered by
    MFN; deleted and unreadable records come with `error` (the importer reports them), locked
    ones (being edited in ИРБИС when copied) with a note."""
    for master in read_master(mst_path):
        base = ParsedRecord(
            number=master.mfn, offset=0, raw=master.raw, flavour="rusmarc", encoding="utf-8"
        )
        if master.deleted or master.record is None:
            base.error = (
                f"deleted in ИРБИС (MFN {master.mfn})"
                if master.deleted
                else f"unreadable (MFN {master.mfn}): {master.error}"
            )
            yield base
            continue
        marc, notes = to_marc(master.record)
        base.record = marc
        base.repairs = [*master.record.errors, *notes]
        if master.locked:
            base.repairs.append(f"locked in ИРБИС (MFN {master.mfn}): imported as last saved")
        yield base
