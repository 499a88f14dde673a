"""A wrong DATABASE_URL makes `polka check` fail with one line naming the problem, no traceback."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

POLKA = Path(sys.executable).parent / "polka"


def run_polka_check(database_url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=database_url, POLKA_VAR_DIR=str(tmp_path), PGCONNECT_TIMEOUT="5")
    return subprocess.run(
        [str(POLKA), "check"], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *names: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("polka: ")
    for name in names:
        assert name in lines[0]


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("mysql://polka@localhost/polka", "unsupported database"),
        ("ftp://example.org/polka", "Scheme 'ftp://' is unknown"),
        ("sqlite:////no/such/folder/polka.sqlite3", "/no/such/folder"),
    ],
    ids=["unsupported-engine", "unknown-scheme", "sqlite-folder-missing"],
)
def test_check_names_a_database_url_it_cannot_use(url, named, tmp_path):
    assert_one_clear_line(run_polka_check(url, tmp_path), "DATABASE_URL", named)


def test_check_names_an_unreachable_postgresql_server(tmp_path):
    port = closed_port()
    result = run_polka_check(f"postgres://polka:secret@127.0.0.1:{port}/polka", tmp_path)
    assert_one_clear_line(result, f"127.0.0.1:{port}", "Connection refused")
    assert "secret" not in result.stderr


def test_check_names_a_sqlite_file_that_is_not_a_database(tmp_path):
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_text("заметки, а не база данных\n" * 200)
    result = run_polka_check(f"sqlite:///{not_a_database}", tmp_path)
    assert_one_clear_line(result, str(not_a_database), "not a database")


def test_check_passes_on_a_usable_sqlite_database(tmp_path):
    result = run_polka_check(f"sqlite:///{tmp_path / 'polka.sqlite3'}", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_check_names_a_postgresql_database_that_does_not_exist(tmp_path):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/no_such_polka_db"
    result = run_polka_check(url, tmp_path)
    assert_one_clear_line(result, "no_such_polka_db", "does not exist")
