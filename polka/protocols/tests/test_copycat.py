"""Copy cataloguing against a real remote catalogue: a local Zebra loaded with the MARC21 file
evergreen/FSL.marc (Cyrillic), searched over SRU and over Z39.50 (yaz-client), beside a target
that times out and one that answers garbage; the chosen record is imported through the file
import or put in place of a local record."""

from __future__ import annotations

import datetime as dt
import http.server
import socket
import subprocess
import threading
from collections.abc import Iterator

import pytest
from django.urls import reverse

from polka.catalog.importing import ImportSummary
from polka.catalog.models import Record
from polka.org.errors import NotPermitted
from polka.org.models import Role
from polka.org.services import staff_user_create
from polka.protocols.copycat import CopyQuery, copy_import, copy_query_for, copy_search
from polka.protocols.models import CopyProtocol, CopyTarget
from polka.protocols.tests.conftest import need_program
from polka.protocols.zebra import MISSING, zebra_installed, zebra_start
from polka.shared_data import marc_data_dir

AT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
QUERY = CopyQuery(title="вдоль земного шара")


@pytest.fixture(scope="module")
def zebra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    need_program("zebrasrv", "idzebra-2.0 libidzebra-2.0-mod-dom")
    if not zebra_installed():
        pytest.skip(MISSING)
    dump = need_program("yaz-marcdump", "yaz")
    folder = tmp_path_factory.mktemp("zebra")
    records = folder / "records.xml"
    with records.open("wb") as out:
        subprocess.run(
            [dump, "-i", "marc", "-o", "marcxml", str(marc_data_dir() / "evergreen/FSL.marc")],
            stdout=out,
            check=True,
        )
    server, port = zebra_start(folder / "db", records)
    yield port
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="module")
def garbage() -> Iterator[int]:
    class Garbage(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html>not SRU at all")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


@pytest.fixture(scope="module")
def silent() -> Iterator[int]:
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def target(name: str, protocol: str, address: str, timeout: int = 10) -> CopyTarget:
    return CopyTarget.objects.create(name=name, protocol=protocol, address=address, timeout=timeout)


@pytest.fixture
def cataloguer(db: None) -> object:
    user, _ = staff_user_create(
        username="cataloguer", password="a-long-test-password-7",
        roles={Role.CATALOGUER: "all"}, at=AT,
    )  # fmt: skip
    return user


def test_sru_and_z3950_find_the_same_record_while_bad_targets_say_what_went_wrong(
    db, zebra, garbage, silent
):
    targets = [
        target("Zebra SRU", CopyProtocol.SRU, f"http://127.0.0.1:{zebra}/Default"),
        target("Zebra Z39.50", CopyProtocol.Z3950, f"127.0.0.1:{zebra}/Default"),
        target("Мусор", CopyProtocol.SRU, f"http://127.0.0.1:{garbage}/sru"),
        target("Молчун", CopyProtocol.SRU, f"http://127.0.0.1:{silent}/sru", timeout=2),
        target("Нет такого", CopyProtocol.Z3950, "127.0.0.1:1/Default", timeout=5),
    ]
    sru, z3950, bad, mute, gone = copy_search(targets=targets, query=QUERY)
    for answer in (sru, z3950):
        assert answer.error == "", answer.error
        assert answer.hits == 1
        assert "Вдоль земного шара" in answer.records[0].preview
    assert sru.records[0].preview == z3950.records[0].preview
    assert bad.error == "Мусор: ответ не SRU." and bad.records == []
    assert mute.error == "Молчун не ответил за 2 с."
    assert gone.error and gone.records == []


def test_a_remote_record_is_imported_as_a_new_record_through_the_file_import(db, zebra, cataloguer):
    sru = CopyTarget(name="Zebra", protocol=CopyProtocol.SRU,
                     address=f"http://127.0.0.1:{zebra}/Default")  # fmt: skip
    chosen = copy_search(targets=[sru], query=QUERY)[0].records[0]
    summary = copy_import(record=chosen, by=cataloguer, at=AT)
    assert isinstance(summary, ImportSummary)
    record = Record.objects.get()
    assert record.title.startswith("Вдоль земного шара")
    assert record.import_run_id == summary.run_id


def test_a_remote_record_replaces_a_local_one_keeping_the_version_before(db, zebra, cataloguer):
    z3950 = CopyTarget(name="Zebra", protocol=CopyProtocol.Z3950,
                       address=f"127.0.0.1:{zebra}/Default")  # fmt: skip
    local = Record.objects.create(format="marc21", source=b"", title="Вдоль", created_at=AT,
                                  updated_at=AT)  # fmt: skip
    chosen = copy_search(targets=[z3950], query=QUERY)[0].records[0]
    replaced = copy_import(record=chosen, by=cataloguer, at=AT, replace=local)
    assert isinstance(replaced, Record) and replaced.pk == local.pk
    assert replaced.title.startswith("Вдоль земного шара")
    assert local.revisions.count() >= 1


def test_only_a_cataloguer_may_import(db, zebra, cataloguer):
    desk, _ = staff_user_create(
        username="desk", password="a-long-test-password-7", roles={Role.DESK: "all"}, at=AT
    )
    sru = CopyTarget(name="Zebra", protocol=CopyProtocol.SRU,
                     address=f"http://127.0.0.1:{zebra}/Default")  # fmt: skip
    chosen = copy_search(targets=[sru], query=QUERY)[0].records[0]
    with pytest.raises(NotPermitted):
        copy_import(record=chosen, by=desk, at=AT)
    assert not Record.objects.exists()


def test_nothing_is_asked_for_an_empty_query(db):
    assert copy_search(targets=[CopyTarget(name="x", protocol="sru", address="http://x")],
                       query=CopyQuery()) == []  # fmt: skip


def test_the_copy_page_searches_previews_and_imports_for_a_cataloguer_only(
    client, zebra, garbage, cataloguer
):
    zebra_target = target("Zebra SRU", CopyProtocol.SRU, f"http://127.0.0.1:{zebra}/Default")
    target("Мусор", CopyProtocol.SRU, f"http://127.0.0.1:{garbage}/sru")
    desk, _ = staff_user_create(
        username="desk", password="a-long-test-password-7", roles={Role.DESK: "all"}, at=AT
    )
    client.force_login(desk)
    assert client.get("/staff/catalog/copy/").status_code == 403
    client.force_login(cataloguer)
    page = client.get("/staff/catalog/copy/", {"title": "вдоль земного шара"}).content.decode()
    assert "Вдоль земного шара" in page and "Мусор: ответ не SRU." in page
    done = client.post(
        "/staff/catalog/copy/",
        {"target": zebra_target.pk, "number": 1, "title": "вдоль земного шара"},
    )
    record = Record.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/catalog/records/{record.pk}/"


def test_the_record_editor_opens_copy_cataloguing_for_its_record(client, zebra, cataloguer):
    """From the record editor: the search is prefilled from the record (its ISBN, else its
    title) and runs at once; the chosen record may replace it or enter as a new one."""
    zebra_target = target("Zebra SRU", CopyProtocol.SRU, f"http://127.0.0.1:{zebra}/Default")
    local = Record.objects.create(format="marc21", source=b"", title="Вдоль земного шара",
                                  created_at=AT, updated_at=AT)  # fmt: skip
    client.force_login(cataloguer)
    editor = client.get(reverse("catalog-staff:marc", args=[local.pk])).content.decode()
    link = f'href="/staff/catalog/copy/?record={local.pk}"'
    assert link in editor and "Найти во внешних каталогах" in editor
    page = client.get("/staff/catalog/copy/", {"record": local.pk}).content.decode()
    assert 'value="Вдоль земного шара"' in page  # the title field, prefilled
    assert "Найдена 1 запись." in page and "Заменить локальную запись" in page
    assert f'name="record" value="{local.pk}"' in page
    # "Import as new" leaves the local record alone.
    form = {"target": zebra_target.pk, "number": 1, "title": "Вдоль земного шара"}
    client.post("/staff/catalog/copy/", form)
    assert Record.objects.count() == 2 and local.revisions.count() == 0
    done = client.post("/staff/catalog/copy/", {**form, "record": local.pk})
    assert done["Location"] == f"/catalog/records/{local.pk}/"
    local.refresh_from_db()
    assert local.revisions.count() == 1 and local.source and local.import_run_id is None


def test_the_copy_query_for_a_record_is_its_isbn_else_its_title():
    with_isbn = Record(title="Война и мир", isbns=["978-5-389-06256-6", "5-17-009599-7"])
    assert copy_query_for(with_isbn) == CopyQuery(isbn="978-5-389-06256-6")
    assert copy_query_for(Record(title="Война и мир", isbns=[])) == CopyQuery(title="Война и мир")
