"""Readers from a legacy system: CSV with a mapping and ИРБИС64's RDR; bad rows reported with
their place and reason, the rest imported; a rerun updates, never duplicates."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from polka.consents.models import ConsentRecord
from polka.interop.irbis import read_irbis_text
from polka.readers.models import Reader

pytestmark = pytest.mark.django_db

CSV = """Билет;last_name;first_name;middle_name;birth_date;email;phone;category;home_branch
A-1;Иванова;Анна;Петровна;17.05.1990;anna@example.org;+7 1;взрослый;a
A-2;Петров;Пётр;;1985-01-02;;;student;a
;Без;Билета;;;;;adult;a
A-3;Сидоров;Сидор;;31.02.1990;;;adult;a
A-4;Малыш;Коля;;01.01.2020;;;child;a
A-5;Гость;Гостя;;;;;marsianin;a
"""

RDR = """#10: Кузнецова
#11: Мария
#12: Ивановна
#21: 19700315
#30: R-100
#32: maria@example.org
#13: ^AЭнск^Bул. Мира^C5
#50: пенсионер
*****
#10: Орлов
#30: R-101
*****
#10: Никитин
#11: Олег
#21: 20000101
#30: R-102
#40: ^A12345^D20240101
"""


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("readers-import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "readers.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_csv_rows_import_and_bad_rows_are_reported_with_line_and_reason(branch_a, csv_file):
    out, err = run("--format", "csv", "--map", "Билет=card_number", str(csv_file))
    assert out.strip().splitlines()[-1] == ("read 6, created 2, updated 0, unchanged 0, skipped 4")
    assert "line 4: нет номера билета" in err
    assert "line 5: дата «31.02.1990» не читается" in err
    assert "line 6:" in err and "младше 14 лет" in err
    assert "line 7: неизвестная категория «marsianin»" in err
    anna = Reader.objects.get(card_number="A-1")
    assert (anna.category_id, anna.birth_date.isoformat()) == ("adult", "1990-05-17")
    assert ConsentRecord.objects.filter(reader_link__reader=anna).count() == 1


def test_a_rerun_updates_and_never_duplicates(branch_a, csv_file, tmp_path):
    run("--format", "csv", "--map", "Билет=card_number", str(csv_file))
    changed = tmp_path / "changed.csv"
    changed.write_text(CSV.replace("+7 1", "+7 2"), encoding="utf-8")
    out, _err = run("--format", "csv", "--map", "Билет=card_number", str(changed))
    assert out.strip().splitlines()[-1] == "read 6, created 0, updated 1, unchanged 1, skipped 4"
    assert Reader.objects.count() == 2
    assert Reader.objects.get(card_number="A-1").phone == "+7 2"


def test_dry_run_stores_nothing(branch_a, csv_file):
    out, _err = run("--format", "csv", "--map", "Билет=card_number", "--dry-run", str(csv_file))
    assert "created 2" in out
    assert not Reader.objects.exists()


def test_irbis_rdr_records_import_by_the_rdr_field_layout(branch_a, tmp_path):
    path = tmp_path / "rdr.txt"
    path.write_bytes(RDR.encode("cp1251"))
    out, err = run("--format", "irbis", "--branch", "a", str(path))
    assert out.strip().splitlines()[-1] == "read 3, created 2, updated 0, unchanged 0, skipped 1"
    assert "record 2 (line 10): нет фамилии или имени" in err
    maria = Reader.objects.get(card_number="R-100")
    assert (maria.middle_name, maria.email, maria.category_id) == (
        "Ивановна",
        "maria@example.org",
        "senior",
    )
    assert maria.address == "Энск, ул. Мира, 5"
    assert maria.birth_date.isoformat() == "1970-03-15"


def test_the_irbis_text_reader_reports_lines_that_are_not_fields():
    records = list(read_irbis_text("#10: А\nмусор\n*****\n#10: Б\n"))
    assert [r.text(10) for r in records] == ["А", "Б"]
    assert records[0].errors == ["line 2: not a field: 'мусор'"]


def iso_record(fields: list[tuple[str, str]]) -> bytes:
    """An ISO 2709 record as ИРБИС writes one: data fields without indicators, "^" as 0x1F."""
    bodies = [v.replace("^", "\x1f").encode("utf-8") + b"\x1e" for _tag, v in fields]
    directory, start = b"", 0
    for (tag, _value), body in zip(fields, bodies, strict=True):
        directory += f"{tag}{len(body):04d}{start:05d}".encode()
        start += len(body)
    base = 24 + len(directory) + 1
    length = base + start + 1
    leader = f"{length:05d}nam  22{base:05d}   4500".encode()
    return leader + directory + b"\x1e" + b"".join(bodies) + b"\x1d"


def test_irbis_rdr_in_iso_2709_imports_too(branch_a, tmp_path):
    path = tmp_path / "rdr.iso"
    path.write_bytes(
        iso_record([("010", "Егорова"), ("011", "Ольга"), ("030", "R-200"), ("013", "^AЭнск")])
        + iso_record([("010", "Егоров"), ("011", "Иван"), ("030", "R-201"), ("050", "adult")])
    )
    out, _err = run("--format", "irbis", "--branch", "a", str(path))
    assert out.strip().splitlines()[-1] == "read 2, created 2, updated 0, unchanged 0, skipped 0"
    assert Reader.objects.get(card_number="R-200").address == "Энск"
