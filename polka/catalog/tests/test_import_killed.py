"""An import killed with SIGKILL in the middle of a file, then run again."""

from __future__ import annotations

import os
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
