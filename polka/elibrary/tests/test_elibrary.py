"""E-books from platform files, the login register under consent, e-loan reports, and the
local-history OPDS catalogue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from polka.catalog.models import Record
from polka.consents.models import ConsentRecord
from polka.elibrary import services
from polka.elibrary.errors import AlreadyRequested, FileUnreadable
from polka.elibrary.models import Ebook, Eloan, Platform
from polka.org.models import Role
from polka.org.services import staff_user_create
from polka.readers.services import CONSENT_PERSONAL_DATA, reader_register
from polka.search.backends import get_backend
from polka.search.backends.base import SearchRequest

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def librarian(branch_a, now):
    user, _ = staff_user_create(username="lib", roles={Role.CATALOGUER: "all"}, at=now)
    return user


@pytest.fixture
def platform():
    return Platform.objects.create(
        slug="litres", name="ЛитРес: Библиотека", site_url="https://platform.example/"
    )


@pytest.fixture
def reader(branch_a, now):
    return reader_register(
        card_number="A-1", last_name="Иванова", first_name="Мария", home_branch=branch_a,
        email="m@example.org", consents=[CONSENT_PERSONAL_DATA], at=now,
    )  # fmt: skip


def test_onix_books_become_searchable_ebooks_with_read_links_and_bad_products_are_reported(
    librarian, platform, now
):
    report = services.ebooks_import(
        platform=platform,
        data=(DATA / "onix.xml").read_bytes(),
        format="onix",
        by=librarian,
        at=now,
    )
    assert (report.created, report.updated) == (1, 0)
    assert [p.split(":")[0] for p in report.problems] == ["№ 2", "№ 3"]
    record = Record.objects.get()
    assert record.material_type == "ebook" and record.year == 2020
    assert {
        "url": "https://platform.example/book/1001",
        "label": "Читать на «ЛитРес: Библиотека»",
    } in record.links
    results = get_backend().query(SearchRequest(text="капитанская дочка", filters={"ebook": ["1"]}))
    assert [h.record_id for h in results.hits] == [record.pk]
    again = services.ebooks_import(
        platform=platform,
        data=(DATA / "onix.xml").read_bytes(),
        format="onix",
        by=librarian,
        at=now,
    )
    assert (again.created, again.updated) == (0, 1) and Record.objects.count() == 1


def test_opds_feeds_import_too(librarian, platform, now):
    report = services.ebooks_import(
        platform=platform,
        data=(DATA / "opds.xml").read_bytes(),
        format="opds",
        by=librarian,
        at=now,
    )
    assert report.created == 1 and len(report.problems) == 1
    ebook = Ebook.objects.get()
    assert ebook.read_url == "https://platform.example/read/77" and ebook.record.isbns
    with pytest.raises(FileUnreadable):
        services.ebooks_import(
            platform=platform, data=b"<not xml", format="opds", by=librarian, at=now
        )


def test_the_login_register_records_consent_issuer_and_revocation(librarian, platform, reader, now):
    access = services.access_request(
        platform=platform, reader=reader, at=now, ip_address="192.0.2.4"
    )
    consent = ConsentRecord.objects.get(pk=access.consent_id)
    assert (consent.purpose, consent.ip_address) == ("platform_transfer", "192.0.2.4")
    with pytest.raises(AlreadyRequested):
        services.access_request(platform=platform, reader=reader, at=now)
    access = services.login_issue(access=access, login="reader-a1", by=librarian, at=now)
    assert (access.state, access.login, access.issued_by) == ("issued", "reader-a1", librarian)
    services.login_revoke(access=access, by=librarian, at=now)
    access.refresh_from_db()
    assert access.revoked_at is not None


def test_eloan_reports_match_logins_and_books_and_bad_lines_are_reported(
    librarian, platform, reader, now
):
    services.ebooks_import(
        platform=platform,
        data=(DATA / "onix.xml").read_bytes(),
        format="onix",
        by=librarian,
        at=now,
    )
    access = services.access_request(platform=platform, reader=reader, at=now)
    services.login_issue(access=access, login="reader-a1", by=librarian, at=now)
    report_csv = (
        "Дата;Логин;ISBN;Название\n"
        "2026-11-02;reader-a1;978-5-17-123456-0;Капитанская дочка\n"
        "вчера;reader-a1;;Без даты\n"
        "03.11.2026;someone;;Чужая книга\n"
    ).encode()
    report = services.eloans_import(platform=platform, data=report_csv, by=librarian, at=now)
    assert report.created == 2 and report.problems == ["строка 3: нет даты или логина"]
    loan = Eloan.objects.get(platform_login="reader-a1")
    assert loan.login == access and loan.record is not None
    again = services.eloans_import(platform=platform, data=report_csv, by=librarian, at=now)
    assert again.created == 0
    assert (
        services.remote_loans_count(
            period_start=dt.date(2026, 11, 1), period_end=dt.date(2026, 11, 30)
        )
        == 2
    )


def test_the_local_history_collection_has_an_opds_catalogue(client, librarian, now):
    pdf = SimpleUploadedFile(
        "doc.pdf",
        b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
        content_type="application/pdf",
    )
    services.local_document_add(
        by=librarian, at=now, title="Светлоярск в 1950-е годы", author="Краеведческий отдел",
        year=1957, subject="История города", description="Фотоальбом", file=pdf,
    )  # fmt: skip
    home = client.get("/").content.decode()
    assert 'type="application/atom+xml;profile=opds-catalog"' in home
    root = client.get(reverse("elibrary:opds"))
    assert "kind=navigation" in root["Content-Type"]
    parsed = feedparser.parse(root.content)
    assert not parsed.bozo and [e.title for e in parsed.entries] == [
        "Новые поступления",
        "История города",
    ]
    tree = etree.fromstring(root.content)
    rels = {link.get("rel") for link in tree.findall(f"{ATOM}link")}
    assert {"self", "start"} <= rels
    subsection = tree.find(f"{ATOM}entry/{ATOM}link")
    assert subsection.get("rel") == "subsection" and "kind=acquisition" in subsection.get("type")
    new = client.get(reverse("elibrary:opds-new"))
    entry = etree.fromstring(new.content).find(f"{ATOM}entry")
    acquisition = [
        link for link in entry.findall(f"{ATOM}link")
        if link.get("rel") == "http://opds-spec.org/acquisition/open-access"
    ]  # fmt: skip
    assert acquisition and acquisition[0].get("type") == "application/pdf"
    assert feedparser.parse(new.content).entries[0].title == "Светлоярск в 1950-е годы"


def test_a_reader_requests_access_by_card_number(client, platform, reader):
    form = {"platform": platform.pk, "card_number": "A-1", "last_name": "иванова", "consent": "on"}
    response = client.post(reverse("elibrary:index"), form)
    assert response.status_code == 302
    wrong = client.post(reverse("elibrary:index"), {**form, "card_number": "Z-9"})
    assert "не найден" in wrong.content.decode()


def test_a_readers_platform_logins_are_in_their_export_and_go_with_their_erasure(
    platform, reader, now
):
    from polka.readers.selectors import reader_export
    from polka.readers.services import reader_erase

    services.access_request(platform=platform, reader=reader, at=now)
    rows = reader_export(reader=reader, at=now)["sections"]["elibrary_logins"]
    assert [r["platform"] for r in rows] == ["ЛитРес: Библиотека"]
    erasure = reader_erase(reader=reader, at=now, by=None)
    assert erasure.removed["elibrary.PlatformLogin"] == 1
    assert not ConsentRecord.objects.exists()
