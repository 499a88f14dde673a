"""The README's first command works: `make run` on a fresh database migrates, loads the demo
and serves it, and a newcomer's first clicks answer (home, health, a search, a record, an event).

It runs the real Makefile target in a throwaway var/ folder, on SQLite as `make run` does, so it
runs once (in the SQLite pass of the suite).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
STARTUP_SECONDS = 240

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="make run serves SQLite; run once, in the SQLite pass"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - our own server
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def _first(pattern: str, html: str, what: str) -> str:
    found = re.search(pattern, html)
    assert found, f"no {what} link on the page"
    return found.group(0)


def test_make_run_serves_the_demo_on_a_fresh_database(tmp_path):
    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["POLKA_VAR_DIR"] = str(tmp_path)
    log = (tmp_path / "make-run.log").open("w")
    server = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            output = (tmp_path / "make-run.log").read_text(errors="replace")
            assert server.poll() is None, f"make run stopped:\n{output[-3000:]}"
            try:
                status, body = _get(f"{base}/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, f"nothing served:\n{output[-3000:]}"
                time.sleep(1)
        assert status == 200 and json.loads(body)["ok"] is True
        assert "Демо-сеть создана" in output and "admin" in output  # the passwords, once

        status, home = _get(f"{base}/")
        assert status == 200 and "Светлоярск" in home
        status, results = _get(f"{base}/search/?q=%D0%9F%D1%83%D1%88%D0%BA%D0%B8%D0%BD")
        assert status == 200
        record = _first(r"/catalog/records/\d+/", results, "record")
        status, page = _get(base + record)
        assert status == 200 and "Пушкин" in page
        status, events = _get(f"{base}/events/")
        assert status == 200
        status, event = _get(base + _first(r"/events/\d+/", events, "event"))
        assert status == 200 and "Добавить в календарь" in event
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
