"""The tolerant ISO 2709 reader and the writer, on the real files and on records damaged here."""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path

import pymarc
import pytest
from pymarc.marc8 import MARC8ToUnicode

from polka.interop.marc.charsets import _decode_ansel
from polka.interop.marc.iso2709 import (
    Iso2709TooLong,
    Iso2709WriteError,
    iso2709_leader,
    read_iso2709,
    split_records,
    write_iso2709,
)
from polka.interop.marc.record import Field, MarcRecord, Subfield
from polka.interop.tests.marc.files import (
    data_file,
    file_id,
    iso2709_files,
    parsed_file,
    read_bytes,
)

LEADER = "00000nam a2200000 i 4500"  # leader/09 "a": UTF-8
MARC8_LEADER = "00000nam  2200000 i 4500"


def build(fields: list[tuple[str, bytes]], leader: str = LEADER) -> bytes:
    """A well-formed ISO 2709 record from (tag, field bytes without terminator)."""
    directory = b""
    data = b""
    for tag, body in fields:
        directory += f"{tag}{len(body) + 1:04d}{len(data):05d}".encode()
        data += body + b"\x1e"
    base = 24 + len(directory) + 1
    head = f"{base + len(data) + 1:05d}{leader[5:12]}{base:05d}{leader[17:]}".encode()
    return head + directory + b"\x1e" + data + b"\x1d"


FIELDS = [
    ("001", b"rec-1"),
    ("008", b"240101s2024    ru            000 0 rus d"),
    ("245", b"10\x1faTitle one :\x1fbsubtitle /\x1fcAuthor."),
    ("650", b" 0\x1faSubject."),
]


FIELDS_RECORD = [Field(tag="001", data="rec-1")]


def only(data: bytes) -> object:
    records = list(read_iso2709(data))
    assert len(records) == 1
    return records[0]


def reasons(parsed: object) -> list[str]:
    return [repair.split(":", 1)[0] for repair in parsed.repairs]  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", iso2709_files(), ids=file_id)
def test_every_record_of_a_real_file_is_read_or_skipped_with_a_reason(path: Path) -> None:
    data = read_bytes(path)
    parsed = parsed_file(path)
    read = [p for p in parsed if p.record is not None]
    skipped = [p for p in parsed if p.record is None]
    assert len(read) + len(skipped) == len(parsed) > 0
    assert all(p.error for p in skipped)
    assert [p.number for p in parsed] == list(range(1, len(parsed) + 1))
    for p in parsed:
        assert data[p.offset : p.offset + len(p.raw)] == p.raw
    assert len(read) >= len(parsed) - 1


@pytest.mark.parametrize("path", iso2709_files(), ids=file_id)
def test_unrepaired_utf8_records_are_written_back_byte_for_byte(path: Path) -> None:
    for parsed in parsed_file(path):
        if parsed.record is not None and not parsed.repairs and parsed.encoding == "utf-8":
            assert write_iso2709(parsed.record) == parsed.raw


@pytest.mark.parametrize("path", iso2709_files(), ids=file_id)
def test_the_leader_alone_is_the_leader_of_the_written_record(path: Path) -> None:
    for parsed in parsed_file(path):
        if parsed.record is None:
            continue
        for encoding in ("utf-8", "cp1251"):
            try:
                written = write_iso2709(parsed.record, encoding=encoding)
            except Iso2709WriteError as exc:
                with pytest.raises(type(exc)):
                    iso2709_leader(parsed.record, encoding=encoding)
                continue
            leader = iso2709_leader(parsed.record, encoding=encoding)
            assert leader == written[:24].decode("ascii")


def test_the_leader_alone_counts_characters_no_encoding_can_carry_as_written() -> None:
    odd = Field(
        tag="245",
        indicators="1\u00a0",
        subfields=[Subfield("a", "中 \ud800 Ёж"), Subfield("ж", "x")],
    )
    record = MarcRecord(leader=LEADER, fields=[Field(tag="001", data="é\udfff"), odd])
    for encoding in ("utf-8", "cp1251"):
        written = write_iso2709(record, encoding=encoding)
        assert iso2709_leader(record, encoding=encoding) == written[:24].decode("ascii")


def test_the_leader_alone_refuses_what_iso2709_cannot_say() -> None:
    long_field = Field(tag="245", indicators="00", subfields=[Subfield("a", "я" * 5000)])
    with pytest.raises(Iso2709TooLong, match="field 245"):
        iso2709_leader(MarcRecord(leader=LEADER, fields=[long_field]))
    many = [Field(tag="500", indicators="  ", subfields=[Subfield("a", "x" * 9000)])] * 12
    with pytest.raises(Iso2709TooLong, match="record is"):
        iso2709_leader(MarcRecord(leader=LEADER, fields=many))
    with pytest.raises(Iso2709WriteError, match="tag"):
        iso2709_leader(MarcRecord(leader=LEADER, fields=[Field(tag="24", data="x")]))
    with pytest.raises(Iso2709WriteError, match="MARC-8"):
        iso2709_leader(MarcRecord(leader=LEADER, fields=FIELDS_RECORD), encoding="marc-8")


def pymarc_count(data: bytes) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = pymarc.MARCReader(io.BytesIO(data), permissive=True, hide_utf8_warnings=True)
        return sum(1 for record in reader if record is not None)


@pytest.mark.parametrize(
    "relative",
    [
        "pymarc/bad_records.mrc",
        "pymarc/bad_subfield_code.dat",
        "dnb-marc21-rs/tests/data/invalid.mrc",
        "evergreen/oss.marc",
        "qa-catalogue/general/000-line-seperated.mrc",
        "qa-catalogue/marcspec/music.mrc",
    ],
)
def test_damaged_file_yields_more_records_than_pymarc(relative: str) -> None:
    data = read_bytes(data_file(relative))
    ours = sum(1 for p in read_iso2709(data) if p.record is not None)
    assert ours > pymarc_count(data)


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        ("pymarc/bad_indicator.dat", "indicators"),
        ("pymarc/bad_marc8_escape.dat", "broken MARC-8 escape"),
        ("pymarc/utf8_invalid.mrc", None),
    ],
)
def test_damaged_file_pymarc_also_reads_is_read_whole_and_the_damage_reported(
    relative: str, reason: str | None
) -> None:
    # pymarc reads these single records too (silently patching them), so "more" is impossible;
    # what we add is the report.
    data = read_bytes(data_file(relative))
    parsed = list(read_iso2709(data))
    assert all(p.record is not None for p in parsed)
    assert len(parsed) >= pymarc_count(data)
    if reason:
        assert reason in reasons(parsed[0])


def titles(relative: str, tag: str) -> list[str]:
    return [
        value
        for p in read_iso2709(read_bytes(data_file(relative)))
        if p.record is not None
        for value in p.record.values(tag, "a")
    ]


def test_rusmarc_in_cp1251_from_irbis_decodes_to_cyrillic() -> None:
    parsed = list(read_iso2709(read_bytes(data_file("managedirbis/TestData/TEST1.ISO"))))
    assert {p.encoding for p in parsed} == {"cp1251"}
    assert {p.flavour for p in parsed} == {"rusmarc"}
    assert "Задачи и этюды" in titles("managedirbis/TestData/TEST1.ISO", "200")


def test_marc21_in_cp1251_is_detected_and_reported() -> None:
    parsed = list(read_iso2709(read_bytes(data_file("pymarc/1251.dat"))))
    assert {p.encoding for p in parsed} == {"cp1251"}
    assert "charset" in reasons(parsed[0])
    assert "Психологический тренинг с подростками" in titles("pymarc/1251.dat", "245")


def test_encoding_override_wins_and_is_not_a_repair() -> None:
    data = read_bytes(data_file("pymarc/1251.dat"))
    parsed = list(read_iso2709(data, encoding="windows-1251"))
    assert {p.encoding for p in parsed} == {"cp1251"}
    assert not any(p.repairs for p in parsed)


def test_utf8_with_blank_leader_09_is_read_as_utf8() -> None:
    parsed = list(read_iso2709(read_bytes(data_file("evergreen/FSL.marc"))))
    assert {p.encoding for p in parsed} == {"utf-8"}
    assert "Люди с чистой совестью :" in titles("evergreen/FSL.marc", "245")


def test_marc8_diacritics_become_unicode() -> None:
    parsed = list(read_iso2709(read_bytes(data_file("evergreen/lul_fre_100.mrc"))))
    assert {p.encoding for p in parsed} == {"marc-8"}
    text = " ".join(f for p in parsed for f in p.record.values("245", "a"))  # type: ignore[union-attr]
    assert any(ch in text for ch in "éèàç")


@pytest.mark.parametrize(
    ("relative", "flavour"),
    [
        ("managedirbis/TestData/TEST1.ISO", "rusmarc"),
        ("pymarc/testunimarc.dat", "rusmarc"),
        ("qa-catalogue/unimarc/serial.bnr.1993.mrc", "rusmarc"),
        ("qa-catalogue/unimarc/short.firenze.1977.mrc", "marc21"),
        ("evergreen/auth-1066.mrc", "marc21"),
        ("pymarc/test.dat", "marc21"),
    ],
)
def test_flavour_is_told_by_the_tags(relative: str, flavour: str) -> None:
    assert {p.flavour for p in read_iso2709(read_bytes(data_file(relative)))} == {flavour}


def test_a_well_formed_record_needs_no_repair_and_round_trips() -> None:
    raw = build(FIELDS)
    parsed = only(raw)
    assert parsed.repairs == []
    assert parsed.record.values("245", "b") == ["subtitle /"]
    assert parsed.record.control("001") == "rec-1"
    assert write_iso2709(parsed.record) == raw


def test_wrong_record_length_is_repaired_and_reported() -> None:
    raw = build(FIELDS)
    damaged = b"01234" + raw[5:]
    parsed = only(damaged)
    assert parsed.raw == damaged
    assert parsed.repairs == [f"record length: '01234' in leader, actual {len(raw):05d}"]
    assert parsed.record.leader[:5] == f"{len(raw):05d}"
    assert write_iso2709(parsed.record) == raw


def test_wrong_directory_offsets_fall_back_to_field_terminators() -> None:
    raw = bytearray(build(FIELDS))
    raw[24 + 12 * 2 + 7 : 24 + 12 * 2 + 12] = b"00999"  # 245's offset
    raw[24 + 12 * 3 + 3 : 24 + 12 * 3 + 7] = b"0003"  # 650's length
    parsed = only(bytes(raw))
    assert reasons(parsed) == ["directory"]
    assert parsed.record.values("245", "a") == ["Title one :"]
    assert parsed.record.values("650", "a") == ["Subject."]


def test_missing_field_terminator_keeps_both_fields() -> None:
    fields = [(tag, body) for tag, body in FIELDS]
    raw = build(fields)
    # Drop 245's terminator but keep the directory as it was: 650 now starts one byte early.
    end_of_245 = raw.index(b"Author.\x1e") + len(b"Author.")
    damaged = raw[:end_of_245] + raw[end_of_245 + 1 :]
    parsed = only(damaged)
    assert "missing field terminator" in reasons(parsed)
    assert parsed.record.values("245", "c") == ["Author."]
    assert [f.tag for f in parsed.record.fields] == ["001", "008", "245", "650"]
    assert parsed.record.values("650", "a") == ["Subject."]


def test_missing_record_terminator_between_two_records_splits_them() -> None:
    first = build(FIELDS)
    second = build([("001", b"rec-2"), ("245", b"00\x1faSecond.")])
    parsed = list(read_iso2709(first[:-1] + second))
    assert [p.record.control("001") for p in parsed] == ["rec-1", "rec-2"]  # type: ignore[union-attr]
    assert reasons(parsed[0]) == ["missing record terminator"]
    assert parsed[1].repairs == []
    assert parsed[1].offset == len(first) - 1


def test_missing_record_terminator_at_the_end_of_the_file_is_repaired() -> None:
    parsed = only(build(FIELDS)[:-1])
    assert reasons(parsed) == ["missing record terminator"]
    assert parsed.record.values("245", "a") == ["Title one :"]


def test_bad_leader_digits_are_repaired() -> None:
    raw = build(FIELDS)
    damaged = raw[:10] + b"x9" + b"0f0z9" + raw[17:20] + b"99" + raw[22:]
    parsed = only(damaged)
    assert sorted(set(reasons(parsed))) == ["base address", "leader digits"]
    assert parsed.record.leader == raw[:24].decode()
    assert parsed.record.values("650", "a") == ["Subject."]


def test_invalid_utf8_byte_in_one_field_is_replaced_and_the_field_kept() -> None:
    fields = [*FIELDS[:2], ("245", b"10\x1faCaf\xc3\xa9 \xff bar"), FIELDS[3]]
    parsed = only(build(fields))
    assert parsed.encoding == "utf-8"
    assert reasons(parsed) == ["invalid utf-8"]
    assert "245" in parsed.repairs[0]
    assert parsed.record.values("245", "a") == ["Café \ufffd bar"]
    assert parsed.record.values("650", "a") == ["Subject."]


def test_broken_marc8_escape_is_removed_and_reported() -> None:
    fields = [*FIELDS[:2], ("245", b"10\x1faSoci\x1bt\xe2ete.")]
    parsed = only(build(fields, leader=MARC8_LEADER))
    assert parsed.encoding == "marc-8"
    assert reasons(parsed) == ["broken MARC-8 escape"]
    assert parsed.record.values("245", "a") == ["Socitéte."]


def test_line_separated_records_are_all_read() -> None:
    first = build(FIELDS)
    second = build([("001", b"rec-2"), ("245", b"00\x1faSecond.")])
    parsed = list(read_iso2709(first + b"\r\n" + second + b"\n"))
    assert [p.record.control("001") for p in parsed] == ["rec-1", "rec-2"]  # type: ignore[union-attr]
    assert parsed[1].offset == len(first) + 2
    assert parsed[1].raw == second


def test_line_separated_records_without_record_terminators_are_all_read() -> None:
    records = [build([("001", f"rec-{i}".encode()), FIELDS[2]])[:-1] for i in range(3)]
    parsed = list(read_iso2709(b"\n".join(records) + b"\n"))
    assert [p.record.control("001") for p in parsed] == ["rec-0", "rec-1", "rec-2"]  # type: ignore[union-attr]


def test_a_record_with_nothing_readable_is_skipped_with_a_reason() -> None:
    good = build(FIELDS)
    parsed = list(read_iso2709(good + b"garbage that is no record\x1d" + good))
    assert [p.record is None for p in parsed] == [False, True, False]
    assert parsed[1].error and "nothing readable" in parsed[1].error
    assert parsed[2].number == 3


class CountingStream(io.RawIOBase):
    """Yields records forever-ish without holding them, counting what the reader pulled."""

    def __init__(self, record: bytes, count: int) -> None:
        self.record, self.left, self.pulled = record, count, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        per_read = max(1, size // len(self.record)) if size > 0 else self.left
        take = min(per_read, self.left)
        self.left -= take
        self.pulled += take * len(self.record)
        return self.record * take


def test_reading_streams_with_bounded_memory() -> None:
    record = build(FIELDS)
    stream = CountingStream(record, 20_000)
    reader = read_iso2709(stream)  # type: ignore[arg-type]
    first = next(reader)
    assert first.record is not None
    assert stream.pulled < 2 * 1024 * 1024  # not the whole ~3 MB
    rest = sum(1 for _ in reader)
    assert rest == 19_999


def test_records_across_chunk_boundaries_keep_their_offsets() -> None:
    records = [build([("001", f"{i:06d}".encode()), FIELDS[2]]) for i in range(12_000)]
    data = b"".join(records)
    parsed = list(read_iso2709(io.BytesIO(data)))
    assert len(parsed) == 12_000
    assert not any(p.repairs for p in parsed)
    assert parsed[-1].offset == len(data) - len(records[-1])
    assert parsed[-1].record.control("001") == "011999"  # type: ignore[union-attr]


def test_writer_computes_lengths_and_marks_utf8_in_marc21() -> None:
    record = MarcRecord(
        leader="99999cam  2299999 a 4500",
        fields=[
            Field(tag="001", data="x1"),
            Field(tag="245", indicators="00", subfields=[Subfield("a", "Ёлка")]),
        ],
    )
    out = write_iso2709(record)
    assert int(out[:5]) == len(out)
    assert out[9:10] == b"a"
    assert int(out[12:17]) == out.index(b"\x1e") + 1
    back = only(out)
    assert back.repairs == []
    assert back.record.values("245", "a") == ["Ёлка"]


def test_writer_keeps_rusmarc_leader_and_can_write_cp1251() -> None:
    for parsed in read_iso2709(read_bytes(data_file("managedirbis/TestData/TEST1.ISO"))):
        out = write_iso2709(parsed.record, encoding="cp1251")  # type: ignore[arg-type]
        assert out[5:12] == parsed.raw[5:12]
        again = only(out)
        assert again.encoding == "cp1251"
        assert again.record == parsed.record


def rusmarc(fields: list[tuple[str, bytes]]) -> bytes:
    return build(fields, leader="00000nam0 2200000   450 ")


RUS_TITLE = "Война и мир".encode("cp1251")


def test_marc21_saying_utf8_but_holding_cp1251_is_read_as_cp1251() -> None:
    parsed = only(build([FIELDS[0], ("245", b"10\x1fa" + RUS_TITLE)]))
    assert parsed.encoding == "cp1251"
    assert reasons(parsed) == ["charset"]
    assert parsed.record.values("245", "a") == ["Война и мир"]


def test_utf8_cyrillic_with_one_bad_byte_stays_utf8_and_only_that_field_is_repaired() -> None:
    fields = [
        FIELDS[0],
        ("245", "10\x1faВойна и мир".encode()),
        ("500", "  \x1faПримечание ".encode() + b"\xff"),
    ]
    parsed = only(build(fields, leader=MARC8_LEADER))
    assert parsed.encoding == "utf-8"
    assert reasons(parsed) == ["charset", "invalid utf-8"]
    assert parsed.record.values("245", "a") == ["Война и мир"]
    assert parsed.record.values("500", "a") == ["Примечание \ufffd"]


@pytest.mark.parametrize(
    ("field_100", "repaired"),
    [
        (b"  \x1fa19980716d1997    u  y0rusy0189    ca", False),  # 89: Windows-1251
        (b"  \x1fa19980716d1997    u  y0rusy50      ca", True),  # says UTF-8, is not
        (None, True),  # no field 100 at all
    ],
)
def test_rusmarc_charset_comes_from_field_100_unless_the_bytes_disagree(
    field_100: bytes | None, repaired: bool
) -> None:
    fields = [("001", b"x"), ("200", b"1 \x1fa" + RUS_TITLE), ("101", b"0 \x1farus")]
    if field_100 is not None:
        fields.insert(1, ("100", field_100))
    parsed = only(rusmarc(fields))
    assert (parsed.flavour, parsed.encoding) == ("rusmarc", "cp1251")
    assert parsed.record.values("200", "a") == ["Война и мир"]
    assert ("charset" in reasons(parsed)) is repaired


def test_rusmarc_in_utf8_round_trips_with_its_leader_untouched() -> None:
    raw = rusmarc([("001", b"x"), ("200", "1 \x1faВойна и мир".encode())])
    parsed = only(raw)
    assert (parsed.flavour, parsed.encoding, parsed.repairs) == ("rusmarc", "utf-8", [])
    assert write_iso2709(parsed.record) == raw


def test_fields_stored_out_of_directory_order_are_read_without_repair() -> None:
    raw = build(FIELDS)
    directory_end = raw.index(b"\x1e")
    entries = [raw[24 + i : 24 + i + 12] for i in range(0, directory_end - 24, 12)]
    reordered = raw[:24] + b"".join(reversed(entries)) + raw[directory_end:]
    parsed = only(reordered)
    assert parsed.repairs == []
    assert [f.tag for f in parsed.record.fields] == ["650", "245", "008", "001"]


def test_data_the_directory_does_not_mention_is_reported() -> None:
    raw = build(FIELDS)
    directory_end = raw.index(b"\x1e")
    without_650 = raw[:24] + raw[24 : directory_end - 12] + raw[directory_end:]
    parsed = only(without_650)
    assert "data area" in reasons(parsed)
    assert [f.tag for f in parsed.record.fields] == ["001", "008", "245"]


def test_fast_marc8_decoding_gives_what_pymarc_gives_on_every_real_field() -> None:
    compared = 0
    for path in iso2709_files():
        for _offset, raw, _repairs in split_records(io.BytesIO(read_bytes(path))):
            for field in raw.split(b"\x1e")[1:]:
                if b"\x1b" in field or field.isascii():
                    continue
                with contextlib.redirect_stderr(io.StringIO()):
                    expected = "\x1f".join(
                        MARC8ToUnicode().translate(piece) for piece in field.split(b"\x1f")
                    )
                assert _decode_ansel(field, "", []) == expected
                compared += 1
    assert compared > 4000
