"""config.wsgi, as gunicorn imports it: the URL patterns are loaded before the first request and
what start-up made sits in the collector's permanent generation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROBE = (
    "import gc, sys\n"
    "import config.wsgi\n"
    "from django.urls import get_resolver\n"
    "resolver = get_resolver()\n"
    "print(resolver._populated, gc.get_freeze_count(), 'polka.catalog.views' in sys.modules)\n"
)


def test_the_wsgi_application_has_its_urls_loaded_and_start_up_frozen() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    populated, frozen, views = done.stdout.split()
    assert populated == "True"
    assert views == "True"  # the resolver imported the view modules
    assert int(frozen) > 50_000
