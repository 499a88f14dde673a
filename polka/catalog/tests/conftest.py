from __future__ import annotations

import datetime as dt
import importlib.util

import pytest

from polka.catalog.tests import standins
from polka.org import services as org_services
from polka.org.models import Branch, BranchKind, Network

AT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def _real(module: str, name: str) -> bool:
    try:
        spec = importlib.util.find_spec(module)
    except ModuleNotFoundError:
        return False
    return spec is not None and hasattr(importlib.import_module(module), name)


@pytest.fixture(autouse=True)
def marc_codecs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the real codecs and mappings when they are on main, small stand-ins until then."""
    from polka.catalog import marcio

    if not _real("polka.catalog.mapping", "map_record"):
        monkeypatch.setattr(marcio, "marc_map", standins.standin_map)
        monkeypatch.setattr("polka.catalog.services.marc_map", standins.standin_map)
        monkeypatch.setattr("polka.catalog.importing.marc_map", standins.standin_map)
    if not _real("polka.interop.marc.iso2709", "write_iso2709"):
        monkeypatch.setattr("polka.catalog.services.marc_serialise", standins.standin_serialise)
        monkeypatch.setattr("polka.catalog.services.marc_parse_source", standins.standin_parse)


@pytest.fixture
def at() -> dt.datetime:
    return AT


@pytest.fixture
def network(db: None) -> Network:
    return org_services.network_create(name="ЦБС города N", at=AT)


def make_branch(network: Network, code: str, short_name: str, kind: str) -> Branch:
    return Branch.objects.create(
        network=network,
        code=code,
        name=f"Библиотека {short_name}",
        short_name=short_name,
        kind=kind,
    )


@pytest.fixture
def central(network: Network) -> Branch:
    return make_branch(network, "central", "ЦБ", BranchKind.CENTRAL)


@pytest.fixture
def branch2(network: Network) -> Branch:
    return make_branch(network, "f2", "Ф2", BranchKind.BRANCH)
