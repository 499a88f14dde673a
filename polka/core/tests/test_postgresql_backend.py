"""PostgreSQL's health check (polka.core.postgresql): an idle connection is reused without a
round trip, and one the server has closed is not reused; a page's queries get no parallel
workers; hot statements are prepared on the server once a connection, and still logged with
their values."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polka.core.postgresql.base import PREPARED_OPTION
from polka.core.prepared import Prepared

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


def _codename(codename: str):
    return Permission.objects.filter(codename=codename)[:1]


CODENAME = Prepared(_codename, codename=str)


def _server_prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_hot_statement_is_prepared_once_and_logged_with_its_values():
    connection.close()  # a fresh connection: nothing prepared yet
    connection.ensure_connection()
    assert connection.prepared_statements
    with CaptureQueriesContext(connection) as captured:
        first = CODENAME.rows(codename="add_permission")
        second = CODENAME.rows(codename="no_such_permission")
    assert [p.codename for p in first] == ["add_permission"]
    assert second == []
    prepared = [s for s in _server_prepared() if "auth_permission" in s]
    assert len(prepared) == 1, prepared  # one statement, planned once for both values
    assert "$1" in prepared[0]
    logged = [q["sql"] for q in captured.captured_queries]
    assert len(logged) == 2
    assert "'add_permission'" in logged[0] and "'no_such_permission'" in logged[1]


def test_a_statement_planned_for_each_value_is_not_kept_on_the_server():
    connection.close()
    replanned = Prepared(_codename, replanned=True, codename=str)
    assert [p.codename for p in replanned.rows(codename="add_permission")] == ["add_permission"]
    assert [s for s in _server_prepared() if "auth_permission" in s] == []


def test_with_preparing_turned_off_the_server_keeps_no_statement():
    connection.close()
    connection.settings_dict["OPTIONS"][PREPARED_OPTION] = False
    try:
        connection.ensure_connection()
        assert not connection.prepared_statements
        assert [p.codename for p in CODENAME.rows(codename="add_permission")] == ["add_permission"]
        assert [s for s in _server_prepared() if "auth_permission" in s] == []
    finally:
        connection.close()
        connection.settings_dict["OPTIONS"][PREPARED_OPTION] = True
