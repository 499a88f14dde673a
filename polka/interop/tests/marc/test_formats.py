"""read_any on every real MARC file: the container is detected, and nothing goes unaccounted."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from polka.interop.marc import read_any, sniff_format
from polka.interop.tests.marc.files import data_dir, data_file, file_id, marc_files, parsed_file


def pymarc_counts() -> dict[str, int]:
    """Records pymarc 5.4 parsed per file, as the data's COUNTS.txt records them."""
    counts = {}
    for line in (data_dir() / "COUNTS.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[0].isdigit():
            counts[parts[-1].removeprefix("./")] = int(parts[0])
    return counts


@pytest.mark.parametrize("path", marc_files(), ids=file_id)
def test_every_real_file_is_read_and_read_plus_skipped_adds_up(path: Path) -> None:
    parsed = parsed_file(path)
    read = sum(1 for p in parsed if p.record is not None)
    skipped = [p for p in parsed if p.record is None]
    assert read + len(skipped) == len(parsed)
    assert all(p.error for p in skipped), "every skipped record says why"
    assert [p.number for p in parsed] == list(range(1, len(parsed) + 1))
    assert read >= pymarc_counts().get(file_id(path), 0)
    assert read > 0


def test_every_file_in_the_counts_is_covered() -> None:
    listed = {file_id(path) for path in marc_files()}
    assert set(pymarc_counts()) - listed <= {"qa-catalogue/picaxml/pica.xml"}


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"01234nam a2200", "x.bin", "iso2709"),
        (b"\xef\xbb\xbf<?xml version='1.0'?>", "x.mrc", "marcxml"),
        (b'  [{"leader": ', "x", "marcjson"),
        (b"", "records.json", "marcjson"),
        (b"", "records.xml.gz", "marcxml"),
    ],
)
def test_container_is_sniffed_from_first_bytes_then_name(
    head: bytes, name: str, expected: str
) -> None:
    assert sniff_format(head, name) == expected


def test_streams_and_gzip_streams_are_read_like_files() -> None:
    data = data_file("pymarc/test.dat").read_bytes()
    plain = [p.record for p in read_any(io.BytesIO(data))]
    zipped = [p.record for p in read_any(io.BytesIO(gzip.compress(data)))]
    assert len(plain) == 10
    assert plain == zipped


def test_format_override_wins_over_sniffing() -> None:
    parsed = list(read_any(data_file("pymarc/test.dat"), format="marcxml"))
    assert parsed[-1].record is None
    assert parsed[-1].error


def test_encoding_override_reaches_iso2709() -> None:
    parsed = list(read_any(data_file("pymarc/1251.dat"), encoding="cp1251"))
    assert {p.encoding for p in parsed} == {"cp1251"}
