"""DATABASE_URL into Django's DATABASES (config/settings/env.py): PostgreSQL connections run
a page's queries without parallel workers and without the JIT compiler unless the operator asks
for them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.env import PREPARED_OPTION, database_from_env


def _options(monkeypatch: pytest.MonkeyPatch, url: str, workers: str | None = None) -> str:
    monkeypatch.setenv("DATABASE_URL", url)
    if workers is None:
        monkeypatch.delenv("POLKA_PG_PARALLEL_WORKERS", raising=False)
    else:
        monkeypatch.setenv("POLKA_PG_PARALLEL_WORKERS", workers)
    return str(database_from_env()["OPTIONS"].get("options", ""))


def test_postgresql_connections_start_without_parallel_workers_or_jit(monkeypatch):
    options = _options(monkeypatch, "postgres://polka@db.example:5432/polka")
    assert options == "-c max_parallel_workers_per_gather=0 -c jit=off"


def test_the_operator_may_give_queries_parallel_workers(monkeypatch):
    options = _options(monkeypatch, "postgres://polka@db.example:5432/polka", workers="2")
    assert options == "-c max_parallel_workers_per_gather=2 -c jit=off"


def test_options_in_the_url_are_kept_and_win(monkeypatch):
    url = "postgres://polka@db.example/polka?options=-c%20statement_timeout%3D5000"
    assert _options(monkeypatch, url) == (
        "-c statement_timeout=5000 -c max_parallel_workers_per_gather=0 -c jit=off"
    )
    url = "postgres://polka@db.example/polka?options=-c%20max_parallel_workers_per_gather%3D4"
    assert _options(monkeypatch, url) == "-c max_parallel_workers_per_gather=4 -c jit=off"
    url = "postgres://polka@db.example/polka?options=-c%20jit%3Don"
    assert _options(monkeypatch, url) == "-c jit=on -c max_parallel_workers_per_gather=0"


def test_the_connection_runs_with_the_options(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's settings")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('jit'), current_setting(%s)",
            ["max_parallel_workers_per_gather"],
        )
        assert cursor.fetchone() == ("off", "0")


def test_a_worker_count_that_is_not_a_number_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="POLKA_PG_PARALLEL_WORKERS"):
        _options(monkeypatch, "postgres://polka@db.example/polka", workers="some")


def test_sqlite_gets_no_postgresql_options(monkeypatch, tmp_path):
    assert _options(monkeypatch, f"sqlite:///{tmp_path / 'polka.sqlite3'}") == ""


def test_hot_statements_are_prepared_unless_the_operator_turns_it_off(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://polka@db.example/polka")
    monkeypatch.delenv("POLKA_PG_PREPARED", raising=False)
    assert database_from_env()["OPTIONS"][PREPARED_OPTION] is True
    monkeypatch.setenv("POLKA_PG_PREPARED", "0")
    assert database_from_env()["OPTIONS"][PREPARED_OPTION] is False
    monkeypatch.setenv("POLKA_PG_PREPARED", "no")
    with pytest.raises(ImproperlyConfigured, match="POLKA_PG_PREPARED"):
        database_from_env()
