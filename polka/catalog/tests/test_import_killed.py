"""An import killed with SIGKILL in the middle of a file, then run again."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from polka.shared_data import marc_data_dir

ROOT = Path(__file__).resolve().parents[3]
DATA = marc_data_dir()
JAZZ = DATA / "evergreen" / "jazz_1k.mrc"


def polka(db: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "POLKA_DEBUG": "0"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return int(conn.execute(sql).fetchone()[0])


@pytest.mark.slow
def test_an_import_killed_mid_file_leaves_whole_batches_and_a_rerun_completes(tmp_path):
    db = tmp_path / "polka.sqlite3"
    assert polka(db, "migrate", "--noinput").wait(timeout=600) == 0
    run = polka(db, "import", str(JAZZ), "--batch-size", "50", "--verbosity", "0")
    deadline = time.monotonic() + 600
    while run.poll() is None and time.monotonic() < deadline:
        if db.exists() and count(db, "SELECT count(*) FROM catalog_record") >= 100:
            break
        time.sleep(0.05)
    run.kill()
    run.wait()
    killed = count(db, "SELECT count(*) FROM catalog_record")
    assert run.returncode == -9  # it was killed, not finished
    # Only whole batches are there: each stored record has its search document, and the
    # records came in batches of 50 (jazz_1k has no duplicates nor unreadable records).
    assert killed % 50 == 0
    assert count(db, "SELECT count(*) FROM search_document") == killed

    rerun = polka(db, "import", str(JAZZ), "--verbosity", "0")
    out, _ = rerun.communicate(timeout=900)
    assert rerun.returncode == 0
    assert out.decode().splitlines()[-1] == (
        f"read 1000, created {1000 - killed}, updated 0, skipped 0, repaired 5"
    )
    assert count(db, "SELECT count(*) FROM catalog_record") == 1000


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _ended(pid: int) -> bool:
    """Gone, or a zombie waiting for whoever adopted it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_a_killed_import_takes_its_reading_process_with_it(tmp_path, signal_name):
    db = tmp_path / "polka.sqlite3"
    assert polka(db, "migrate", "--noinput").wait(timeout=600) == 0
    run = polka(db, "import", str(JAZZ), "--read-ahead", "--batch-size", "50", "--verbosity", "0")
    deadline = time.monotonic() + 600
    readers: list[int] = []
    while run.poll() is None and time.monotonic() < deadline:
        readers = readers or _children(run.pid)
        if readers and db.exists() and count(db, "SELECT count(*) FROM catalog_record") >= 100:
            break
        time.sleep(0.02)
    run.send_signal(getattr(signal, signal_name))
    run.wait()
    assert run.returncode < 0  # killed, not finished
    assert len(readers) == 1
    # Its writes fail once nobody reads the pipe, and it ends; a reader left behind would
    # wait on a full pipe for ever.
    deadline = time.monotonic() + 30
    while not _ended(readers[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _ended(readers[0])
