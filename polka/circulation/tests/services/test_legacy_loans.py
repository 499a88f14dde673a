"""Open loans carried over from ИРБИС64 (field 40 of the reader database) by
`polka readers-import --format irbis`: each entry opens a loan, a bad one is reported by its
record and position while the rest import, a rerun changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from polka.catalog.models import Item, ItemStatus
from polka.circulation.models import Event, Fact, Loan, LoanState
from polka.circulation.tests.conftest import make_item, make_record

pytestmark = pytest.mark.django_db

RDR = """#10: Кузнецова
#11: Мария
#30: R-100
#40: ^GIBIS^AШ1^B111^C1 экз.^D20261101^E20261201^F******^Iadmin
#40: ^GIBIS^AШ2^HB-222^D20261020^E20261120^F******
#40: ^GIBIS^AШ3^B333^D20260901^E20261001^F20260915
#40: ^CПосещение^D20261105
#40: ^GIBIS^B999^D20261101^E20261201^F******
#40: ^GIBIS^B111^Dвчера^E20261201^F******
*****
#10: Орлов
#11: Пётр
#30: R-101
#40: ^GIBIS^HB-222^D20261101^E20261201^F******
"""


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("readers-import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_open_loans_of_field_40_import_and_bad_entries_are_reported_by_position(branch_a, tmp_path):
    record = make_record()
    first = make_item(record, branch_a, inventory_number="111")
    second = make_item(record, branch_a, barcode="B-222")
    returned = make_item(record, branch_a, inventory_number="333")
    path = tmp_path / "rdr.txt"
    path.write_bytes(RDR.encode("cp1251"))
    out, err = run("--format", "irbis", "--branch", "a", str(path))
    lines = out.strip().splitlines()
    assert lines[-2:] == [
        "loans opened 2, refused 3",
        "read 2, created 2, updated 0, unchanged 0, skipped 0",
    ]
    assert "record 1 (line 1): выдача (поле 40, №5): экземпляра 999 нет в каталоге" in err
    assert "record 1 (line 1): выдача (поле 40, №6): дата выдачи «вчера» не читается" in err
    assert "record 2 (line 11): выдача (поле 40, №1): экземпляр B-222 уже выдан" in err
    loans = {loan.item_id: loan for loan in Loan.objects.all()}
    assert set(loans) == {first.pk, second.pk}
    assert loans[first.pk].reader.card_number == "R-100"
    assert (loans[first.pk].lent_at.date().isoformat(), loans[first.pk].due_on.isoformat()) == (
        "2026-11-01",
        "2026-12-01",
    )
    assert all(loan.state == LoanState.ACTIVE for loan in loans.values())
    assert Item.objects.get(pk=first.pk).status == ItemStatus.ON_LOAN
    assert Item.objects.get(pk=returned.pk).status == ItemStatus.AVAILABLE
    assert Event.objects.filter(action="checkout").count() == 2
    assert not Fact.objects.exists()  # the legacy system counted these loans already
    out, _err = run("--format", "irbis", "--branch", "a", str(path))
    assert out.strip().splitlines()[-2] == "loans opened 0, refused 3"
    assert Loan.objects.count() == 2


ISTU = Path("/work/shared/data/marc/managedirbis/TestData/Irbis64/Datai/ISTU/istu.mst")


@pytest.mark.skipif(not ISTU.exists(), reason="the shared ИРБИС samples are not on this machine")
def test_a_master_file_is_read_and_records_without_a_card_are_reported_by_mfn(branch_a):
    # A catalogue database, not RDR: every record is read from the .MST and reported.
    out, err = run("--format", "irbis", "--branch", "a", str(ISTU))
    summary = out.strip().splitlines()[-1]
    assert summary.startswith("read ") and summary.endswith(
        f"created 0, updated 0, unchanged 0, skipped {summary.split()[1].rstrip(',')}"
    )
    assert "MFN 1: " in err
