"""Prometheus metrics behind a setting: off by default, and when on only for monitoring
addresses. Settings are read once per process, so the switched-on site runs in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import django
django.setup()
from django.test import Client
client = Client()
client.get("/favicon.ico")  # no database needed
inside = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
outside = client.get("/metrics", REMOTE_ADDR="203.0.113.5")
print(inside.status_code, outside.status_code, b"django_http_requests_total" in inside.content)
"""


def _probe(**env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_metrics_are_served_to_the_monitor_only_when_switched_on():
    assert _probe(POLKA_METRICS="1") == ["200", "403", "True"]


def test_there_are_no_metrics_by_default(client):
    assert client.get("/metrics").status_code == 404
