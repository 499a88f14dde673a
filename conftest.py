"""Settings every test run needs before Django starts (shared by all apps' tests)."""

from __future__ import annotations

import os

# Fixtures shared by every app's tests (network, branch_a, branch_b built through services).
pytest_plugins = ["polka.org.testing"]

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls from it ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_sessionstart(session: object) -> None:
    # WhiteNoise warns on every request when STATIC_ROOT does not exist yet (a fresh clone).
    from django.conf import settings

    if settings.configured:
        os.makedirs(settings.STATIC_ROOT, exist_ok=True)
