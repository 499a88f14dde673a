"""Third-party clients against the running server: Debian's yaz-client speaks SRU to /sru, the
PyPI Sickle harvester harvests /oai while the catalogue changes under it."""

from __future__ import annotations

import datetime as dt

import pytest
from sickle import Sickle

from polka.catalog.importing import catalog_import
from polka.catalog.models import Record
from polka.catalog.services import record_update
from polka.catalog.source import read_source
from polka.protocols import oai
from polka.protocols.tests.conftest import need_program, run_client
from polka.shared_data import marc_data_dir

pytestmark = pytest.mark.django_db(transaction=True)


def test_yaz_client_searches_shows_and_scans_over_sru(live_server, catalogue):
    yaz = need_program("yaz-client", "yaz")
    out = run_client(
        yaz,
        f"open {live_server.url}/sru\n"
        "sru get 1.2\n"
        "querytype cql\n"
        "find dc.title = земной\n"
        "show 1\n"
        'find dc.creator = "поволяев" and bath.isbn = 5-268-00066-7\n'
        "find dc.title = (война\n"
        "scan dc.title = вдоль\n"
        "quit\n",
    )
    assert out.count("Number of hits: 1") == 3, out  # find, show, the second find
    assert '<record xmlns="http://www.loc.gov/MARC21/slim">' in out
    assert "Вдоль земного шара" in out
    assert "SRW diagnostic info:srw/diagnostic/1/10" in out
    assert "\nвдоль: " in out


def test_yaz_client_speaks_sru_2_0_too(live_server, catalogue):
    yaz = need_program("yaz-client", "yaz")
    out = run_client(
        yaz,
        f"open {live_server.url}/sru\nsru get 2.0\nquerytype cql\n"
        # The second: a surname in the genitive, found by its name key as on the search page.
        "find dc.creator = поволяев\nfind dc.creator = дьяконова\nquit\n",
    )
    assert out.count("Number of hits: 1") == 2, out


def test_sickle_harvests_every_record_exactly_once_while_records_are_added(
    live_server, catalogue, cataloguer, monkeypatch
):
    monkeypatch.setattr(oai, "PAGE_SIZE", 20)
    harvester = Sickle(f"{live_server.url}/oai", max_retries=0, timeout=30)
    seen: list[str] = []
    changed = False
    for record in harvester.ListRecords(metadataPrefix="marcxml", ignore_deleted=False):
        seen.append(record.header.identifier)
        if len(seen) == 30 and not changed:
            # Mid-harvest: new records arrive, one harvested and one not yet harvested change.
            changed = True
            rda = marc_data_dir() / "evergreen" / "RDA"
            catalog_import(paths=sorted(rda.glob("*.mrc"))[:3], at=dt.datetime.now(dt.UTC))
            ids = list(Record.objects.order_by("pk").values_list("pk", flat=True))
            for pk in (ids[3], ids[100]):
                record_obj = Record.objects.get(pk=pk)
                record_update(
                    record=record_obj,
                    marc=read_source(record_obj),
                    by=cataloguer,
                    at=dt.datetime.now(dt.UTC),
                )
    assert changed
    everything = [f"oai:polka.library:{pk}" for pk in Record.objects.values_list("pk", flat=True)]
    assert len(everything) == 136
    assert sorted(seen) == sorted(everything)  # every record, the new ones too, exactly once
