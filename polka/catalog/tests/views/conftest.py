"""Staff accounts for the editor tests, and stand-ins for the codecs/mappings not yet on main."""

from __future__ import annotations

import importlib

import pytest

from polka.catalog.tests import standins
from polka.interop.marc.record import Field, MarcRecord, Subfield
from polka.org.models import Branch, Role
from polka.org.services import staff_user_create

PASSWORD = "a-long-test-password-7"


def standin_apply_mapped(record: MarcRecord, flavour: str, changes: dict) -> MarcRecord:
    """Writes only the title (245$a): enough for the editor's own tests."""
    fields = [f for f in record.fields if f.tag != "245"]
    if "title" in changes:
        fields.append(Field("245", "10", [Subfield("a", changes["title"])]))
    return MarcRecord(leader=record.leader, fields=fields)


def _has(module: str, name: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


@pytest.fixture(autouse=True)
def editor_standins(monkeypatch: pytest.MonkeyPatch) -> None:
    if not _has("polka.interop.marc.iso2709", "read_iso2709"):
        monkeypatch.setattr("polka.catalog.source.marc_parse_source", standins.standin_parse)
    if not _has("polka.catalog.mapping", "apply_mapped"):
        monkeypatch.setattr(
            "polka.catalog.mapping.apply_mapped", standin_apply_mapped, raising=False
        )


def make_staff(username: str, roles: dict[str, object], at) -> object:
    user, _ = staff_user_create(username=username, password=PASSWORD, roles=roles, at=at)
    return user


@pytest.fixture
def cataloguer(network, at):
    return make_staff("cataloguer", {Role.CATALOGUER: "all"}, at)


@pytest.fixture
def desk(central: Branch, at):
    return make_staff("desk", {Role.DESK: [central]}, at)
