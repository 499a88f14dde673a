"""A catalogue from real files of ../shared/data/marc: MARC21 in Cyrillic (evergreen/FSL.marc,
52 records) and RUSMARC in CP1251 (managedirbis TEST1.ISO, 81 records), imported the way a
cataloguer imports them, with their copies in the central library."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from lxml import etree

from polka.catalog.importing import catalog_import
from polka.catalog.models import Record
from polka.catalog.services import item_add
from polka.org.models import Branch, BranchKind, Network, Role
from polka.org.services import staff_user_create
from polka.shared_data import marc_data_dir

User = get_user_model()
AT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
FILES = ("evergreen/FSL.marc", "managedirbis/TestData/TEST1.ISO")


COPIES = 20  # the first records get a copy in the central library (the files carry none)


def import_catalogue(at: dt.datetime = AT) -> None:
    network = Network.objects.create(name="ЦБС")
    central = Branch.objects.create(
        network=network, code="central", name="Центральная библиотека", kind=BranchKind.CENTRAL
    )
    user, _ = staff_user_create(
        username="cataloguer",
        password="a-long-test-password-7",
        roles={Role.CATALOGUER: "all"},
        at=at,
    )
    catalog_import(paths=[marc_data_dir() / name for name in FILES], at=at, branch="central")
    for number, record in enumerate(Record.objects.order_by("pk")[:COPIES]):
        item_add(record=record, branch=central, barcode=f"2000{number:04d}", by=user, at=at)


@pytest.fixture
def catalogue(db: None) -> list[Record]:
    import_catalogue()
    return list(Record.objects.order_by("pk"))


@pytest.fixture
def cataloguer(catalogue: list[Record]) -> object:
    return User.objects.get(username="cataloguer")


def xml(body: bytes) -> etree._Element:
    return etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))


def need_program(name: str, package: str) -> str:
    """The program's path; a missing one skips locally and fails on CI (make test installs it)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is missing: apt-get install {package} (make test installs it)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


def run_client(program: str, commands: str, timeout: float = 30) -> str:
    done = subprocess.run(
        [program], input=commands, capture_output=True, text=True, timeout=timeout, check=False
    )
    return done.stdout + done.stderr
