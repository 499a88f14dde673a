"""PostgreSQL's health check (polka.core.postgresql): an idle connection is reused without a
round trip, and one the server has closed is not reused; a page's queries get no parallel
workers."""

from __future__ import annotations

import time

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif("connection.vendor != 'postgresql'"),
    # Autocommit between statements, as between two requests (a test transaction is not idle).
    pytest.mark.django_db(transaction=True),
]


def test_an_idle_connection_is_found_usable_without_asking_the_server(monkeypatch):
    connection.ensure_connection()

    def no_round_trip(*args: object, **kwargs: object) -> None:
        raise AssertionError("the health check asked the server")

    monkeypatch.setattr(connection.connection, "cursor", no_round_trip)
    assert connection.is_usable()


def test_a_connection_the_server_closed_is_not_reused():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    deadline = time.monotonic() + 10
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's goodbye is on its way
    assert not connection.is_usable()
    connection.close()  # as Django's check does when a connection is not usable
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.connection.info.backend_pid != pid


def test_a_connection_runs_its_queries_without_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
