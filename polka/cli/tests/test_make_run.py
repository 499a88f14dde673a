"""The README's first command works: `make run` on a fresh database migrates, loads the demo
and serves it, and a newcomer's first clicks answer (home, health, a search, a record, an event).

It runs the real Makefile target in a throwaway var/ folder, on SQLite as `make run` does, so it
runs once (in the SQLite pass of the suite).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from polka.cli.tests.servers import env_without_test_settings, free_port, serving

ROOT = Path(settings.BASE_DIR)
STARTUP_SECONDS = 240

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="make run serves SQLite; run once, in the SQLite pass"
)


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
    port = free_port()
    log = tmp_path / "make-run.log"
    argv = ["make", "--no-print-directory", "run", f"PORT={port}"]
    env = env_without_test_settings(tmp_path)
    with serving(argv, port=port, env=env, log=log, timeout=STARTUP_SECONDS, cwd=ROOT) as base:
        status, body = _get(f"{base}/healthz")
        assert status == 200 and json.loads(body)["ok"] is True
        output = log.read_text()
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
