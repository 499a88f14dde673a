"""Pages drawn afresh for visitors who are not signed in name the network (the header, the
footer, the social card): it is read once per content generation and process, and a change to
it is a new generation, so the next page drawn shows it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polka.catalog.models import Record
from polka.org.models import Network
from polka.org.selectors import network_in_generation
from polka.org.services import network_update


@pytest.fixture
def demo(db: None, settings) -> None:
    settings.POLKA_PAGE_CACHE_SECONDS = 60
    cache.clear()
    call_command("demo", "--records", "30", stdout=StringIO())


def _network_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum('FROM "org_network"' in q["sql"] for q in queries.captured_queries)


def test_two_pages_drawn_in_one_generation_read_the_network_once(client, demo) -> None:
    first, second, third = (
        f"/catalog/records/{pk}/" for pk in Record.objects.values_list("pk", flat=True)[:3]
    )
    assert _network_queries(client, first) == 1
    assert _network_queries(client, second) == 0

    network = Network.objects.get()
    network_update(network=network, by=None, at=timezone.now(), name="Сеть библиотек города N")
    assert _network_queries(client, third) == 1
    assert "Сеть библиотек города N" in client.get(first).content.decode()


def test_without_a_generation_the_network_is_read_each_time(demo) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert network_in_generation(None) == network_in_generation(None)
    assert len(queries.captured_queries) == 2
    with CaptureQueriesContext(connection) as queries:
        assert network_in_generation("a") == network_in_generation("a")
        network_in_generation("b")
    assert len(queries.captured_queries) == 2
